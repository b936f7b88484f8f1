import { createRoute, z } from '@hono/zod-openapi';
import { ListAlertsInput, listAlerts } from '../devices/alerts.ts';
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
import { keyedBody, withIdempotencyKey, written } from '../http/writes.ts';
import { endSupplyPlan } from './end-supply-plan.ts';
import { homeCareOverview } from './home-care-overview.ts';
import { listSupplyPlans } from './list-supply-plans.ts';
import { HomeCareOverviewInput, ListSupplyPlansInput, SetSupplyPlanInput } from './schemas.ts';
import { setSupplyPlan } from './set-supply-plan.ts';
import { Alert, EndSupplyPlanResult, Overview, SetSupplyPlanResult, SupplyPlan } from './views.ts';

const tags = ['home-care'];
const HomeItem = z.object({
  locationId: z.uuid().openapi({ param: { name: 'locationId', in: 'path' }, description: 'Il domicilio · The home' }),
  itemId: z.uuid().openapi({ param: { name: 'itemId', in: 'path' } }),
});
const PlanBody = SetSupplyPlanInput.omit({ locationId: true, itemId: true });
const PlansQuery = ListSupplyPlansInput.extend({
  includeEnded: QueryBoolean.default(false).openapi({ type: 'boolean', default: false }),
});
const AlertsQuery = ListAlertsInput.extend({ open: QueryBoolean.optional().openapi({ type: 'boolean' }) });

/** Home care: the team's patients by days of cover, supply plans, device alerts. Thin: every rule is in the actions. */
export function homeCareRoutes() {
  const app = router();

  const patients = createRoute({
    method: 'get',
    path: '/home-care/patients',
    operationId: 'listHomeCarePatients',
    tags,
    summary: 'Pazienti del team per copertura · Team patients by days of cover',
    description:
      'Domicili del team dal meno coperto: articoli (disponibile, piano, consumo reale, copertura, ' +
      'data di esaurimento, scostamento), dispositivi (online, silenziosi), richieste aperte · ' +
      "The team's homes, fewest days of cover first: items (available, plan, real use, " +
      'cover, run-out date, far from plan), devices (online, silent), open requests.',
    request: { query: HomeCareOverviewInput },
    responses: { 200: json(Overview, 'The team list'), ...readErrors },
  });
  app.openapi(patients, async (c) =>
    c.json(await homeCareOverview({ ctx: c.var.ctx, input: c.req.valid('query') }), 200),
  );

  const plans = createRoute({
    method: 'get',
    path: '/home-care/plans',
    operationId: 'listSupplyPlans',
    tags,
    summary: 'Piani terapeutici di fornitura · Supply plans',
    description:
      "Piani attivi (o anche conclusi) di un domicilio, di un team o dell'ambito dell'utente · " +
      "Active (or also ended) plans of a home, a team or the user's scope.",
    request: { query: PlansQuery },
    responses: { 200: json(page(SupplyPlan).openapi('SupplyPlanPage'), 'A page of plans'), ...readErrors },
  });
  app.openapi(plans, async (c) => c.json(await listSupplyPlans({ ctx: c.var.ctx, input: c.req.valid('query') }), 200));

  const put = createRoute({
    method: 'put',
    path: '/home-care/homes/{locationId}/plans/{itemId}',
    operationId: 'setSupplyPlan',
    tags,
    summary: 'Imposta il piano · Set a supply plan',
    description:
      'Crea o sostituisce il piano attivo del domicilio per ' +
      "l'articolo, poi verifica se serve una consegna a domicilio · " +
      'Creates or replaces the active plan of the home for ' +
      'the item, then checks whether a home delivery is due.',
    request: { params: HomeItem, headers: IdempotencyHeaders, body: jsonBody(PlanBody) },
    responses: { 201: json(SetSupplyPlanResult, 'Set'), 200: replayed(SetSupplyPlanResult), ...writeErrors },
  });
  app.openapi(put, async (c) =>
    written(c, await setSupplyPlan({ ctx: c.var.ctx, input: { ...keyedBody(c), ...c.req.valid('param') } })),
  );

  const end = createRoute({
    method: 'delete',
    path: '/home-care/homes/{locationId}/plans/{itemId}',
    operationId: 'endSupplyPlan',
    tags,
    summary: 'Concludi il piano · End a supply plan',
    request: { params: HomeItem, headers: IdempotencyHeaders },
    responses: { 200: json(EndSupplyPlanResult, 'Ended (or the stored result of a retry)'), ...writeErrors },
  });
  app.openapi(end, async (c) => {
    const { replayed: again, ...result } = await endSupplyPlan({
      ctx: c.var.ctx,
      input: withIdempotencyKey(
        { ...c.req.valid('param') } as { locationId: string; itemId: string; idempotencyKey?: string },
        c.req.valid('header')['idempotency-key'],
      ),
    });
    if (again) c.header('Idempotent-Replayed', 'true');
    return c.json(result, 200);
  });

  const alerts = createRoute({
    method: 'get',
    path: '/alerts',
    operationId: 'listDeviceAlerts',
    tags: ['home-care'],
    summary: 'Allarmi dei dispositivi · Device alerts',
    description:
      'Dispositivi silenziosi, lotti richiamati, tag sconosciuti, ' +
      "nell'ambito dell'utente; `open=true` solo quelli aperti · " +
      "Silent devices, recalled lots, unknown tags in the user's scope; `open=true` only open ones.",
    request: { query: AlertsQuery },
    responses: { 200: json(page(Alert).openapi('DeviceAlertPage'), 'A page of alerts, newest first'), ...readErrors },
  });
  app.openapi(alerts, async (c) => c.json(await listAlerts({ ctx: c.var.ctx, input: c.req.valid('query') }), 200));

  return app;
}
