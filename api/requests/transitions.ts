import {
  type IssueNoteStatus,
  type LineStatus,
  lineStatuses,
  openLineStatuses,
  type PickingListStatus,
  type PurchaseOrderStatus,
  type RequestStatus,
} from '../../db/schema/index.ts';
import type { Transition } from '../core/state-machine.ts';

export type LineEvent = 'evaluate' | 'propose' | 'order' | 'issue' | 'withdraw' | 'reverse' | 'cancel';
export type LineFact = 'emergency';

/**
 * Request line. Emergencies may be picked, ordered or issued before evaluation (`only: 'emergency'`),
 * the evaluation recorded afterwards. `withdraw` is a cancelled picking list or purchase order handing the
 * line back; `reverse` is an issue note reversed before the ward took it in charge.
 */
export const lineTransitions: readonly Transition<LineStatus, LineEvent, LineFact>[] = [
  { from: 'routed', on: 'evaluate', to: 'approved' },
  { from: 'routed', on: 'evaluate', to: 'rejected' },
  { from: 'routed', on: 'cancel', to: 'cancelled' },
  { from: 'routed', on: 'propose', to: 'picking', only: 'emergency' },
  { from: 'routed', on: 'order', to: 'ordered', only: 'emergency' },
  { from: 'routed', on: 'issue', to: 'partially_issued', only: 'emergency' },
  { from: 'routed', on: 'issue', to: 'issued', only: 'emergency' },
  { from: 'approved', on: 'propose', to: 'picking' },
  { from: 'approved', on: 'order', to: 'ordered' },
  { from: 'approved', on: 'issue', to: 'partially_issued' },
  { from: 'approved', on: 'issue', to: 'issued' },
  { from: 'approved', on: 'cancel', to: 'cancelled' },
  { from: 'picking', on: 'withdraw', to: 'approved' },
  { from: 'picking', on: 'withdraw', to: 'routed', only: 'emergency' },
  { from: 'picking', on: 'withdraw', to: 'partially_issued' },
  { from: 'picking', on: 'issue', to: 'partially_issued' },
  { from: 'picking', on: 'issue', to: 'issued' },
  { from: 'ordered', on: 'withdraw', to: 'approved' },
  { from: 'ordered', on: 'withdraw', to: 'routed', only: 'emergency' },
  { from: 'ordered', on: 'withdraw', to: 'partially_issued' },
  { from: 'ordered', on: 'issue', to: 'ordered' },
  { from: 'ordered', on: 'issue', to: 'issued' },
  { from: 'partially_issued', on: 'propose', to: 'picking' },
  { from: 'partially_issued', on: 'order', to: 'ordered' },
  { from: 'partially_issued', on: 'issue', to: 'partially_issued' },
  { from: 'partially_issued', on: 'issue', to: 'issued' },
  { from: 'partially_issued', on: 'reverse', to: 'partially_issued' },
  { from: 'partially_issued', on: 'reverse', to: 'approved' },
  { from: 'partially_issued', on: 'reverse', to: 'routed', only: 'emergency' },
  // An emergency already partly issued, evaluated afterwards and reduced to what was issued: nothing more to send.
  { from: 'partially_issued', on: 'evaluate', to: 'issued', only: 'emergency' },
  { from: 'issued', on: 'reverse', to: 'partially_issued' },
  { from: 'issued', on: 'reverse', to: 'approved' },
  { from: 'issued', on: 'reverse', to: 'routed', only: 'emergency' },
];

export type RequestEvent = 'progress' | 'complete' | 'reopen' | 'cancel';

/** The request the ward sees: its status follows its lines (see `requestStatusFor`). */
export const requestTransitions: readonly Transition<RequestStatus, RequestEvent>[] = [
  { from: 'submitted', on: 'progress', to: 'in_progress' },
  { from: 'submitted', on: 'complete', to: 'completed' },
  { from: 'submitted', on: 'cancel', to: 'cancelled' },
  { from: 'in_progress', on: 'complete', to: 'completed' },
  { from: 'in_progress', on: 'cancel', to: 'cancelled' },
  { from: 'in_progress', on: 'reopen', to: 'submitted' },
  { from: 'completed', on: 'reopen', to: 'in_progress' },
  { from: 'completed', on: 'reopen', to: 'submitted' },
];

