import { createRoute, z } from '@hono/zod-openapi';
import { router } from '../http/context.ts';
import { json, page, readErrors, UuidParam } from '../http/schemas.ts';
import { Movement } from '../stock/views.ts';
import { Lot } from './views.ts';
import { lotHistory, LotHistoryInput } from './lot-history.ts';
import { getLot, listLots, ListLotsInput } from './list-lots.ts';

const tags = ['lots'];
const count = z.number().int();
const HolderTotals = z
  .object({
    location: z.object({ id: z.uuid(), code: z.string(), name: z.string(), kind: z.string() }).passthrough(),
    received: count,
    sent: count,
    consumed: count,
    sold: count,
    adjusted: count,
    returned: count,
    onHand: count,
    detail: z.literal('totals'),
  })
  .passthrough()
  .openapi('LotHolderTotals');
const History = z
  .object({
    lot: Lot,
    detail: z.enum(['all', 'own']).openapi({
      description:
        "`all`: every movement; `own`: the movements at the reader's locations, other holders in `others` · " +
        'which rows are shown in full',
    }),
    data: z.array(Movement),
    others: z.array(HolderTotals).openapi({
      description:
        'Altri detentori, solo totali · ' +
        "The lot's other holders, totals only (no movements, actors, documents or times)",
    }),
    nextCursor: z.string().nullable(),
  })
  .openapi('LotHistory');

/** Lots: traceability from the ledger. */
export function lotRoutes() {
  const app = router();

  const list = createRoute({
    method: 'get',
    path: '/lots',
    operationId: 'listLots',
    tags,
    summary: 'Lotti · Lots',
    description:
      'Lotti per scadenza, filtrabili per articolo, stato (anche ' +
      '`expired`), scadenza entro una data o codice lotto · ' +
      'Lots by expiry, filtered by item, status (including `expired`), expiry horizon or lot code.',
    request: { query: ListLotsInput },
    responses: { 200: json(page(Lot).openapi('LotPage'), 'A page of lots'), ...readErrors },
  });
  app.openapi(list, async (c) => c.json(await listLots({ ctx: c.var.ctx, input: c.req.valid('query') }), 200));

  const one = createRoute({
    method: 'get',
    path: '/lots/{id}',
    operationId: 'getLot',
    tags,
    summary: 'Un lotto · One lot',
    request: { params: UuidParam },
    responses: { 200: json(Lot, 'The lot, with its item and the status staff see today'), ...readErrors },
  });
  app.openapi(one, async (c) => c.json(await getLot({ ctx: c.var.ctx, id: c.req.valid('param').id }), 200));

  const history = createRoute({
    method: 'get',
    path: '/lots/{id}/history',
    operationId: 'getLotHistory',
    tags,
    summary: 'Storia di un lotto · Lot history',
    description:
      'Il lotto e i suoi movimenti nei luoghi visibili, dal ' +
      'più vecchio; gli altri detentori solo come totali · ' +
      'The lot and its movements at the locations the reader ' +
      'may read, oldest first; other holders as totals only.',
    request: { params: UuidParam, query: LotHistoryInput.pick({ limit: true, cursor: true }) },
    responses: { 200: json(History, 'The lot and a page of its movements'), ...readErrors },
  });
  app.openapi(history, async (c) =>
    c.json(
      await lotHistory({ ctx: c.var.ctx, input: { ...c.req.valid('query'), lotId: c.req.valid('param').id } }),
      200,
    ),
  );

  return app;
}
