import { z } from '@hono/zod-openapi';
import { supplyModes } from '../core/vocabularies.ts';
import { Decimal, Timestamp } from '../http/schemas.ts';

/** Response shapes of the catalogue routes, as they travel in JSON. */
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
