import type { DetailScope } from '../auth/read-scope.ts';
import type { HolderSummary } from './lot-ledger.ts';

type Sums = Omit<HolderSummary, 'atMark' | 'firstAt' | 'lastAt'>;
/** A holder the actor sees in full, with its first and last movement time. */
export type FullHolder = Sums & { detail: 'full'; firstAt: string; lastAt: string };
/** Another holder: totals only, no first / last movement time. */
export type TotalsHolder = Sums & { detail: 'totals'; firstAt: null; lastAt: null };
export type ScopedHolder = FullHolder | TotalsHolder;

/** Applies the read rule (`detailScope`) to a lot's holders, in one pass: other holders keep only their totals. */
export function scopeHolders(scope: DetailScope, holders: HolderSummary[]): ScopedHolder[] {
  return holders.map(
    ({ atMark: _, ...h }): ScopedHolder =>
      scope.sees(h.location) ? { ...h, detail: 'full' } : { ...h, detail: 'totals', firstAt: null, lastAt: null },
  );
}

/** The holders the actor sees only as totals. */
export const totalsOnly = (holders: ScopedHolder[]): TotalsHolder[] =>
  holders.filter((h): h is TotalsHolder => h.detail === 'totals');
