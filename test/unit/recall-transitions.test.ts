import { describe, expect, it } from 'vitest';
import { DomainError } from '../../api/core/errors.ts';
import { allows } from '../../api/core/state-machine.ts';
import {
  assertLotEvent,
  lotEvents,
  lotStatusAfter,
  lotTransitions,
  recallEvents,
  recallStatusAfter,
  recallTransitions,
} from '../../api/lots/recall-transitions.ts';
import {
  lotStatuses,
  recallKinds,
  recallStatuses,
  type LotStatus,
  type RecallKind,
  type RecallStatus,
} from '../../db/schema/index.ts';

/** The spec, written out: every (status, event) pair not listed here must be refused. */
const lotSpec: Record<string, LotStatus> = {
  'available/quarantine': 'quarantined',
  'expired/quarantine': 'quarantined',
  'available/recall': 'recalled',
  'quarantined/recall': 'recalled',
  'expired/recall': 'recalled',
  'quarantined/lift': 'available',
  'available/expire': 'expired',
};
const recallSpec: Record<string, RecallStatus> = {
  'recall/open/close': 'closed',
  'quarantine/open/lift': 'lifted',
  'quarantine/open/escalate': 'escalated',
};

describe('lot status transitions', () => {
  const cases = lotStatuses.flatMap((from) =>
    lotEvents.map((on) => [from, on, lotSpec[`${from}/${on}`] ?? null] as const),
  );
  it.each(cases)('%s on %s → %s', (from, on, to) => {
    expect(lotStatusAfter(from, on)).toBe(to);
    for (const target of lotStatuses) expect(allows(lotTransitions, from, on, target)).toBe(target === to);
  });
  it('a recalled lot is final', () => {
    expect(lotTransitions.filter((t) => t.from === 'recalled')).toEqual([]);
  });
});

/** Why a refused lot status change is refused, as the user reads it (the key of its message). */
const refusalSpec: Record<string, string> = {
  'quarantined/quarantine': 'lot_already_in_status',
  'recalled/recall': 'lot_already_in_status',
  'recalled/quarantine': 'lot_recall_final',
  'recalled/lift': 'lot_recall_final',
  'recalled/expire': 'lot_recall_final',
  'expired/expire': 'lot_already_in_status',
  'available/lift': 'lot_not_quarantined',
  'expired/lift': 'lot_not_quarantined',
};

describe('lot status refusals in words', () => {
  const cases = lotStatuses.flatMap((from) => lotEvents.map((on) => [from, on] as const));
  it.each(cases)('%s on %s', (from, on) => {
    const lot = { lotCode: 'L-9', status: from };
    const to = lotSpec[`${from}/${on}`];
    if (to) return void expect(assertLotEvent(lot, on)).toBe(to);
    let error: unknown;
    try {
      assertLotEvent(lot, on);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DomainError);
    const refusal = error as DomainError;
    expect(refusal).toMatchObject({
      code: 'conflict',
      key: refusalSpec[`${from}/${on}`] ?? 'invalid_transition',
      context: { entity: 'lot', from, event: on },
    });
    for (const locale of ['it', 'en'] as const) expect(refusal.localized(locale)).not.toMatch(/[{}]|_/);
  });

  it("says the state in the reader's language", () => {
    const refusal = (() => {
      try {
        assertLotEvent({ lotCode: 'ENX2291', status: 'recalled' }, 'quarantine');
      } catch (e) {
        return e as DomainError;
      }
    })()!;
    expect(refusal.localized('it')).toBe(
      'Il lotto ENX2291 è richiamato e il richiamo è definitivo: non può più essere «in quarantena».',
    );
    expect(refusal.localized('en')).toBe(
      'Lot ENX2291 is recalled and a recall is final: it can no longer be “quarantined”.',
    );
  });
});

describe('recall record transitions', () => {
  const cases = recallKinds.flatMap((kind) =>
    recallStatuses.flatMap((from) =>
      recallEvents.map((on) => [kind, from, on, recallSpec[`${kind}/${from}/${on}`] ?? null] as const),
    ),
  );
  it.each(cases)('%s %s on %s → %s', (kind: RecallKind, from, on, to) => {
    expect(recallStatusAfter(kind, from, on)).toBe(to);
    for (const target of recallStatuses)
      expect(allows(recallTransitions, from, on, target, [kind])).toBe(target === to);
  });
  it('closed, lifted and escalated records are final', () => {
    expect(recallTransitions.every((t) => t.from === 'open')).toBe(true);
  });
});
