import { createRoute, type z } from '@hono/zod-openapi';
import { router } from '../http/context.ts';
import { printed } from '../http/print.ts';
import {
  Composition,
  Evaluation,
  Fulfilment,
  IssueNote,
  Overdue,
  PickingConfirmation,
  PickingList,
  QueueLine,
  Request,
  RequestChange,
  RequestSummary,
} from './views.ts';
import {
  htmlPage,
  IdempotencyHeaders,
  json,
  jsonBody,
  page,
  queryList,
  queryNumber,
  readErrors,
  replayed,
  UuidParam,
  writeErrors,
} from '../http/schemas.ts';
import { keyedBody, written } from '../http/writes.ts';
import { getOrganisation } from '../organisations/organisations.ts';
import { cancelRequest } from './cancel-request.ts';
import { composeRequest, ComposeRequestInput } from './compose-request.ts';
import { emitRequest } from './emit-request.ts';
import { evaluateLines } from './evaluate-lines.ts';
import { fulfilRequest } from './fulfil-request.ts';
import { getRequest } from './get-request.ts';
import { getIssueNote, reverseIssueNote, takeInCharge } from './issue-notes.ts';
import { cancelPickingList, confirmPickingList, getPickingList } from './picking-lists.ts';
import { listOverdue, listRequests, ListRequestsInput, sectionQueue, SectionQueueInput } from './queues.ts';
import { renderIssueNote } from './render-documents.ts';
import {
  CancelInput,
  ConfirmPickingListInput,
  EmitRequestInput,
  EvaluateLinesInput,
  FulfilRequestInput,
  IssueNoteActionInput,
} from './schemas.ts';

const tags = ['requests'];
const fulfilment = ['fulfilment'];

const ComposeQuery = ComposeRequestInput.extend({
  itemIds: queryList(ComposeRequestInput.shape.itemIds).openapi({
    description: 'Separati da virgole o ripetuti · Comma-separated (`itemIds=a,b`) or repeated (`itemIds=a&itemIds=b`)',
  }),
  historyDays: queryNumber(ComposeRequestInput.shape.historyDays),
  serviceLevel: queryNumber(ComposeRequestInput.shape.serviceLevel),
});

/** A retried action on one document (`/…/{id}/verb`): 201, or 200 with the stored result on a retry. */
const act = <B extends z.ZodType, R extends z.ZodType>(
  operationId: string,
  path: string,
  tag: string[],
  summary: string,
  description: string,
  body: B,
  result: R,
  bodyRequired = true,
) =>
  createRoute({
    method: 'post',
    path,
    operationId,
    tags: tag,
    summary,
    description,
    request: { params: UuidParam, headers: IdempotencyHeaders, body: { ...jsonBody(body), required: bodyRequired } },
    responses: { 201: json(result, 'Written'), 200: replayed(result), ...writeErrors },
  });

