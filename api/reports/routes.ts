import { createRoute, z } from '@hono/zod-openapi';
import { router } from '../http/context.ts';
import { json, queryList, queryNumber, readErrors } from '../http/schemas.ts';
import { consumptionCost, ConsumptionCostInput } from './consumption-cost.ts';
import { yearValuation } from './year-valuation.ts';

const tags = ['reports'];

/** Cost reports over the ledger, valued at the lots' purchase prices. */
export function reportRoutes() {
  const app = router();

  const cost = createRoute({
    method: 'get',
    path: '/reports/consumption-cost',
    operationId: 'getConsumptionCost',
    tags,
    summary: 'Costo dei consumi · Consumption cost',
    description:
      "Per reparto e articolo in un periodo, al prezzo d'acquisto dei lotti · " +
      "By ward and item over a period, at the lots' purchase prices.",
    request: { query: ConsumptionCostInput },
    responses: { 200: json(z.object({}).passthrough().openapi('ConsumptionCost'), 'Cost by ward'), ...readErrors },
  });
  app.openapi(cost, async (c) => c.json(await consumptionCost({ ctx: c.var.ctx, input: c.req.valid('query') }), 200));

  const valuation = createRoute({
    method: 'get',
    path: '/reports/valuation',
    operationId: 'getValuation',
    tags,
    summary: 'Valorizzazione annuale · Year valuation',
    description:
      "Per magazzino: giacenza iniziale, movimenti dell'anno per tipo, giacenza finale, al prezzo dei lotti · " +
      "Per warehouse: opening stock, the year's movements by kind, closing stock, at lot prices.",
    request: {
      query: z.object({
        year: queryNumber(z.number().int().min(2000).max(2100)),
        warehouseIds: queryList(z.array(z.uuid()).max(100).optional()),
      }),
    },
    responses: { 200: json(z.object({}).passthrough().openapi('YearValuation'), 'The valuation'), ...readErrors },
  });
  app.openapi(valuation, async (c) =>
    c.json(await yearValuation({ ctx: c.var.ctx, input: c.req.valid('query') }), 200),
  );

  return app;
}
