import { createRoute, z } from '@hono/zod-openapi';
import { router } from '../http/context.ts';
import {
  IdempotencyHeaders,
  json,
  jsonBody,
  queryNumber,
  readErrors,
  replayed,
  UuidParam,
  writeErrors,
} from '../http/schemas.ts';
import { keyedBody, written } from '../http/writes.ts';
import { closeRecall, CloseRecallInput } from './close-recall.ts';
import { confirmReturn, ConfirmReturnInput } from './confirm-return.ts';
import { expiringStock } from './expiring-stock.ts';
import { liftQuarantine } from './lift-quarantine.ts';
import { listRecalls, ListRecallsInput } from './list-recalls.ts';
import { lotsUsed } from './lots-used.ts';
import { listNotifications } from '../notifications/notification-outbox.ts';
import { quarantineLot } from './quarantine-lot.ts';
import { recallLot } from './recall-lot.ts';
import { recallProgress } from './recall-progress.ts';
import { scanCode, ScanCodeInput } from './scan-code.ts';
import { LotStatusChange } from './set-lot-status.ts';
import { traceLot } from './trace-lot.ts';
import { text } from '../core/text.ts';

const tags = ['lots'];
/** Results are documented by the core's types; the schema names them for the docs. */
const result = (name: string) => z.object({}).passthrough().openapi(name);
const StatusChanged = result('LotStatusChanged');
const Progress = result('RecallProgress');
const StatusBody = LotStatusChange.omit({ lotId: true });
const RecallParam = z.object({ id: z.uuid().openapi({ param: { name: 'id', in: 'path' } }) });

const statusRoute = (operationId: string, path: string, summary: string, description: string) =>
  createRoute({
    method: 'post',
    path,
    operationId,
    tags,
    summary,
    description,
    request: { params: UuidParam, headers: IdempotencyHeaders, body: jsonBody(StatusBody) },
    responses: { 201: json(StatusChanged, 'Written'), 200: replayed(StatusChanged), ...writeErrors },
  });

