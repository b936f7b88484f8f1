import type { LotStatus } from '../../db/schema/index.ts';

/** One lot at an RFID cabinet: its status today, the books, and the tags of this snapshot against the last. */
export interface LotAtCabinet {
  status: LotStatus;
  /** Units on the cabinet's books now. */
  books: number;
  /** Units on the books of the cabinet's parent (its ward store); null when the cabinet has no parent. */
  inParent: number | null;
  /** Tags of the last snapshot missing from this one, with the units each stands for. */
  gone: { tag: string; quantity: number }[];
  /** Units of the tags present in both snapshots. */
  kept: number;
  /** Tags new in this snapshot. */
  fresh: { tag: string; quantity: number }[];
}

/** What a snapshot does to one lot: movements to book, tags to remember, tags it could not use. */
export interface LotDecision {
  /** Units to book as consumption at the cabinet. */
  consume: number;
  /** Units to transfer from the parent into the cabinet. */
  putAway: number;
  /** New tags placed on the books: claimed (already at the cabinet) or put away. */
  claimed: string[];
  putAwayTags: string[];
  /** New tags of a usable lot that neither the cabinet's nor the parent's books hold. */
  pending: string[];
  /** New tags of an unusable lot with nothing on the cabinet's books to claim: put-away refused. */
  refused: string[];
  /** Gone tags of an unusable lot: consumption not booked. */
  notBooked: string[];
  /** Set when more units left than the cabinet's books hold: only `booked` are consumed. */
  short: { gone: number; booked: number } | null;
}

/**
 * The RFID diff rule for one lot. Gone tags are consumption, never more than the books hold. New tags first
 * claim the units the cabinet's books hold beyond the kept tags (a delivery straight to the cabinet, stock
 * from before RFID), then are put away from the parent as far as it holds the lot; the rest wait. A lot that
 * is not available (recalled, quarantined, expired) is never moved by a tag. Tags are taken in tag order.
 */
export function reconcileLot(lot: LotAtCabinet): LotDecision {
  const usable = lot.status === 'available';
  const decision: LotDecision = {
    consume: 0,
    putAway: 0,
    claimed: [],
    putAwayTags: [],
    pending: [],
    refused: [],
    notBooked: [],
    short: null,
  };
  let books = lot.books;
  const goneUnits = lot.gone.reduce((s, g) => s + g.quantity, 0);
  if (goneUnits > 0 && !usable) decision.notBooked = lot.gone.map((g) => g.tag);
  else if (goneUnits > 0) {
    decision.consume = Math.min(goneUnits, Math.max(0, books));
    if (decision.consume < goneUnits) decision.short = { gone: goneUnits, booked: decision.consume };
    books -= decision.consume;
  }
  let untagged = Math.max(0, books - lot.kept);
  let inParent = lot.inParent ?? 0;
  for (const t of [...lot.fresh].sort((a, b) => (a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0))) {
    if (t.quantity <= untagged) {
      untagged -= t.quantity;
      decision.claimed.push(t.tag);
    } else if (!usable) {
      decision.refused.push(t.tag);
    } else if (lot.inParent !== null && t.quantity <= inParent) {
      inParent -= t.quantity;
      decision.putAway += t.quantity;
      decision.putAwayTags.push(t.tag);
    } else {
      decision.pending.push(t.tag);
    }
  }
  return decision;
}
