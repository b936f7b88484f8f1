import { z } from '@hono/zod-openapi';
import { channels, locationKinds, movementKinds } from '../core/vocabularies.ts';
import { Decimal, Timestamp } from '../http/schemas.ts';

/** Response shapes of stock and movements, as they travel in JSON. */
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
