import { z } from '@hono/zod-openapi';
import { tokenKinds } from '../core/vocabularies.ts';
import { Timestamp } from '../http/schemas.ts';

/** Response shapes of users and API tokens, as they travel in JSON. */
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
