import { createRoute } from '@hono/zod-openapi';
import { router } from '../http/context.ts';
import { json, jsonBody, page, QueryBoolean, readErrors, UuidParam, writeErrors } from '../http/schemas.ts';
import { Location } from './views.ts';
import { createLocation, CreateLocationInput, getLocation, listLocations, ListLocationsInput } from './locations.ts';

const tags = ['locations'];
const ListQuery = ListLocationsInput.extend({ roots: QueryBoolean.optional() });

/** The organisation's location tree: warehouses, pharmacies, wards, stores, cabinets, patients' homes. */
export function locationRoutes() {
  const app = router();

  const list = createRoute({
    method: 'get',
    path: '/locations',
    operationId: 'listLocations',
    tags,
    summary: 'Elenco luoghi · List locations',
    description:
      'Filtra per tipo, padre, radici o testo (nome, codice, alias) · ' +
      'Filter by kind, parent, roots or text (name, code, alias).',
    request: { query: ListQuery },
    responses: { 200: json(page(Location), 'A page of locations'), ...readErrors },
  });
  app.openapi(list, async (c) => c.json(await listLocations({ ctx: c.var.ctx, input: c.req.valid('query') }), 200));

  const get = createRoute({
    method: 'get',
    path: '/locations/{id}',
    operationId: 'getLocation',
    tags,
    summary: 'Un luogo · One location',
    request: { params: UuidParam },
    responses: { 200: json(Location, 'The location'), ...readErrors },
  });
  app.openapi(get, async (c) => c.json(await getLocation({ ctx: c.var.ctx, id: c.req.valid('param').id }), 200));

  const create = createRoute({
    method: 'post',
    path: '/locations',
    operationId: 'createLocation',
    tags,
    summary: 'Crea un luogo · Create a location',
    request: { body: jsonBody(CreateLocationInput) },
    responses: { 201: json(Location, 'Created'), ...writeErrors },
  });
  app.openapi(create, async (c) => c.json(await createLocation({ ctx: c.var.ctx, input: c.req.valid('json') }), 201));

  return app;
}
