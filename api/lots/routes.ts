import { createRoute, z } from '@hono/zod-openapi';
import { router } from '../http/context.ts';
import { json, page, readErrors, UuidParam } from '../http/schemas.ts';
import { Lot, Movement } from '../http/views.ts';
import { lotHistory, LotHistoryInput } from './lot-history.ts';
import { getLot, listLots, ListLotsInput } from './list-lots.ts';

const tags = ['lots'];
const History = z.object({ lot: Lot, data: z.array(Movement), nextCursor: z.string().nullable() }).openapi('LotHistory');

/** Lots: traceability from the ledger. */
export function lotRoutes() {
  const app = router();

  const list = createRoute({
    method: 'get', path: '/lots', tags, summary: 'Lotti · Lots',
    description: 'Lotti per scadenza, filtrabili per articolo, stato (anche `expired`), scadenza entro una data o codice lotto · Lots by expiry, filtered by item, status (including `expired`), expiry horizon or lot code.',
    request: { query: ListLotsInput },
    responses: { 200: json(page(Lot).openapi('LotPage'), 'A page of lots'), ...readErrors },
  });
  app.openapi(list, async (c) => c.json(await listLots({ ctx: c.var.ctx, input: c.req.valid('query') }), 200));

  const one = createRoute({
    method: 'get', path: '/lots/{id}', tags, summary: 'Un lotto · One lot',
    request: { params: UuidParam },
    responses: { 200: json(Lot, 'The lot, with its item and the status staff see today'), ...readErrors },
  });
  app.openapi(one, async (c) => c.json(await getLot({ ctx: c.var.ctx, id: c.req.valid('param').id }), 200));

  const history = createRoute({
    method: 'get', path: '/lots/{id}/history', tags, summary: 'Storia di un lotto · Lot history',
    description: 'Il lotto e ogni suo movimento, dal più vecchio · The lot and every movement of it, oldest first.',
    request: { params: UuidParam, query: LotHistoryInput.pick({ limit: true, cursor: true }) },
    responses: { 200: json(History, 'The lot and a page of its movements'), ...readErrors },
  });
  app.openapi(history, async (c) => c.json(await lotHistory({ ctx: c.var.ctx, input: { ...c.req.valid('query'), lotId: c.req.valid('param').id } }), 200));

  return app;
}
