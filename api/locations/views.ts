import { z } from '@hono/zod-openapi';
import { locationKinds } from '../core/vocabularies.ts';
import { Timestamp } from '../http/schemas.ts';

/** Response shapes of the location routes, as they travel in JSON. */
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