/** Ward requests (richieste da reparto): emission, follow-up, evaluation, fulfilment and its documents. */
export function requestRoutes() {
  const app = router();

  const emit = createRoute({
    method: 'post',
    path: '/requests',
    operationId: 'emitRequest',
    tags,
    summary: 'Emetti una richiesta · Emit a request',
    description:
      'Ogni riga è instradata alla sezione competente · ' +
      'Each line is routed to the competent section. A ward goes to its ward store.',
    request: { headers: IdempotencyHeaders, body: jsonBody(EmitRequestInput) },
    responses: { 201: json(Request, 'Emitted'), 200: replayed(Request), ...writeErrors },
  });
  app.openapi(emit, async (c) => written(c, await emitRequest({ ctx: c.var.ctx, input: keyedBody(c) })));

  const list = createRoute({
    method: 'get',
    path: '/requests',
    operationId: 'listRequests',
    tags,
    summary: 'Richieste · Requests',
    description: "Dei reparti dell'utente, dalla più recente · Of the user's wards, newest first.",
    request: { query: ListRequestsInput },
    responses: { 200: json(page(RequestSummary).openapi('RequestPage'), 'A page of requests'), ...readErrors },
  });
  app.openapi(list, async (c) => c.json(await listRequests({ ctx: c.var.ctx, input: c.req.valid('query') }), 200));

  const compose = createRoute({
    method: 'get',
    path: '/requests/compose',
    operationId: 'composeRequest',
    tags,
    summary: 'Prepara una richiesta · Compose a request',
    description:
      'Giacenza, copertura, disponibilità del magazzino e ' +
      'quantità suggerita; senza articoli, la lista suggerita · ' +
      'Stock, cover, supplier availability and a suggested quantity; without items, the suggested list.',
    request: { query: ComposeQuery },
    responses: { 200: json(Composition, 'One line per item'), ...readErrors },
  });
  app.openapi(compose, async (c) => c.json(await composeRequest({ ctx: c.var.ctx, input: c.req.valid('query') }), 200));

  const overdue = createRoute({
    method: 'get',
    path: '/requests/overdue',
    operationId: 'listOverdue',
    tags,
    summary: 'In ritardo · Overdue',
    description:
      'Richieste oltre la data richiesta e ordini oltre la consegna prevista · ' +
      'Requests past their needed-by time, orders past their expected delivery.',
    responses: { 200: json(Overdue, 'Overdue requests and purchase orders'), ...readErrors },
  });
  app.openapi(overdue, async (c) => c.json(await listOverdue({ ctx: c.var.ctx }), 200));

  const get = createRoute({
    method: 'get',
    path: '/requests/{id}',
    operationId: 'getRequest',
    tags,
    summary: 'Una richiesta · One request',
    request: { params: UuidParam },
    responses: { 200: json(Request, 'The request and its lines'), ...readErrors },
  });
  app.openapi(get, async (c) => c.json(await getRequest({ ctx: c.var.ctx, id: c.req.valid('param').id }), 200));

  const cancel = createRoute({
    method: 'post',
    path: '/requests/{id}/cancel',
    operationId: 'cancelRequest',
    tags,
    summary: 'Annulla · Cancel',
    description:
      'La richiesta o alcune righe, finché nulla è stato evaso · The request or some lines, while nothing was issued.',
    request: { params: UuidParam, body: jsonBody(CancelInput.omit({ requestId: true })) },
    responses: { 200: json(Request, 'The request as it is now'), ...writeErrors },
  });
  app.openapi(cancel, async (c) =>
    c.json(
      await cancelRequest({ ctx: c.var.ctx, input: { ...c.req.valid('json'), requestId: c.req.valid('param').id } }),
      200,
    ),
  );

  const queue = createRoute({
    method: 'get',
    path: '/queue',
    operationId: 'getWorkQueue',
    tags: fulfilment,
    summary: 'Coda di lavoro · Work queue',
    description:
      "Righe da valutare o evadere delle sezioni dell'utente, emergenze prima · " +
      "Lines to evaluate or fulfil in the user's sections, emergencies first.",
    request: { query: SectionQueueInput },
    responses: { 200: json(page(QueueLine).openapi('QueuePage'), 'A page of lines'), ...readErrors },
  });
  app.openapi(queue, async (c) => c.json(await sectionQueue({ ctx: c.var.ctx, input: c.req.valid('query') }), 200));

  const evaluate = createRoute({
    method: 'post',
    path: '/requests/evaluations',
    operationId: 'evaluateLines',
    tags: fulfilment,
    summary: 'Riscontro · Evaluate lines',
    description:
      'Approva, riduci o rifiuta; budget e contratto sono verificati · ' +
      'Approve, reduce or reject; budget and contract are checked.',
    request: { headers: IdempotencyHeaders, body: jsonBody(EvaluateLinesInput) },
    responses: { 201: json(Evaluation, 'Recorded'), 200: replayed(Evaluation), ...writeErrors },
  });
  app.openapi(evaluate, async (c) => written(c, await evaluateLines({ ctx: c.var.ctx, input: keyedBody(c) })));

  app.openapi(
    act(
      'fulfilRequest',
      '/requests/{id}/fulfil',
      fulfilment,
      'Evadi · Fulfil',
      "Per tipo: bolla di scarico, proposta di scarico, ordine d'acquisto · " +
        'By item type: issue note, picking list, purchase order. Body optional.',
      FulfilRequestInput.omit({ requestId: true }),
      Fulfilment,
      false,
    ),
    async (c) =>
      written(
        c,
        await fulfilRequest({ ctx: c.var.ctx, input: { ...keyedBody(c), requestId: c.req.valid('param').id } }),
      ),
  );

  const pickingList = createRoute({
    method: 'get',
    path: '/picking-lists/{id}',
    operationId: 'getPickingList',
    tags: fulfilment,
    summary: 'Proposta di scarico · Picking list',
    request: { params: UuidParam },
    responses: { 200: json(PickingList, 'The list with its lots'), ...readErrors },
  });
  app.openapi(pickingList, async (c) =>
    c.json(await getPickingList({ ctx: c.var.ctx, id: c.req.valid('param').id }), 200),
  );

  app.openapi(
    act(
      'confirmPickingList',
      '/picking-lists/{id}/confirm',
      fulfilment,
      'Conferma la proposta · Confirm a picking list',
      'Come proposta o come prelevata (altro lotto, meno quantità) · ' +
        'As proposed or as picked (another lot, less). Body optional.',
      ConfirmPickingListInput.omit({ pickingListId: true }),
      PickingConfirmation,
      false,
    ),
    async (c) =>
      written(
        c,
        await confirmPickingList({
          ctx: c.var.ctx,
          input: { ...keyedBody(c), pickingListId: c.req.valid('param').id },
        }),
      ),
  );

  const cancelList = createRoute({
    method: 'post',
    path: '/picking-lists/{id}/cancel',
    operationId: 'cancelPickingList',
    tags: fulfilment,
    summary: 'Annulla la proposta · Cancel a picking list',
    description: 'Le righe tornano da evadere · Its lines are outstanding again. Body optional.',
    request: { params: UuidParam, body: { ...jsonBody(IssueNoteActionInput.pick({ reason: true })), required: false } },
    responses: { 200: json(RequestChange, 'The request as it is now'), ...writeErrors },
  });
  app.openapi(cancelList, async (c) =>
    c.json(
      await cancelPickingList({
        ctx: c.var.ctx,
        input: { ...c.req.valid('json'), pickingListId: c.req.valid('param').id },
      }),
      200,
    ),
  );

  const note = createRoute({
    method: 'get',
    path: '/issue-notes/{id}',
    operationId: 'getIssueNote',
    tags: fulfilment,
    summary: 'Bolla di scarico · Issue note',
    request: { params: UuidParam },
    responses: { 200: json(IssueNote, 'The note with its lots'), ...readErrors },
  });
  app.openapi(note, async (c) => c.json(await getIssueNote({ ctx: c.var.ctx, id: c.req.valid('param').id }), 200));

  app.openapi(
    act(
      'takeIssueNoteInCharge',
      '/issue-notes/{id}/take-in-charge',
      fulfilment,
      'Presa in carico · Take in charge',
      'Il reparto riceve la merce; dopo, la bolla non si storna · ' +
        'The ward receives the goods; the note can no longer be reversed. Body optional.',
      IssueNoteActionInput.omit({ issueNoteId: true }),
      IssueNote,
      false,
    ),
    async (c) =>
      written(
        c,
        await takeInCharge({ ctx: c.var.ctx, input: { ...keyedBody(c), issueNoteId: c.req.valid('param').id } }),
      ),
  );

  app.openapi(
    act(
      'reverseIssueNote',
      '/issue-notes/{id}/reverse',
      fulfilment,
      'Storna la bolla · Reverse an issue note',
      'Prima della presa in carico; ogni movimento è stornato · ' +
        'Before it is taken in charge; every movement is reversed.',
      IssueNoteActionInput.omit({ issueNoteId: true }).required({ reason: true }),
      IssueNote,
    ),
    async (c) =>
      written(
        c,
        await reverseIssueNote({ ctx: c.var.ctx, input: { ...keyedBody(c), issueNoteId: c.req.valid('param').id } }),
      ),
  );

  const print = createRoute({
    method: 'get',
    path: '/issue-notes/{id}/print',
    operationId: 'printIssueNote',
    tags: fulfilment,
    summary: 'Stampa la bolla · Print an issue note',
    description:
      'Pagina HTML per A4, nella lingua di Accept-Language · An A4 HTML page in the Accept-Language language.',
    request: { params: UuidParam },
    responses: { 200: htmlPage('The printable note'), ...readErrors },
  });
  app.openapi(print, async (c) => {
    const [note, organisation] = await Promise.all([
      getIssueNote({ ctx: c.var.ctx, id: c.req.valid('param').id }),
      getOrganisation({ ctx: c.var.ctx, id: c.var.ctx.actor.organisationId }),
    ]);
    return printed(c, (locale) => renderIssueNote({ ...note, organisation }, locale));
  });

  return app;
}
