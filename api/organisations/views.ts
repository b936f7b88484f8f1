import { z } from '@hono/zod-openapi';
import { organisationKinds } from '../core/vocabularies.ts';
import { Timestamp } from '../http/schemas.ts';

/** Response shapes of the organisation routes, as they travel in JSON. */
export const Organisation = z
  .object({ id: z.uuid(), code: z.string(), name: z.string(), kind: z.enum(organisationKinds), createdAt: Timestamp })
  .openapi('Organisation');
