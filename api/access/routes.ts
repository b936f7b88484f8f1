import { createRoute } from '@hono/zod-openapi';
import { router } from '../http/context.ts';
import { json, jsonBody, UuidParam, writeErrors } from '../http/schemas.ts';
import { ApiToken, User } from './views.ts';
import { createApiToken, CreateTokenInput, revokeApiToken } from './tokens.ts';
import { createUser, CreateUserInput } from './users.ts';

const tags = ['access'];

/** Users, their roles, and the API tokens they act through. Admins only. */
export function accessRoutes() {
  const app = router();

  const user = createRoute({
    method: 'post',
    path: '/users',
    operationId: 'createUser',
    tags,
    summary: 'Crea un utente · Create a user',
    description:
      'Con ruoli, ciascuno eventualmente limitato a un luogo · ' +
      'With roles, each optionally scoped to a location subtree.',
    request: { body: jsonBody(CreateUserInput) },
    responses: { 201: json(User, 'Created'), ...writeErrors },
  });
  app.openapi(user, async (c) => c.json(await createUser({ ctx: c.var.ctx, input: c.req.valid('json') }), 201));

  const token = createRoute({
    method: 'post',
    path: '/tokens',
    operationId: 'createToken',
    tags,
    summary: 'Crea un token API · Create an API token',
    description: 'Il segreto è restituito una sola volta · The secret is returned once.',
    request: { body: jsonBody(CreateTokenInput) },
    responses: { 201: json(ApiToken, 'Created; keep `token`, it is not shown again'), ...writeErrors },
  });
  app.openapi(token, async (c) => c.json(await createApiToken({ ctx: c.var.ctx, input: c.req.valid('json') }), 201));

  const revoke = createRoute({
    method: 'delete',
    path: '/tokens/{id}',
    operationId: 'revokeToken',
    tags,
    summary: 'Revoca un token · Revoke a token',
    request: { params: UuidParam },
    responses: { 204: { description: 'Revoked: it stops working at once' }, ...writeErrors },
  });
  app.openapi(revoke, async (c) => {
    await revokeApiToken({ ctx: c.var.ctx, id: c.req.valid('param').id });
    return c.body(null, 204);
  });

  return app;
}
