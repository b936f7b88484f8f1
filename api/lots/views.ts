import { z } from '@hono/zod-openapi';
import { lotStatuses } from '../core/vocabularies.ts';
import { Decimal, Timestamp } from '../http/schemas.ts';

/** Response shapes of the lot routes, as they travel in JSON. */
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
