import { z } from '@hono/zod-openapi';
import {
  channels,
  evaluationDecisions,
  issueNoteStatuses,
  lineStatuses,
  locationKinds,
  lotStatuses,
  pickingListStatuses,
  purchaseOrderStatuses,
  requestStatuses,
  supplyModes,
  urgencies,
} from '../core/vocabularies.ts';
import { Decimal, Timestamp } from '../http/schemas.ts';

/* Response shapes of ward requests and their fulfilment documents, as they travel in JSON. */
export const Named = { code: z.string(), name: z.string() };
export const Place = z.object({ id: z.uuid(), ...Named });
export const Described = { ...Named, nameEn: z.string(), unit: z.string() };
const Urgency = z.enum(urgencies);

/** Why a request exists, as data (never JSON inside a string). */
export const RequestOrigin = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('manual') }),
    z.object({
      kind: z.literal('declared'),
      text: z.string().openapi({ description: "Le parole di chi l'ha emessa · The emitter's own words" }),
    }),
    z.object({
      kind: z.literal('under_stock'),
      trigger: z.record(z.string(), z.unknown()).openapi({
        description:
          'Cosa ha fatto scattare il controllo (lettura di un dispositivo, movimento, giro) · ' +
          'What set the check off (a device reading, a movement, a sweep)',
      }),
      onHand: z.number(),
      onOrder: z.number(),
      R: z.number().openapi({ description: 'Punto di riordino · Reorder level' }),
      L: z.number().openapi({ description: 'Tempo di consegna in giorni · Lead time in days' }),
      W: z.number().openapi({ description: 'Domanda settimanale · Weekly demand' }),
      B: z.number().openapi({ description: 'Scorta di sicurezza · Safety stock' }),
      maxStock: z.number(),
      plan: z
        .number()
        .nullable()
        .optional()
        .openapi({ description: 'Consumo giornaliero del piano (domicilio) · Supply plan daily quantity (home)' }),
      real: z.number().nullable().optional(),
      rateSource: z.string().optional(),
      runOutDate: z.string().nullable().optional(),
    }),
  ])
  .openapi('RequestOrigin', {
    description:
      'Perché la richiesta esiste: a mano, con le parole di chi la emette, o dal controllo di sottoscorta · ' +
      "Why the request exists: by hand, in the emitter's words, or from the under-stock check",
  });

const requestFields = {
  id: z.uuid(),
  organisationId: z.uuid(),
  number: z.string().openapi({ example: 'RIC-2026-000042' }),
  destinationId: z.uuid(),
  urgency: Urgency,
  status: z.enum(requestStatuses),
  neededBy: Timestamp.nullable(),
  note: z.string().nullable(),
  origin: RequestOrigin,
  createdBy: z.uuid().nullable(),
  channel: z.enum(channels),
  createdAt: Timestamp,
  updatedAt: Timestamp,
};

const lineFields = {
  id: z.uuid(),
  requestId: z.uuid(),
  lineNo: z.number().int(),
  itemId: z.uuid(),
  sectionId: z.uuid(),
  status: z.enum(lineStatuses),
  quantityRequested: z.number().int(),
  quantityApproved: z.number().int().nullable(),
  quantityIssued: z.number().int(),
  outstanding: z.number().int().openapi({ description: 'Ancora da evadere · Still to fulfil' }),
  decision: z.enum(evaluationDecisions).nullable(),
  decisionReason: z.string().nullable(),
  evaluatedBy: z.uuid().nullable(),
  evaluatedAt: Timestamp.nullable(),
  fulfilledBeforeEvaluation: z.boolean(),
  unitPrice: Decimal.nullable(),
  updatedAt: Timestamp,
};

export const RequestLine = z
  .object({
    ...lineFields,
    item: z.object({ ...Described, supplyMode: z.enum(supplyModes) }),
    section: z.object(Named),
  })
  .openapi('RequestLine');

export const Request = z
  .object({
    ...requestFields,
    destination: z.object({ ...Named, kind: z.enum(locationKinds) }),
    lines: z.array(RequestLine),
  })
  .openapi('Request');

export const RequestSummary = z.object({ ...requestFields, destination: z.object(Named) }).openapi('RequestSummary');

export const QueueLine = z
  .object({
    ...lineFields,
    request: z.object({
      id: z.uuid(),
      number: z.string(),
      urgency: Urgency,
      neededBy: Timestamp.nullable(),
      createdAt: Timestamp,
    }),
    destination: Place,
    item: z.object({ ...Named, unit: z.string(), supplyMode: z.enum(supplyModes) }),
  })
  .openapi('QueueLine');

