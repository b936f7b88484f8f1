import type { ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { lotStatuses, requestStatuses, urgencies } from '../api/core/vocabularies.ts';

/** A read: no side effect, safe to repeat, nothing outside Scorta touched. */
export const readOnly: ToolAnnotations = {
  readOnlyHint: true,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: false,
};

export const Id = (what: string) => z.uuid().describe(`The ${what}'s id (a UUID, as returned by another tool)`);

// Output schemas name what a model relies on and let the rest through (the core's views carry more).
const Loose = z.looseObject;
const Place = Loose({ id: z.string(), code: z.string(), name: z.string(), kind: z.string() });

export const Item = Loose({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  nameEn: z.string(),
  unit: z.string(),
  gtin: z.string().nullable(),
  supplyMode: z.string(),
});
export const ItemPage = z.object({ data: z.array(Item), nextCursor: z.string().nullable() });

export const StockRow = Loose({
  locationId: z.string(),
  locationCode: z.string(),
  itemId: z.string(),
  itemCode: z.string(),
  lotId: z.string(),
  lotCode: z.string(),
  expiry: z.string().nullable(),
  status: z.enum(lotStatuses),
  onHand: z.number(),
  available: z.number(),
});
export const StockTotal = Loose({
  itemId: z.string(),
  itemCode: z.string(),
  onHand: z.number(),
  available: z.number(),
  quarantined: z.number(),
  recalled: z.number(),
  expired: z.number(),
  daysOfCover: z
    .number()
    .nullable()
    .optional()
    .describe(
      'Usable stock / daily demand over the last 56 days at the ' +
        'location; null without consumption; absent without a location',
    ),
  weeklyDemand: z.number().optional(),
  onOrder: z.number().optional(),
});
export const StockPage = z.object({
  data: z.array(StockRow),
  totals: z.array(StockTotal),
  nextCursor: z.string().nullable(),
});

export const RequestLine = Loose({
  id: z.string(),
  lineNo: z.number(),
  itemId: z.string(),
  status: z.string(),
  quantityRequested: z.number(),
  outstanding: z.number(),
});
export const Request = Loose({
  id: z.string(),
  number: z.string(),
  status: z.enum(requestStatuses),
  urgency: z.enum(urgencies),
  destinationId: z.string(),
  createdAt: z.string(),
  destination: Loose({ code: z.string(), name: z.string() }),
  lines: z.array(RequestLine),
});
export const RequestSummary = Loose({
  id: z.string(),
  number: z.string(),
  status: z.enum(requestStatuses),
  urgency: z.enum(urgencies),
  createdAt: z.string(),
  destination: Loose({ code: z.string(), name: z.string() }),
});
export const RequestPage = z.object({ data: z.array(RequestSummary), nextCursor: z.string().nullable() });

export const Trace = z.object({
  lot: Loose({
    id: z.string(),
    lotCode: z.string(),
    expiry: z.string().nullable(),
    status: z.enum(lotStatuses),
    item: Loose({ id: z.string(), code: z.string(), name: z.string() }),
  }),
  detail: z
    .enum(['all', 'own'])
    .describe(
      'all: every movement is in the timeline; own: only those at ' +
        'the locations this user may read, other holders are totals',
    ),
  holders: z.array(
    Loose({
      location: Place,
      received: z.number(),
      sent: z.number(),
      consumed: z.number(),
      onHand: z.number(),
      detail: z
        .enum(['full', 'totals'])
        .describe('totals: a location this user may not read, shown as sums only (no movements, times or people)'),
    }),
  ),
  supplier: Loose({ id: z.string(), code: z.string(), name: z.string() }).nullable(),
  recall: Loose({ id: z.string(), kind: z.string(), reason: z.string(), openedAt: z.string() }).nullable(),
  totals: z.object({
    received: z.number(),
    onHand: z.number(),
    consumed: z.number(),
    sold: z.number(),
    adjusted: z.number(),
    holdersWithStock: z.number(),
  }),
  timeline: z.array(
    Loose({
      id: z.number(),
      kind: z.string(),
      quantity: z.number(),
      from: Place.nullable(),
      to: Place.nullable(),
      occurredAt: z.string(),
    }),
  ),
  nextCursor: z.string().nullable(),
});

/** What confirm_proposal and cancel_proposal return. */
export const Decision = z.object({
  status: z.enum(['confirmed', 'cancelled']),
  action: z.string(),
  replayed: z
    .boolean()
    .describe('true when this proposal had already been decided so: the first outcome, nothing written now'),
  summary: z.record(z.string(), z.string()),
  result: z
    .looseObject({ reference: z.string() })
    .nullable()
    .describe('What the confirmed write produced: the request number or the lot code, with its ids and status'),
});

/** What a write tool returns: the proposal recorded (nothing else written) and what confirming it would do. */
export const Proposal = z.object({
  proposal: z.object({
    id: z.string().describe('Pass it to confirm_proposal once the user agrees (or to cancel_proposal)'),
    action: z.string(),
    expiresAt: z.string().describe('After this instant the proposal can no longer be confirmed: propose again'),
    summary: z
      .record(z.string(), z.string())
      .describe('The facts shown to the user, read from Scorta (codes, names, quantities)'),
  }),
  text: z
    .object({ en: z.string(), it: z.string() })
    .describe('Exactly what confirming would do, to show the user word for word'),
  written: z
    .boolean()
    .describe(
      'false: nothing is written until confirm_proposal (true only ' +
        "when the user confirmed in the client's own prompt, see decision)",
    ),
  decision: Decision.optional().describe(
    'Present when the client asked the user itself (elicitation): the confirmation or cancellation already made',
  ),
});

/**
 * A write that only proposes: not read-only (it records a proposal), not destructive, and each call is a new proposal.
 */
export const proposes: ToolAnnotations = {
  readOnlyHint: false,
  destructiveHint: false,
  idempotentHint: false,
  openWorldHint: false,
};

/** The descriptions of the paging arguments every list tool takes from its core input. */
export const pageSize = 'Rows per page (1–500, default 50)';
export const nextPage = 'nextCursor of the previous page, to read the next one';
