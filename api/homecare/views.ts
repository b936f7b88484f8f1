import { z } from '@hono/zod-openapi';
import { deviceAlertKinds, urgencies } from '../core/vocabularies.ts';
import { Timestamp } from '../http/schemas.ts';

/** Response shapes of the home-care routes, as they travel in JSON. */
const LocalDate = z.string().openapi({ format: 'date', example: '2026-12-01' });

export const SupplyPlan = z
  .object({
    id: z.uuid(),
    locationId: z.uuid(),
    locationCode: z.string(),
    patientCode: z.string().nullable(),
    itemId: z.uuid(),
    itemCode: z.string(),
    itemName: z.string(),
    unit: z.string(),
    dailyQuantity: z.number().openapi({ example: 4 }),
    note: z.string().nullable(),
    createdBy: z.uuid().nullable(),
    createdAt: Timestamp,
    endedAt: Timestamp.nullable(),
  })
  .openapi('SupplyPlan');

const Delivery = z
  .object({
    itemId: z.uuid(),
    action: z.enum(['emitted', 'updated', 'unchanged', 'none']),
    requestId: z.uuid().optional(),
    number: z.string().optional(),
    urgency: z.enum(urgencies).optional(),
    quantity: z.number().int().optional(),
    reason: z.record(z.string(), z.unknown()).optional(),
  })
  .openapi('HomeDeliveryCheck');

export const SetSupplyPlanResult = z
  .object({ plan: SupplyPlan, replacedPlanId: z.uuid().nullable(), delivery: Delivery })
  .openapi('SetSupplyPlanResult');
export const EndSupplyPlanResult = z.object({ plan: SupplyPlan }).openapi('EndSupplyPlanResult');

const OverviewItem = z
  .object({
    itemId: z.uuid(),
    itemCode: z.string(),
    itemName: z.string(),
    unit: z.string(),
    available: z.number().int(),
    onOrder: z.number().int(),
    planDaily: z.number().nullable(),
    planSince: LocalDate.nullable(),
    realDaily: z.number(),
    observedDays: z.number().int(),
    rate: z.number(),
    rateSource: z.enum(['real', 'plan', 'none']),
    daysOfCover: z.number().nullable(),
    runOutDate: LocalDate.nullable(),
    leadTimeDays: z.number(),
    orderBy: LocalDate.nullable(),
    deviation: z.number().nullable(),
    farFromPlan: z.boolean(),
  })
  .openapi('HomeCareItem');

/** A device as the home-care lists show it: what it is and when it was last heard from. */
const DeviceSeen = z.object({
  id: z.uuid(),
  code: z.string(),
  kind: z.string(),
  name: z.string(),
  online: z.string(),
  lastSeenAt: Timestamp.nullable(),
});

const Patient = z
  .object({
    locationId: z.uuid(),
    code: z.string(),
    patientCode: z.string(),
    daysOfCover: z.number().nullable(),
    runOutDate: LocalDate.nullable(),
    farFromPlan: z.number().int(),
    items: z.array(OverviewItem),
    devices: z.array(
      DeviceSeen.extend({
        expectedIntervalSeconds: z.number().int(),
        silent: z.boolean(),
        openAlerts: z.array(z.object({ kind: z.string(), subject: z.string(), raisedAt: Timestamp })),
      }),
    ),
    openRequests: z.array(
      z.object({
        id: z.uuid(),
        number: z.string(),
        status: z.string(),
        urgency: z.enum(urgencies),
        neededBy: Timestamp.nullable(),
        createdAt: Timestamp,
        automatic: z.boolean(),
        lines: z.array(
          z.object({ itemId: z.uuid(), itemCode: z.string(), quantity: z.number().int(), status: z.string() }),
        ),
      }),
    ),
  })
  .openapi('HomeCarePatient');

export const Overview = z
  .object({ generatedAt: Timestamp, today: LocalDate, teamLocationId: z.uuid().nullable(), patients: z.array(Patient) })
  .openapi('HomeCareOverview');

export const Alert = z
  .object({
    id: z.uuid(),
    kind: z.enum(deviceAlertKinds),
    subject: z.string(),
    detail: z.record(z.string(), z.unknown()),
    raisedAt: Timestamp,
    resolvedAt: Timestamp.nullable(),
    open: z.boolean(),
    device: DeviceSeen,
    location: z.object({
      id: z.uuid(),
      code: z.string(),
      name: z.string(),
      kind: z.string(),
      patientCode: z.string().nullable(),
    }),
  })
  .openapi('DeviceAlert');
