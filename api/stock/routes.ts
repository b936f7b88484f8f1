import { createRoute, z } from '@hono/zod-openapi';
import { router } from '../http/context.ts';
import {
  IdempotencyHeaders,
  json,
  jsonBody,
  page,
  QueryBoolean,
  readErrors,
  replayed,
  writeErrors,
} from '../http/schemas.ts';
import { Adjustment, Movement, Movements, StockRow, StockTotal } from './views.ts';
import { keyedBody, written } from '../http/writes.ts';
import { adjustStock } from './adjust-stock.ts';
import { getStock, GetStockInput } from './get-stock.ts';
import { issueStock, returnStock, transferStock } from './issue-stock.ts';
import { listMovements, ListMovementsInput } from './list-movements.ts';
import { receiveGoods } from './receive-goods.ts';
import { recordConsumption } from './record-consumption.ts';
import { reverseMovement } from './reverse-movement.ts';
import {
  AdjustStockInput,
  IssueStockInput,
  ReceiveGoodsInput,
  RecordConsumptionInput,
  ReturnStockInput,
  ReverseMovementInput,
  TransferStockInput,
} from './schemas.ts';

const StockQuery = GetStockInput.extend({
  includeDescendants: QueryBoolean.default(true).openapi({ type: 'boolean', default: true }),
});
const StockPage = page(StockRow)
  .extend({ totals: z.array(StockTotal) })
  .openapi('StockPage');
const MovementId = z.object({
  id: z.coerce
    .number()
    .int()
    .positive()
    .openapi({ param: { name: 'id', in: 'path' }, type: 'integer' }),
});
const Reversal = ReverseMovementInput.omit({ movementId: true });

/** A retried write: body, idempotency header, 201 or a 200 replay of the stored result. */
const write = <T extends z.ZodType, R extends z.ZodType>(
  operationId: string,
  path: string,
  body: T,
  result: R,
  summary: string,
  description: string,
) =>
  createRoute({
    method: 'post',
    path,
    operationId,
    tags: ['movements'],
    summary,
    description,
    request: { headers: IdempotencyHeaders, body: jsonBody(body) },
    responses: { 201: json(result, 'Written'), 200: replayed(result), ...writeErrors },
  });

/** Stock on hand and the movement ledger: every write here is a movement, and idempotent. */
export function stockRoutes() {
  const app = router();

  const stock = createRoute({
    method: 'get',
    path: '/stock',
    operationId: 'getStock',
    tags: ['stock'],
    summary: 'Giacenze · Stock on hand',
    description:
      'Per luogo × lotto con disponibilità; per ogni articolo della pagina, i totali su tutta la selezione · ' +
      'By location × lot, with availability; for each item on the page, its totals over the whole selection.',
    request: { query: StockQuery },
    responses: {
      200: json(StockPage, 'A page of balances, and the totals of its items over the whole selection'),
      ...readErrors,
    },
  });
  app.openapi(stock, async (c) => c.json(await getStock({ ctx: c.var.ctx, input: c.req.valid('query') }), 200));

  const movements = createRoute({
    method: 'get',
    path: '/movements',
    operationId: 'listMovements',
    tags: ['movements'],
    summary: 'Movimenti · Movements',
    description: 'Dal più recente · Newest first.',
    request: { query: ListMovementsInput },
    responses: { 200: json(page(Movement), 'A page of movements'), ...readErrors },
  });
  app.openapi(movements, async (c) =>
    c.json(await listMovements({ ctx: c.var.ctx, input: c.req.valid('query') }), 200),
  );

  app.openapi(
    write(
      'receiveGoods',
      '/movements/receipts',
      ReceiveGoodsInput,
      Movements,
      'Carico · Receive goods',
      'Un movimento per riga; i lotti nuovi sono creati · One movement per line; new lots are created.',
    ),
    async (c) => written(c, await receiveGoods({ ctx: c.var.ctx, input: keyedBody(c) })),
  );
  app.openapi(
    write(
      'issueStock',
      '/movements/issues',
      IssueStockInput,
      Movements,
      'Scarico · Issue stock',
      'Da magazzino o farmacia; FEFO se il lotto non è indicato · ' +
        'From a warehouse or pharmacy; FEFO when no lot is named.',
    ),
    async (c) => written(c, await issueStock({ ctx: c.var.ctx, input: keyedBody(c) })),
  );
  app.openapi(
    write(
      'transferStock',
      '/movements/transfers',
      TransferStockInput,
      Movements,
      'Trasferimento · Transfer',
      'Tra due luoghi della stessa azienda · Between two locations of one organisation.',
    ),
    async (c) => written(c, await transferStock({ ctx: c.var.ctx, input: keyedBody(c) })),
  );
  app.openapi(
    write(
      'returnStock',
      '/movements/returns',
      ReturnStockInput,
      Movements,
      'Reso · Return',
      'Verso magazzino o farmacia, anche lotti richiamati o scaduti · ' +
        'Back to a store, recalled or expired lots included.',
    ),
    async (c) => written(c, await returnStock({ ctx: c.var.ctx, input: keyedBody(c) })),
  );
  app.openapi(
    write(
      'recordConsumption',
      '/movements/consumptions',
      RecordConsumptionInput,
      Movements,
      'Consumo · Consumption',
      'Materiale usato in un luogo; FEFO se il lotto non è indicato · ' +
        'Stock used at a location; FEFO when no lot is named.',
    ),
    async (c) => written(c, await recordConsumption({ ctx: c.var.ctx, input: keyedBody(c) })),
  );
  app.openapi(
    write(
      'adjustStock',
      '/movements/adjustments',
      AdjustStockInput,
      Adjustment,
      'Rettifica inventariale · Stock count adjustment',
      'La differenza dal conteggio diventa un movimento · The difference from the count becomes a movement.',
    ),
    async (c) => written(c, await adjustStock({ ctx: c.var.ctx, input: keyedBody(c) })),
  );

  const reversal = createRoute({
    method: 'post',
    path: '/movements/{id}/reversal',
    operationId: 'reverseMovement',
    tags: ['movements'],
    summary: 'Storno · Reverse a movement',
    description:
      "Un nuovo movimento che inverte l'originale; il registro non si modifica · " +
      'A new movement swapping the sides; the ledger is never edited.',
    request: { params: MovementId, headers: IdempotencyHeaders, body: jsonBody(Reversal) },
    responses: { 201: json(Movements, 'Written'), 200: replayed(Movements), ...writeErrors },
  });
  app.openapi(reversal, async (c) =>
    written(
      c,
      await reverseMovement({ ctx: c.var.ctx, input: { ...keyedBody(c), movementId: c.req.valid('param').id } }),
    ),
  );

  return app;
}
