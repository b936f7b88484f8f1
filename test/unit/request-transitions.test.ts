import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { entityLabels, stateLabel } from '../../api/core/messages/labels.ts';
import { DomainError } from '../../api/core/errors.ts';
import { allows, assertTransition, type Transition } from '../../api/core/state-machine.ts';
import {
  issueNoteTransitions,
  lineTransitions,
  outstanding,
  pickingListTransitions,
  purchaseOrderTransitions,
  requestEventFor,
  requestStatusFor,
  requestTransitions,
  type IssueNoteEvent,
  type LineEvent,
  type PickingListEvent,
  type PurchaseOrderEvent,
  type RequestEvent,
} from '../../api/requests/transitions.ts';
import {
  issueNoteStatuses,
  lineStatuses,
  openLineStatuses,
  openRequestStatuses,
  pickingListStatuses,
  purchaseOrderStatuses,
  requestStatuses,
  type LineStatus,
  type RequestStatus,
} from '../../db/schema/index.ts';

/** Every key of a union, checked by the compiler: adding an event to the code fails here until it is listed. */
const all = <E extends string>(events: Record<E, true>) => Object.keys(events) as E[];

const lineEvents = all<LineEvent>({
  evaluate: true,
  propose: true,
  order: true,
  issue: true,
  withdraw: true,
  reverse: true,
  cancel: true,
});
const requestEvents = all<RequestEvent>({ progress: true, complete: true, reopen: true, cancel: true });
const issueNoteEvents = all<IssueNoteEvent>({ take: true, reverse: true });
const pickingListEvents = all<PickingListEvent>({ confirm: true, cancel: true });
const purchaseOrderEvents = all<PurchaseOrderEvent>({
  firm: true,
  ready: true,
  release: true,
  overdue: true,
  reschedule: true,
  close: true,
  cancel: true,
});

/**
 * The allowed moves, written out again by hand as `from event to`, with `[fact]` when the move needs it.
 * Every triple not listed here must be refused, with and without the fact.
 */
const expected = {
  line: [
    'routed evaluate approved',
    'routed evaluate rejected',
    'routed cancel cancelled',
    'routed propose picking [emergency]',
    'routed order ordered [emergency]',
    'routed issue partially_issued [emergency]',
    'routed issue issued [emergency]',
    'approved propose picking',
    'approved order ordered',
    'approved issue partially_issued',
    'approved issue issued',
    'approved cancel cancelled',
    'picking withdraw approved',
    'picking withdraw routed [emergency]',
    'picking withdraw partially_issued',
    'picking issue partially_issued',
    'picking issue issued',
    'ordered withdraw approved',
    'ordered withdraw routed [emergency]',
    'ordered withdraw partially_issued',
    'ordered issue ordered',
    'ordered issue issued',
    'partially_issued propose picking',
    'partially_issued order ordered',
    'partially_issued issue partially_issued',
    'partially_issued issue issued',
    'partially_issued reverse partially_issued',
    'partially_issued reverse approved',
    'partially_issued reverse routed [emergency]',
    'partially_issued evaluate issued [emergency]',
    'issued reverse partially_issued',
    'issued reverse approved',
    'issued reverse routed [emergency]',
  ],
  request: [
    'submitted progress in_progress',
    'submitted complete completed',
    'submitted cancel cancelled',
    'in_progress complete completed',
    'in_progress cancel cancelled',
    'in_progress reopen submitted',
    'completed reopen in_progress',
    'completed reopen submitted',
  ],
  issueNote: ['issued take taken_in_charge', 'issued reverse reversed'],
  pickingList: ['proposed confirm confirmed', 'proposed cancel cancelled'],
  purchaseOrder: [
    'PL firm FP',
    'FP ready RR',
    'RR release OP',
    'OP overdue OD',
    'OD reschedule OP',
    'OP close CL',
    'OD close CL',
    'PL cancel cancelled',
    'FP cancel cancelled',
    'RR cancel cancelled',
    'OP cancel cancelled [nothing_received]',
    'OD cancel cancelled [nothing_received]',
  ],
};

interface Machine {
  name: string;
  table: readonly Transition<string, string, string>[];
  states: readonly string[];
  events: readonly string[];
  /** The fact some moves need; `null` for machines without facts. */
  fact: string | null;
  allowed: string[];
}

const machines: Machine[] = [
  {
    name: 'request line',
    table: lineTransitions,
    states: lineStatuses,
    events: lineEvents,
    fact: 'emergency',
    allowed: expected.line,
  },
  {
    name: 'request',
    table: requestTransitions,
    states: requestStatuses,
    events: requestEvents,
    fact: null,
    allowed: expected.request,
  },
  {
    name: 'issue note',
    table: issueNoteTransitions,
    states: issueNoteStatuses,
    events: issueNoteEvents,
    fact: null,
    allowed: expected.issueNote,
  },
  {
    name: 'picking list',
    table: pickingListTransitions,
    states: pickingListStatuses,
    events: pickingListEvents,
    fact: null,
    allowed: expected.pickingList,
  },
  {
    name: 'purchase order',
    table: purchaseOrderTransitions,
    states: purchaseOrderStatuses,
    events: purchaseOrderEvents,
    fact: 'nothing_received',
    allowed: expected.purchaseOrder,
  },
];