export type IssueNoteEvent = 'take' | 'reverse';
/** An issue note is taken in charge by the ward, or reversed before that; never both. */
export const issueNoteTransitions: readonly Transition<IssueNoteStatus, IssueNoteEvent>[] = [
  { from: 'issued', on: 'take', to: 'taken_in_charge' },
  { from: 'issued', on: 'reverse', to: 'reversed' },
];

export type PickingListEvent = 'confirm' | 'cancel';
export const pickingListTransitions: readonly Transition<PickingListStatus, PickingListEvent>[] = [
  { from: 'proposed', on: 'confirm', to: 'confirmed' },
  { from: 'proposed', on: 'cancel', to: 'cancelled' },
];

export type PurchaseOrderEvent = 'firm' | 'ready' | 'release' | 'overdue' | 'reschedule' | 'close' | 'cancel';
export type PurchaseOrderFact = 'nothing_received';
/**
 * Purchase order, in the seed's MRP states: planned (PL) → firm planned (FP) → ready for release (RR)
 * → open (OP) → closed (CL) when all is received; an open order past its expected date is overdue (OD).
 * Before release it can be cancelled; after, only while nothing has been received.
 */
export const purchaseOrderTransitions: readonly Transition<
  PurchaseOrderStatus,
  PurchaseOrderEvent,
  PurchaseOrderFact
>[] = [
  { from: 'PL', on: 'firm', to: 'FP' },
  { from: 'FP', on: 'ready', to: 'RR' },
  { from: 'RR', on: 'release', to: 'OP' },
  { from: 'OP', on: 'overdue', to: 'OD' },
  { from: 'OD', on: 'reschedule', to: 'OP' },
  { from: 'OP', on: 'close', to: 'CL' },
  { from: 'OD', on: 'close', to: 'CL' },
  { from: 'PL', on: 'cancel', to: 'cancelled' },
  { from: 'FP', on: 'cancel', to: 'cancelled' },
  { from: 'RR', on: 'cancel', to: 'cancelled' },
  { from: 'OP', on: 'cancel', to: 'cancelled', only: 'nothing_received' },
  { from: 'OD', on: 'cancel', to: 'cancelled', only: 'nothing_received' },
];

/**
 * Line states in which nothing more will happen unless an issue is reversed: every status not in `openLineStatuses`.
 * The open lists live with the enums in `db/schema/requests.ts` (so the partial index can use them); in the tables
 * above an open status is exactly one with a forward move, a closed one moves only back (reopen, reverse).
 */
const closedLineStatuses: readonly LineStatus[] = lineStatuses.filter(
  (s) => !(openLineStatuses as readonly LineStatus[]).includes(s),
);

/** The status a request should have, given its lines (cancelled lines count for nothing unless all are). */
export function requestStatusFor(lines: readonly { status: LineStatus }[]): RequestStatus {
  const live = lines.filter((l) => l.status !== 'cancelled');
  if (live.length === 0) return 'cancelled';
  if (live.every((l) => closedLineStatuses.includes(l.status))) return 'completed';
  if (live.every((l) => l.status === 'routed')) return 'submitted';
  return 'in_progress';
}

/** The request event that moves `from` to `to` (the table then says whether it is allowed). */
export function requestEventFor(from: RequestStatus, to: RequestStatus): RequestEvent {
  if (to === 'cancelled') return 'cancel';
  if (to === 'completed') return 'complete';
  if (to === 'in_progress' && from === 'submitted') return 'progress';
  return 'reopen';
}

/** What a line still waits for: approved (or, unevaluated, requested) minus issued; never negative. */
export function outstanding(line: {
  quantityRequested: number;
  quantityApproved: number | null;
  quantityIssued: number;
  status: LineStatus;
}): number {
  if (line.status === 'rejected' || line.status === 'cancelled') return 0;
  return Math.max(0, (line.quantityApproved ?? line.quantityRequested) - line.quantityIssued);
}