/** Traceability, quarantines, recalls, expiry and scanning over the ledger. */
export function recallRoutes() {
  const app = router();

  const trace = createRoute({
    method: 'get',
    path: '/lots/{id}/trace',
    operationId: 'traceLot',
    tags,
    summary: 'Tracciabilità di un lotto · Trace a lot',
    description:
      'Cronologia dei movimenti (dal più vecchio) e riepilogo per ' +
      'detentore: ricevuto, inviato, consumato, venduto, giacenza · ' +
      'Timeline (oldest first) and a summary per holder: received, sent, consumed, sold, on hand.',
    request: {
      params: UuidParam,
      query: z.object({ limit: queryNumber(z.number().int().min(1).max(500).optional()), cursor: text().optional() }),
    },
    responses: { 200: json(result('LotTrace'), 'The trace'), ...readErrors },
  });
  app.openapi(trace, async (c) =>
    c.json(await traceLot({ ctx: c.var.ctx, input: { ...c.req.valid('query'), lotId: c.req.valid('param').id } }), 200),
  );

  app.openapi(
    statusRoute(
      'quarantineLot',
      '/lots/{id}/quarantine',
      'Quarantena · Quarantine a lot',
      'Da ora nessuna azione può usarlo; avvisa reparti e armadi · ' +
        'From now on no action may use it; wards and cabinets are told.',
    ),
    async (c) =>
      written(c, await quarantineLot({ ctx: c.var.ctx, input: { ...keyedBody(c), lotId: c.req.valid('param').id } })),
  );
  app.openapi(
    statusRoute(
      'recallLot',
      '/lots/{id}/recall',
      'Richiamo · Recall a lot',
      'Apre il richiamo, avvisa i detentori, blocca i cassetti degli armadi · ' +
        'Opens the recall, tells the holders, locks cabinet bins.',
    ),
    async (c) =>
      written(c, await recallLot({ ctx: c.var.ctx, input: { ...keyedBody(c), lotId: c.req.valid('param').id } })),
  );
  app.openapi(
    statusRoute(
      'liftQuarantine',
      '/lots/{id}/lift-quarantine',
      'Revoca quarantena · Lift a quarantine',
      "Il lotto torna disponibile (salvo scadenza); registrato nell'audit · " +
        'The lot is usable again (unless expired); audited.',
    ),
    async (c) =>
      written(c, await liftQuarantine({ ctx: c.var.ctx, input: { ...keyedBody(c), lotId: c.req.valid('param').id } })),
  );

  const list = createRoute({
    method: 'get',
    path: '/recalls',
    operationId: 'listRecalls',
    tags,
    summary: 'Richiami e quarantene · Recalls and quarantines',
    request: { query: ListRecallsInput.extend({ limit: queryNumber(z.number().int().min(1).max(200).optional()) }) },
    responses: { 200: json(result('RecallPage'), 'A page of recalls'), ...readErrors },
  });
  app.openapi(list, async (c) => c.json(await listRecalls({ ctx: c.var.ctx, input: c.req.valid('query') }), 200));

  const progress = createRoute({
    method: 'get',
    path: '/recalls/{id}',
    operationId: 'getRecall',
    tags,
    summary: 'Avanzamento di un richiamo · Recall progress',
    description:
      'Dal registro: giacenze al richiamo, consumato prima, reso dopo, ancora fuori, per detentore · ' +
      'From the ledger: on hand at the recall, consumed before, returned since, still out, per holder.',
    request: { params: RecallParam },
    responses: { 200: json(Progress, 'The progress'), ...readErrors },
  });
  app.openapi(progress, async (c) =>
    c.json(await recallProgress({ ctx: c.var.ctx, input: { recallId: c.req.valid('param').id } }), 200),
  );

  const returns = createRoute({
    method: 'post',
    path: '/recalls/{id}/returns',
    operationId: 'confirmRecallReturn',
    tags,
    summary: 'Conferma reso · Confirm a return',
    description:
      'Il detentore rende la sua giacenza al magazzino che ha ricevuto il lotto · ' +
      'A holder sends its stock back to the store that received the lot.',
    request: {
      params: RecallParam,
      headers: IdempotencyHeaders,
      body: jsonBody(ConfirmReturnInput.omit({ recallId: true })),
    },
    responses: { 201: json(Progress, 'Written'), 200: replayed(Progress), ...writeErrors },
  });
  app.openapi(returns, async (c) =>
    written(c, await confirmReturn({ ctx: c.var.ctx, input: { ...keyedBody(c), recallId: c.req.valid('param').id } })),
  );

  const close = createRoute({
    method: 'post',
    path: '/recalls/{id}/close',
    operationId: 'closeRecall',
    tags,
    summary: 'Chiudi richiamo · Close a recall',
    description: 'Solo quando nulla è più fuori · Only when nothing is out any more.',
    request: {
      params: RecallParam,
      headers: IdempotencyHeaders,
      body: jsonBody(CloseRecallInput.omit({ recallId: true })),
    },
    responses: {
      201: json(result('RecallClosed'), 'Written'),
      200: replayed(result('RecallClosedReplay')),
      ...writeErrors,
    },
  });
  app.openapi(close, async (c) =>
    written(c, await closeRecall({ ctx: c.var.ctx, input: { ...keyedBody(c), recallId: c.req.valid('param').id } })),
  );

  const expiring = createRoute({
    method: 'get',
    path: '/stock/expiring',
    operationId: 'listExpiringStock',
    tags: ['stock'],
    summary: 'In scadenza · Expiring stock',
    description:
      'Giacenze che scadono entro N giorni per luogo, e proposte di spostamento verso chi le consuma prima · ' +
      'Stock expiring within N days per location, and proposals to move it to where it is used first.',
    request: {
      query: z.object({
        locationId: z.uuid().optional(),
        itemId: z.uuid().optional(),
        withinDays: queryNumber(z.number().int().min(0).max(730).optional()),
        rateDays: queryNumber(z.number().int().min(7).max(365).optional()),
      }),
    },
    responses: { 200: json(result('ExpiringStock'), 'Expiring stock and proposals'), ...readErrors },
  });
  app.openapi(expiring, async (c) => c.json(await expiringStock({ ctx: c.var.ctx, input: c.req.valid('query') }), 200));

  const used = createRoute({
    method: 'get',
    path: '/locations/{id}/lots-used',
    operationId: 'listLotsUsed',
    tags,
    summary: 'Lotti usati · Lots used',
    description:
      'Tracciabilità a ritroso: i lotti consumati in un luogo (e sotto) in un periodo · ' +
      'Backward trace: lots consumed at a location (and below) over a period.',
    request: {
      params: UuidParam,
      query: z.object({ from: z.iso.datetime({ offset: true }), to: z.iso.datetime({ offset: true }) }),
    },
    responses: { 200: json(result('LotsUsed'), 'Lots used'), ...readErrors },
  });
  app.openapi(used, async (c) =>
    c.json(
      await lotsUsed({ ctx: c.var.ctx, input: { ...c.req.valid('query'), locationId: c.req.valid('param').id } }),
      200,
    ),
  );

  const scan = createRoute({
    method: 'post',
    path: '/scan',
    operationId: 'scanCode',
    tags,
    summary: 'Lettura codice · Scan a code',
    description:
      'Stringa GS1 (DataMatrix, GS1-128) o EPC RFID → articolo e lotto, ' +
      'con stato e segnalazioni (richiamato, in quarantena, scaduto) · ' +
      'A GS1 element string or RFID EPC → item and lot, with status and flags.',
    request: { body: jsonBody(ScanCodeInput) },
    responses: { 200: json(result('ScanResult'), 'What the code is, and whether it may be used'), ...readErrors },
  });
  app.openapi(scan, async (c) => c.json(await scanCode({ ctx: c.var.ctx, input: c.req.valid('json') }), 200));

  const alerts = createRoute({
    method: 'get',
    path: '/notifications',
    operationId: 'listNotifications',
    tags,
    summary: 'Avvisi · Notifications',
    description:
      'Avvisi di richiamo e quarantena nei luoghi visibili · Recall and quarantine alerts at the locations in scope.',
    request: {
      query: z.object({
        open: z
          .stringbool({ truthy: ['true'], falsy: ['false'] })
          .optional()
          .openapi({ type: 'boolean' }),
      }),
    },
    responses: { 200: json(result('Notifications'), 'Alerts'), ...readErrors },
  });
  app.openapi(alerts, async (c) =>
    c.json(await listNotifications({ ctx: c.var.ctx, input: c.req.valid('query') }), 200),
  );

  return app;
}
