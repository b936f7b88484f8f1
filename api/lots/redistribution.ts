/** Short-dated stock of one lot at one location. */
export interface ShortDated {
  locationId: string;
  lotId: string;
  itemId: string;
  quantity: number;
  /** Days from today to the expiry (0 = expires today). */
  daysLeft: number;
}

/** Units per day an item is consumed at a location (its subtree), from the ledger's recent consumption. */
export interface UseRate {
  locationId: string;
  itemId: string;
  perDay: number;
}

export interface Proposal {
  lotId: string;
  itemId: string;
  fromLocationId: string;
  toLocationId: string;
  quantity: number;
  /** Units the source would not use before the expiry at its own rate. */
  surplus: number;
  daysLeft: number;
}

/**
 * Proposals to move short-dated stock to where it will be used first. What a location will not use before
 * the expiry at its own rate (quantity − rate × days left) is offered to the other locations consuming the
 * item, fastest first, each taking what it can use in the days left beyond what it already received in these
 * proposals. Pure: the action feeds it from the ledger.
 */
export function proposeMoves(stock: ShortDated[], rates: UseRate[]): Proposal[] {
  const proposals: Proposal[] = [];
  const rate = (loc: string, item: string) => rates.find((r) => r.locationId === loc && r.itemId === item)?.perDay ?? 0;
  const promised = new Map<string, number>();
  const surplusOf = (s: ShortDated) => s.quantity - Math.floor(rate(s.locationId, s.itemId) * s.daysLeft);
  // Soonest expiry first, then the largest surplus (the most at risk), then ids for a stable answer.
  const sorted = [...stock].sort(
    (a, b) =>
      a.daysLeft - b.daysLeft ||
      surplusOf(b) - surplusOf(a) ||
      a.lotId.localeCompare(b.lotId) ||
      a.locationId.localeCompare(b.locationId),
  );
  for (const s of sorted) {
    let surplus = surplusOf(s);
    if (surplus <= 0 || s.daysLeft <= 0) continue;
    const total = surplus;
    const takers = rates
      .filter((r) => r.itemId === s.itemId && r.locationId !== s.locationId && r.perDay > rate(s.locationId, s.itemId))
      .sort((a, b) => b.perDay - a.perDay || a.locationId.localeCompare(b.locationId));
    for (const t of takers) {
      const key = `${t.locationId}|${s.itemId}`;
      const room = Math.floor(t.perDay * s.daysLeft) - (promised.get(key) ?? 0);
      const quantity = Math.min(room, surplus);
      if (quantity <= 0) continue;
      proposals.push({
        lotId: s.lotId,
        itemId: s.itemId,
        fromLocationId: s.locationId,
        toLocationId: t.locationId,
        quantity,
        surplus: total,
        daysLeft: s.daysLeft,
      });
      promised.set(key, (promised.get(key) ?? 0) + quantity);
      surplus -= quantity;
      if (surplus === 0) break;
    }
  }
  return proposals;
}