/** Every triple of a machine with what it should answer without the fact and with it. */
function triples(m: Machine) {
  const listed = new Map<string, string | null>(
    m.allowed.map((entry) => {
      const [from, on, to, fact] = entry.split(' ');
      return [`${from} ${on} ${to}`, fact ? fact.slice(1, -1) : null];
    }),
  );
  return m.states.flatMap((from) =>
    m.events.flatMap((on) =>
      m.states.map((to) => {
        const key = `${from} ${on} ${to}`;
        const needs = listed.has(key) ? listed.get(key)! : undefined;
        return { from, on, to, withoutFact: needs === null, withFact: needs !== undefined };
      }),
    ),
  );
}

describe.each(machines)('$name transitions', (m) => {
  it('lists only known states, events and facts, each move once', () => {
    for (const entry of m.allowed) {
      const [from, on, to, fact] = entry.split(' ');
      expect(m.states).toContain(from);
      expect(m.events).toContain(on);
      expect(m.states).toContain(to);
      if (fact) expect(fact).toBe(`[${m.fact}]`);
    }
    expect(new Set(m.allowed.map((e) => e.split(' ').slice(0, 3).join(' '))).size).toBe(m.allowed.length);
    expect(m.table).toHaveLength(m.allowed.length);
  });

  const cases = triples(m).map((c) => ({
    ...c,
    verdict: c.withoutFact ? 'allowed' : c.withFact ? `allowed only with ${m.fact}` : 'refused',
  }));
  it.each(cases)('$from —$on→ $to: $verdict', ({ from, on, to, withoutFact, withFact }) => {
    expect(allows(m.table, from, on, to)).toBe(withoutFact);
    if (m.fact) expect(allows(m.table, from, on, to, [m.fact])).toBe(withFact);
    // A fact the machine does not know never opens a move.
    expect(allows(m.table, from, on, to, ['unrelated' as never])).toBe(withoutFact);
  });
});

describe('assertTransition', () => {
  it('passes an allowed move, and one allowed by a fact the entity has', () => {
    expect(() => assertTransition(lineTransitions, 'request line', 'routed', 'evaluate', 'approved')).not.toThrow();
    expect(() =>
      assertTransition(lineTransitions, 'request line', 'routed', 'issue', 'issued', ['emergency']),
    ).not.toThrow();
    expect(() =>
      assertTransition(purchaseOrderTransitions, 'purchase order', 'OP', 'cancel', 'cancelled', ['nothing_received']),
    ).not.toThrow();
  });

  const refusal = (run: () => void) => {
    try {
      run();
    } catch (error) {
      expect(error).toBeInstanceOf(DomainError);
      return error as DomainError;
    }
    throw new Error('expected a refusal');
  };

  it.each([
    [
      'request line',
      () => assertTransition(lineTransitions, 'request line', 'routed', 'issue', 'issued'),
      { from: 'routed', to: 'issued', event: 'issue' },
    ],
    [
      'request line',
      () => assertTransition(lineTransitions, 'request line', 'issued', 'cancel', 'cancelled', ['emergency']),
      { from: 'issued', to: 'cancelled', event: 'cancel' },
    ],
    [
      'purchase order',
      () => assertTransition(purchaseOrderTransitions, 'purchase order', 'OD', 'cancel', 'cancelled'),
      { from: 'OD', to: 'cancelled', event: 'cancel' },
    ],
    [
      'issue note',
      () => assertTransition(issueNoteTransitions, 'issue note', 'taken_in_charge', 'reverse', 'reversed'),
      { from: 'taken_in_charge', to: 'reversed', event: 'reverse' },
    ],
    [
      'picking list',
      () => assertTransition(pickingListTransitions, 'picking list', 'confirmed', 'confirm', 'confirmed'),
      { from: 'confirmed', to: 'confirmed', event: 'confirm' },
    ],
    [
      'request',
      () => assertTransition(requestTransitions, 'request', 'cancelled', 'reopen', 'submitted'),
      { from: 'cancelled', to: 'submitted', event: 'reopen' },
    ],
  ] as const)('refuses a %s move as a conflict naming the entity and both states', (entity, run, states) => {
    const error = refusal(run);
    expect({ code: error.code, key: error.key, params: error.params, context: error.context }).toEqual({
      code: 'conflict',
      key: 'invalid_transition',
      params: { entity, ...states },
      context: { entity, ...states },
    });
    expect(error.message).toContain(entity);
    // The reader sees the states' and the entity's names in words, never the codes.
    expect(error.localized('it')).toBe(
      `Operazione non possibile: ${entityLabels[entity]!.it} in stato «${stateLabel(entity, states.from, 'it')}» non può passare a «${stateLabel(entity, states.to, 'it')}».`,
    );
    expect(stateLabel(entity, states.from, 'it')).not.toBe(states.from);
  });
});