export const Overdue = z
  .object({
    requests: z.array(
      z.object({
        id: z.uuid(),
        number: z.string(),
        urgency: Urgency,
        status: z.enum(requestStatuses),
        neededBy: Timestamp.nullable(),
        destination: z.string(),
      }),
    ),
    purchaseOrders: z.array(
      z.object({
        id: z.uuid(),
        number: z.string(),
        status: z.enum(purchaseOrderStatuses),
        expectedAt: Timestamp.nullable(),
        supplier: z.string(),
      }),
    ),
  })
  .openapi('Overdue');

export const Composition = z
  .object({
    destination: Place,
    lines: z.array(
      z.object({
        item: z.object({ id: z.uuid(), ...Described, packSize: z.number().int(), supplyMode: z.enum(supplyModes) }),
        section: Place.nullable(),
        supply: z.discriminatedUnion('kind', [
          z.object({
            kind: z.literal('supplier'),
            supplier: z.string().nullable(),
            leadTimeDays: z.number().int().nullable(),
          }),
          z.object({ kind: z.literal('warehouse'), location: Place.nullable(), available: z.number().int() }),
        ]),
        onHand: z.number().int(),
        onOrder: z.number().int(),
        daysOfCover: z.number().nullable(),
        policy: z.object({
          source: z.enum(['stored', 'computed']),
          leadTimeDays: z.number(),
          weeklyDemand: z.number(),
          safetyStock: z.number().int(),
          reorderLevel: z.number().int(),
          maxStock: z.number().int(),
        }),
        suggestedQuantity: z.number().int(),
      }),
    ),
  })
  .openapi('RequestComposition');

const Ids = z.array(z.uuid());
export const Evaluation = z.object({ requests: z.array(Request) }).openapi('Evaluation');
export const Fulfilment = z
  .object({
    issueNotes: Ids,
    pickingLists: Ids,
    purchaseOrders: Ids,
    backOrdered: Ids.openapi({
      description: 'Righe rimaste in attesa per giacenza insufficiente · Lines left outstanding for want of stock',
    }),
    request: Request,
  })
  .openapi('Fulfilment');
export const PickingConfirmation = z.object({ issueNoteId: z.uuid(), request: Request }).openapi('PickingConfirmation');
export const RequestChange = z.object({ request: Request }).openapi('RequestChange');

const Expiry = z.iso.date().nullable();
const ItemRef = z.object({ id: z.uuid(), ...Described });

export const PickingList = z
  .object({
    id: z.uuid(),
    organisationId: z.uuid(),
    number: z.string().openapi({ example: 'PR-2026-000007' }),
    requestId: z.uuid(),
    fromLocationId: z.uuid(),
    status: z.enum(pickingListStatuses),
    issueNoteId: z.uuid().nullable(),
    createdBy: z.uuid().nullable(),
    createdAt: Timestamp,
    closedAt: Timestamp.nullable(),
    request: z.object({ id: z.uuid(), number: z.string(), urgency: Urgency }),
    to: Place,
    lines: z.array(
      z.object({
        id: z.uuid(),
        requestLineId: z.uuid(),
        quantity: z.number().int(),
        item: ItemRef,
        lot: z.object({ id: z.uuid(), lotCode: z.string(), expiry: Expiry, status: z.enum(lotStatuses) }),
      }),
    ),
  })
  .openapi('PickingList');

export const IssueNote = z
  .object({
    id: z.uuid(),
    organisationId: z.uuid(),
    number: z.string().openapi({ example: 'BS-2026-000012' }),
    requestId: z.uuid().nullable(),
    fromLocationId: z.uuid(),
    toLocationId: z.uuid(),
    status: z.enum(issueNoteStatuses),
    issuedBy: z.uuid().nullable(),
    issuedAt: Timestamp,
    takenBy: z.uuid().nullable(),
    takenAt: Timestamp.nullable(),
    reversedAt: Timestamp.nullable(),
    reason: z.string().nullable(),
    from: Place,
    to: Place,
    lines: z.array(
      z.object({
        id: z.uuid(),
        requestLineId: z.uuid().nullable(),
        quantity: z.number().int(),
        movementId: z.number().int(),
        item: ItemRef,
        lot: z.object({ id: z.uuid(), lotCode: z.string(), expiry: Expiry }),
      }),
    ),
  })
  .openapi('IssueNote');
