import { describe, expect, it } from 'vitest';
import { proposeMoves } from '../../api/lots/redistribution.ts';

describe('proposeMoves', () => {
  const stock = (locationId: string, quantity: number, daysLeft = 10, lotId = 'L1') => ({
    locationId,
    lotId,
    itemId: 'I',
    quantity,
    daysLeft,
  });
  const rate = (locationId: string, perDay: number) => ({ locationId, itemId: 'I', perDay });

  it('offers what a location will not use in time to the fastest user, up to what it can use', () => {
    expect(proposeMoves([stock('A', 30)], [rate('A', 1), rate('B', 3), rate('C', 0.5)])).toEqual([
      { lotId: 'L1', itemId: 'I', fromLocationId: 'A', toLocationId: 'B', quantity: 20, surplus: 20, daysLeft: 10 },
    ]);
    expect(
      proposeMoves([stock('A', 50)], [rate('B', 3), rate('C', 0.5)]).map((p) => [p.toLocationId, p.quantity]),
    ).toEqual([
      ['B', 30],
      ['C', 5],
    ]);
  });

  it('proposes nothing when the holder uses it in time, when no one uses it faster, or once expired', () => {
    expect(proposeMoves([stock('A', 10)], [rate('A', 1), rate('B', 5)])).toEqual([]);
    expect(proposeMoves([stock('A', 10)], [rate('A', 0.5), rate('B', 0.2)])).toEqual([]);
    expect(proposeMoves([stock('A', 10, 0)], [rate('B', 5)])).toEqual([]);
  });

  it('does not promise a taker more than it can use across several sources, the largest surplus first', () => {
    const proposals = proposeMoves([stock('A', 4), stock('D', 30)], [rate('B', 1)]);
    expect(proposals.map((p) => [p.fromLocationId, p.quantity])).toEqual([['D', 10]]);
  });
});
