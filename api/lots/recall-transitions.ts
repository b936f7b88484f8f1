import type { LotStatus, RecallKind, RecallStatus } from '../../db/schema/index.ts';
import { DomainError } from '../core/errors.ts';
import type { Transition } from '../core/state-machine.ts';

/** What can happen to a lot's status: staff quarantine, recall or lift; the daily sweep expires. */
export const lotEvents = ['quarantine', 'recall', 'lift', 'expire'] as const;
export type LotEvent = (typeof lotEvents)[number];

/**
 * The lot status machine. A recall is final for the lot (its stock only goes back); a quarantine is lifted
 * back to available (the lot's expiry still applies) or escalated to a recall. An expired lot can still be
 * quarantined or recalled: its stock out there must be collected all the same.
 */
export const lotTransitions: readonly Transition<LotStatus, LotEvent>[] = [
  { from: 'available', on: 'quarantine', to: 'quarantined' },
  { from: 'expired', on: 'quarantine', to: 'quarantined' },
  { from: 'available', on: 'recall', to: 'recalled' },
  { from: 'quarantined', on: 'recall', to: 'recalled' },
  { from: 'expired', on: 'recall', to: 'recalled' },
  { from: 'quarantined', on: 'lift', to: 'available' },
  { from: 'available', on: 'expire', to: 'expired' },
];

/** The status a lot in `from` goes to on `event`, or null when the table refuses it. */
export function lotStatusAfter(from: LotStatus, event: LotEvent): LotStatus | null {
  return lotTransitions.find((t) => t.from === from && t.on === event)?.to ?? null;
}

const wantedBy: Record<LotEvent, LotStatus> = {
  quarantine: 'quarantined',
  recall: 'recalled',
  lift: 'available',
  expire: 'expired',
};

/**
 * The status `event` takes the lot to, or the refusal in words when the table does not allow it: already in
 * that status, recalled (final), no quarantine to lift. Called by the action and when a chat proposal is made,
 * so a user is told before being asked to confirm.
 */
export function assertLotEvent(lot: { lotCode: string; status: LotStatus }, event: LotEvent): LotStatus {
  const to = lotStatusAfter(lot.status, event);
  if (to) return to;
  const wanted = wantedBy[event];
  const context = { entity: 'lot', from: lot.status, to: wanted, event };
  if (lot.status === wanted && event !== 'lift')
    throw new DomainError('conflict', 'lot_already_in_status', {
      params: { lotCode: lot.lotCode, status: lot.status },
      context,
    });
  if (lot.status === 'recalled')
    throw new DomainError('conflict', 'lot_recall_final', { params: { lotCode: lot.lotCode, to: wanted }, context });
  if (event === 'lift')
    throw new DomainError('conflict', 'lot_not_quarantined', {
      params: { lotCode: lot.lotCode, status: lot.status },
      context,
    });
  throw new DomainError('conflict', 'invalid_transition', { params: context, context });
}

export const recallEvents = ['close', 'lift', 'escalate'] as const;
export type RecallEvent = (typeof recallEvents)[number];

/**
 * The recall record machine: a recall closes when nothing is out; a quarantine is lifted, or escalated
 * (closed, and a recall opened in its place). Closed, lifted and escalated records are final.
 */
export const recallTransitions: readonly Transition<RecallStatus, RecallEvent, RecallKind>[] = [
  { from: 'open', on: 'close', to: 'closed', only: 'recall' },
  { from: 'open', on: 'lift', to: 'lifted', only: 'quarantine' },
  { from: 'open', on: 'escalate', to: 'escalated', only: 'quarantine' },
];

/** The status a recall record of `kind` in `from` goes to on `event`, or null when the table refuses it. */
export function recallStatusAfter(kind: RecallKind, from: RecallStatus, event: RecallEvent): RecallStatus | null {
  return (
    recallTransitions.find((t) => t.from === from && t.on === event && (t.only === undefined || t.only === kind))?.to ??
    null
  );
}
