import { describe, expect, it } from 'vitest';
import { allows } from '../../api/core/state-machine.ts';
import { lotEvents, lotStatusAfter, lotTransitions, recallEvents, recallStatusAfter, recallTransitions } from '../../api/lots/recall-transitions.ts';
import { lotStatuses, recallKinds, recallStatuses, type LotStatus, type RecallKind, type RecallStatus } from '../../db/schema/index.ts';

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
  const cases = lotStatuses.flatMap((from) => lotEvents.map((on) => [from, on, lotSpec[`${from}/${on}`] ?? null] as const));
  it.each(cases)('%s on %s → %s', (from, on, to) => {
    expect(lotStatusAfter(from, on)).toBe(to);
    for (const target of lotStatuses) expect(allows(lotTransitions, from, on, target)).toBe(target === to);
  });
  it('a recalled lot is final', () => {
    expect(lotTransitions.filter((t) => t.from === 'recalled')).toEqual([]);
  });
});

describe('recall record transitions', () => {
  const cases = recallKinds.flatMap((kind) => recallStatuses.flatMap((from) => recallEvents.map((on) => [kind, from, on, recallSpec[`${kind}/${from}/${on}`] ?? null] as const)));
  it.each(cases)('%s %s on %s → %s', (kind: RecallKind, from, on, to) => {
    expect(recallStatusAfter(kind, from, on)).toBe(to);
    for (const target of recallStatuses) expect(allows(recallTransitions, from, on, target, [kind])).toBe(target === to);
  });
  it('closed, lifted and escalated records are final', () => {
    expect(recallTransitions.every((t) => t.from === 'open')).toBe(true);
  });
});