describe('requestStatusFor', () => {
  const cases: Array<[LineStatus[], RequestStatus]> = [
    [['routed'], 'submitted'],
    [['routed', 'routed'], 'submitted'],
    [['approved'], 'in_progress'],
    [['routed', 'approved'], 'in_progress'],
    [['routed', 'cancelled'], 'submitted'], // a cancelled line counts for nothing
    [['routed', 'rejected'], 'in_progress'],
    [['picking'], 'in_progress'],
    [['ordered'], 'in_progress'],
    [['partially_issued'], 'in_progress'],
    [['issued', 'partially_issued'], 'in_progress'],
    [['issued', 'routed'], 'in_progress'],
    [['issued', 'ordered', 'rejected'], 'in_progress'],
    [['issued'], 'completed'],
    [['rejected'], 'completed'],
    [['rejected', 'rejected'], 'completed'],
    [['cancelled', 'rejected'], 'completed'],
    [['issued', 'rejected', 'cancelled'], 'completed'],
    [['cancelled'], 'cancelled'],
    [['cancelled', 'cancelled', 'cancelled'], 'cancelled'],
  ];
  it.each(cases)('lines %j make the request %s', (statuses, status) => {
    expect(requestStatusFor(statuses.map((s) => ({ status: s })))).toBe(status);
  });

  // [from, to, event, allowed by the request table]
  const changes: Array<[RequestStatus, RequestStatus, RequestEvent, boolean]> = [
    ['submitted', 'in_progress', 'progress', true],
    ['submitted', 'completed', 'complete', true],
    ['submitted', 'cancelled', 'cancel', true],
    ['in_progress', 'submitted', 'reopen', true],
    ['in_progress', 'completed', 'complete', true],
    ['in_progress', 'cancelled', 'cancel', true],
    ['completed', 'submitted', 'reopen', true],
    ['completed', 'in_progress', 'reopen', true],
    ['completed', 'cancelled', 'cancel', false],
    ['cancelled', 'submitted', 'reopen', false],
    ['cancelled', 'in_progress', 'reopen', false],
    ['cancelled', 'completed', 'complete', false],
  ];
  it.each(changes)('a request going %s → %s is a %s (allowed: %s)', (from, to, event, allowed) => {
    expect(requestEventFor(from, to)).toBe(event);
    expect(allows(requestTransitions, from, event, to)).toBe(allowed);
  });

  it('after any one allowed step of any of its lines, the request moves only as its own table allows', () => {
    const moves = lineTransitions.map((t) => [t.from, t.to] as const);
    const step = (status: LineStatus, pick: number) => {
      const next = moves.filter(([from]) => from === status);
      return next.length === 0 || pick % (next.length + 1) === next.length
        ? status
        : next[pick % (next.length + 1)]![1];
    };
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(...lineStatuses), fc.nat(20)), { minLength: 1, maxLength: 6 }),
        (lines) => {
          const from = requestStatusFor(lines.map(([status]) => ({ status })));
          const to = requestStatusFor(lines.map(([status, pick]) => ({ status: step(status, pick) })));
          return from === to || allows(requestTransitions, from, requestEventFor(from, to), to);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('outstanding', () => {
  // [status, requested, approved, issued, outstanding]
  const cases: Array<[LineStatus, number, number | null, number, number]> = [
    ['routed', 10, null, 0, 10], // not evaluated: what was requested
    ['approved', 10, 10, 0, 10],
    ['approved', 10, 8, 0, 8], // reduced
    ['picking', 10, 8, 0, 8], // proposed, not issued yet
    ['ordered', 10, 10, 0, 10],
    ['ordered', 10, 10, 4, 6], // received in part
    ['partially_issued', 10, 8, 3, 5], // back-order
    ['partially_issued', 10, null, 4, 6], // emergency issued in part before evaluation
    ['issued', 10, 8, 8, 0],
    ['issued', 10, null, 10, 0],
    ['issued', 10, 5, 8, 0], // emergency reduced below what was already issued: never negative
    ['issued', 10, 0, 10, 0], // emergency rejected after it was issued
    ['rejected', 10, 0, 0, 0],
    ['cancelled', 10, null, 0, 0],
    ['cancelled', 10, 10, 0, 0],
  ];
  it.each(cases)(
    '%s line, %i requested, %s approved, %i issued: %i outstanding',
    (status, quantityRequested, quantityApproved, quantityIssued, expected) => {
      expect(outstanding({ status, quantityRequested, quantityApproved, quantityIssued })).toBe(expected);
    },
  );
});

describe('open statuses', () => {
  // Open means still waited on: exactly the statuses with a forward move; a closed one moves only back.
  const forward = (t: { from: string; on: string }) => t.on !== 'reopen' && t.on !== 'reverse';
  it('are the line and request statuses that have a forward move in their tables', () => {
    expect(new Set(lineTransitions.filter(forward).map((t) => t.from))).toEqual(new Set(openLineStatuses));
    expect(new Set(requestTransitions.filter(forward).map((t) => t.from))).toEqual(new Set(openRequestStatuses));
  });
});
