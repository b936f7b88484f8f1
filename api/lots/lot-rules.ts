import type { LotStatus } from '../../db/schema/index.ts';
import { DomainError } from '../core/errors.ts';

export interface LotFacts {
  id: string;
  lotCode: string;
  status: LotStatus;
  expiry: string | null;
}

/** A lot's status as staff see it on `today`: a lot past its expiry is expired whatever its stored status. */
export function effectiveStatus(lot: Pick<LotFacts, 'status' | 'expiry'>, today: string): LotStatus {
  if (lot.status === 'available' && lot.expiry !== null && lot.expiry < today) return 'expired';
  return lot.status;
}

/** A lot as the lot reads (trace, recall progress) show it: the status staff see on `today`, with its item. */
export function lotSummary<I extends object>(
  lot: LotFacts & { itemId: string; statusReason: string | null },
  item: I,
  today: string,
) {
  const { id, lotCode, expiry, statusReason } = lot;
  return { id, lotCode, expiry, status: effectiveStatus(lot, today), statusReason, item: { id: lot.itemId, ...item } };
}

/** Whether stock of this lot may be issued, picked, transferred or consumed on `today`. */
export function isUsable(lot: Pick<LotFacts, 'status' | 'expiry'>, today: string): boolean {
  return effectiveStatus(lot, today) === 'available';
}

/** Throws the reason a lot cannot be used (quarantined, recalled, expired), naming it. */
export function assertUsable(lot: LotFacts, today: string, field = 'lotId'): void {
  const status = effectiveStatus(lot, today);
  if (status === 'available') return;
  const [key, params] =
    status === 'expired' && lot.expiry && lot.expiry < today
      ? (['lot_expired', { lotCode: lot.lotCode, expiry: lot.expiry }] as const)
      : (['lot_unavailable', { lotCode: lot.lotCode, status }] as const);
  throw new DomainError('precondition_failed', key, {
    params,
    fields: [{ field, message: `Lot ${lot.lotCode} is ${status}.` }],
    context: { lotId: lot.id, status },
  });
}
