import { z } from '@hono/zod-openapi';
import {
  channels,
  locationKinds,
  lotStatuses,
  movementKinds,
  organisationKinds,
  supplyModes,
  tokenKinds,
} from '../../db/schema/index.ts';

/** Response shapes, as they travel in JSON (timestamps as ISO strings, prices as decimal strings). */
export const Timestamp = z.string().openapi({ format: 'date-time', example: '2026-11-23T09:00:00.000Z' });
export const Decimal = z.string().openapi({ example: '0.0500' });

export const Organisation = z
  .object({ id: z.uuid(), code: z.string(), name: z.string(), kind: z.enum(organisationKinds), createdAt: Timestamp })
  .openapi('Organisation');

export const Location = z
  .object({
    id: z.uuid(),
    organisationId: z.uuid(),
    parentId: z.uuid().nullable(),
    path: z.string(),
    kind: z.enum(locationKinds),
    code: z.string(),
    name: z.string(),
    nameEn: z.string().nullable(),
    aliases: z.array(z.string()),
    patientCode: z.string().nullable(),
    createdAt: Timestamp,
  })
  .openapi('Location');

export const Item = z
  .object({
    id: z.uuid(),
    organisationId: z.uuid(),
    code: z.string(),
    name: z.string(),
    nameEn: z.string(),
    synonyms: z.array(z.string()),
    categoryId: z.uuid(),
    unit: z.string(),
    packSize: z.number().int(),
    gtin: z.string().nullable(),
    supplyMode: z.enum(supplyModes),
    referencePrice: Decimal.nullable(),
    supplierId: z.uuid().nullable(),
    createdAt: Timestamp,
  })
  .openapi('Item');

const Reference = { id: z.uuid(), organisationId: z.uuid(), code: z.string(), name: z.string() };
export const Section = z
  .object({ ...Reference, nameEn: z.string().nullable(), fulfilledFromId: z.uuid().nullable() })
  .openapi('Section');
export const Category = z
  .object({ ...Reference, nameEn: z.string().nullable(), sectionId: z.uuid().nullable() })
  .openapi('Category');
export const Supplier = z
  .object({ ...Reference, vatNumber: z.string().nullable(), leadTimeDays: z.number().int().nullable() })
  .openapi('Supplier');

export const Movement = z
  .object({
    id: z.number().int(),
    kind: z.enum(movementKinds),
    reversesId: z.number().int().nullable(),
    itemId: z.uuid(),
    lotId: z.uuid(),
    quantity: z.number().int(),
    fromLocationId: z.uuid().nullable(),
    toLocationId: z.uuid().nullable(),
    unitPrice: Decimal.nullable(),
    documentType: z.string().nullable(),
    documentId: z.string().nullable(),
    reason: z.string().nullable(),
    actorId: z.uuid().nullable(),
    channel: z.enum(channels),
    occurredAt: Timestamp,
    recordedAt: Timestamp,
  })
  .openapi('Movement');

export const Movements = z.object({ movements: z.array(Movement) }).openapi('MovementsResult');
export const Adjustment = z
  .object({ movements: z.array(Movement), previousQuantity: z.number().int(), countedQuantity: z.number().int() })
  .openapi('AdjustmentResult');

export const StockRow = z
  .object({
    locationId: z.uuid(),
    locationCode: z.string(),
    locationName: z.string(),
    locationKind: z.enum(locationKinds),
    itemId: z.uuid(),
    itemCode: z.string(),
    itemName: z.string(),
    itemNameEn: z.string(),
    unit: z.string(),
    lotId: z.uuid(),
    lotCode: z.string(),
    expiry: z.iso.date().nullable(),
    status: z.string().openapi({
      description: 'available, quarantined, recalled or expired (an available lot past its expiry reads as expired)',
    }),
    onHand: z.number().int(),
    available: z.number().int(),
  })
  .openapi('StockRow');

export const StockTotal = z
  .object({
    itemId: z.uuid(),
    itemCode: z.string(),
    onHand: z.number().int(),
    available: z.number().int(),
    quarantined: z.number().int(),
    recalled: z.number().int(),
    expired: z.number().int(),
  })
  .openapi('StockTotal');

export const Lot = z
  .object({
    id: z.uuid(),
    organisationId: z.uuid(),
    itemId: z.uuid(),
    lotCode: z.string(),
    expiry: z.iso.date().nullable(),
    supplierId: z.uuid().nullable(),
    purchasePrice: Decimal.nullable(),
    status: z.enum(lotStatuses),
    statusReason: z.string().nullable(),
    createdAt: Timestamp,
    item: z.object({ code: z.string(), name: z.string(), nameEn: z.string() }).optional(),
  })
  .openapi('Lot');

export const User = z
  .object({
    id: z.uuid(),
    organisationId: z.uuid(),
    username: z.string(),
    displayName: z.string(),
    locale: z.string(),
    active: z.boolean(),
    createdAt: Timestamp,
  })
  .openapi('User');

export const ApiToken = z
  .object({
    id: z.uuid(),
    name: z.string(),
    kind: z.enum(tokenKinds),
    prefix: z.string(),
    expiresAt: Timestamp.nullable(),
    username: z.string(),
    token: z.string().openapi({ description: 'Il segreto, mostrato una sola volta · The secret, shown once' }),
  })
  .openapi('ApiToken');
