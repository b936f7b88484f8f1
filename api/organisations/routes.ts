import { createRoute } from '@hono/zod-openapi';
import { router } from '../http/context.ts';
import { json, jsonBody, page, readErrors, UuidParam, writeErrors } from '../http/schemas.ts';
import { Organisation } from './views.ts';
import { createOrganisation, CreateOrganisationInput, getOrganisation, listOrganisations } from './organisations.ts';

const tags = ['organisations'];

/** Organisations (aziende sanitarie): listed to every member so that organisations can trade. */
export function organisationRoutes() {
  const app = router();

  const list = createRoute({
    method: 'get',
    path: '/organisations',
    operationId: 'listOrganisations',
    tags,
    summary: 'Elenco aziende · List organisations',
    responses: { 200: json(page(Organisation), 'Organisations'), ...readErrors },
  });
  app.openapi(list, async (c) => c.json({ data: await listOrganisations({ ctx: c.var.ctx }), nextCursor: null }, 200));

  const get = createRoute({
    method: 'get',
    path: '/organisations/{id}',
    operationId: 'getOrganisation',
    tags,
    summary: "Un'azienda · One organisation",
    request: { params: UuidParam },
    responses: { 200: json(Organisation, 'The organisation'), ...readErrors },
  });
  app.openapi(get, async (c) => c.json(await getOrganisation({ ctx: c.var.ctx, id: c.req.valid('param').id }), 200));

  const create = createRoute({
    method: 'post',
    path: '/organisations',
    operationId: 'createOrganisation',
    tags,
    summary: "Crea un'azienda · Create an organisation",
    description:
      'Operazione di piattaforma: rifiutata (403) a ogni token; si usa `npm run cli -- organisation create` · ' +
      'A platform operation: refused (403) to every token; use `npm run cli -- organisation create`.',
    request: { body: jsonBody(CreateOrganisationInput) },
    responses: { 201: json(Organisation, 'Created'), ...writeErrors },
  });
  app.openapi(create, async (c) =>
    c.json(await createOrganisation({ ctx: c.var.ctx, input: c.req.valid('json') }), 201),
  );

  return app;
}
