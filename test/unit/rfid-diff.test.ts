import { describe, expect, it } from 'vitest';
import { reconcileLot, type LotAtCabinet, type LotDecision } from '../../api/devices/rfid-diff.ts';

const tags = (...names: string[]) => names.map((tag) => ({ tag, quantity: 1 }));
const lot = (over: Partial<LotAtCabinet>): LotAtCabinet => ({
  status: 'available',
  books: 0,
  inParent: 0,
  gone: [],
  kept: 0,
  fresh: [],
  ...over,
});
const none: LotDecision = {
  consume: 0,
  putAway: 0,
  claimed: [],
  putAwayTags: [],
  pending: [],
  refused: [],
  notBooked: [],
  short: null,
};

describe('reconcileLot: one lot of an RFID snapshot against the books', () => {
  it.each<[string, Partial<LotAtCabinet>, Partial<LotDecision>]>([
    ['nothing changed', { books: 2, kept: 2 }, {}],
    [
      'first snapshot: packs already on the cabinet books are claimed, not moved',
      { books: 2, inParent: 10, fresh: tags('a', 'b') },
      { claimed: ['a', 'b'] },
    ],
    [
      'first snapshot: beyond the books, put away from the ward store',
      { books: 2, inParent: 10, fresh: tags('a', 'b', 'c') },
      { claimed: ['a', 'b'], putAway: 1, putAwayTags: ['c'] },
    ],
    [
      'kept tags hold their units: a new tag does not claim them',
      { books: 2, kept: 2, inParent: 1, fresh: tags('c') },
      { putAway: 1, putAwayTags: ['c'] },
    ],
    [
      'on neither books: pending',
      { books: 0, inParent: 1, fresh: tags('a', 'b') },
      { putAway: 1, putAwayTags: ['a'], pending: ['b'] },
    ],
    ['no parent: pending', { inParent: null, fresh: tags('a') }, { pending: ['a'] }],
    ['gone: consumption', { books: 3, kept: 1, gone: tags('a', 'b') }, { consume: 2 }],
    [
      'gone beyond the books: consume what they hold',
      { books: 1, gone: tags('a', 'b') },
      { consume: 1, short: { gone: 2, booked: 1 } },
    ],
    [
      'a swap: one out, one in, from the ward store',
      { books: 2, kept: 1, inParent: 5, gone: tags('a'), fresh: tags('b') },
      { consume: 1, putAway: 1, putAwayTags: ['b'] },
    ],
    [
      'a count tag (AI 30) stands for its units',
      { books: 0, inParent: 12, fresh: [{ tag: 'box', quantity: 10 }] },
      { putAway: 10, putAwayTags: ['box'] },
    ],
    [
      'a count tag larger than the parent holds waits',
      { books: 0, inParent: 5, fresh: [{ tag: 'box', quantity: 10 }] },
      { pending: ['box'] },
    ],
    ['recalled, gone: not booked', { status: 'recalled', books: 2, kept: 1, gone: tags('a') }, { notBooked: ['a'] }],
    [
      'recalled, new, nothing to claim: put-away refused',
      { status: 'recalled', inParent: 5, fresh: tags('a') },
      { refused: ['a'] },
    ],
    [
      'quarantined, new, already on the cabinet books: claimed (nothing moves)',
      { status: 'quarantined', books: 1, fresh: tags('a') },
      { claimed: ['a'] },
    ],
    ['expired, gone: not booked', { status: 'expired', books: 1, gone: tags('a') }, { notBooked: ['a'] }],
  ])('%s', (_, input, expected) => {
    expect(reconcileLot(lot(input))).toEqual({ ...none, ...expected });
  });

  it('takes new tags in tag order, whatever order they came in', () => {
    expect(reconcileLot(lot({ books: 1, inParent: 1, fresh: tags('z', 'm', 'a') }))).toMatchObject({
      claimed: ['a'],
      putAwayTags: ['m'],
      pending: ['z'],
    });
  });
});
