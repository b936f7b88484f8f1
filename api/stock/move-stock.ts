import { and, asc, eq, gt, inArray } from 'drizzle-orm';
import { lots, stockBalances, type MovementKind } from '../../db/schema/index.ts';
import type { Context } from '../core/context.ts';
import { DomainError, insufficientStock } from '../core/errors.ts';
import { localDate } from '../core/time.ts';
import { anyOf } from '../core/sql-arrays.ts';
import { loadItems } from '../catalogue/load-item.ts';
import { loadLots } from '../lots/load-lot.ts';
import { assertUsable, isUsable } from '../lots/lot-rules.ts';
import { postMovements, type MovementDraft } from './ledger.ts';
import type { MoveLine } from './schemas.ts';

export interface MoveStock {
  kind: MovementKind;
  fromLocationId: string;
  toLocationId: string | null;
  lines: MoveLine[];
  /** Issues, transfers, consumption and sales need a usable lot; returns and adjustments do not. */
  requireUsable: boolean;
  documentType?: string | undefined;
  documentId?: string | undefined;
  reason?: string | undefined;
  occurredAt?: string | undefined;
  idempotencyKey?: string | undefined;
}

/**
 * Takes stock out of one location, line by line: the named lot, or FEFO over the item's usable lots
 * (earliest expiry first; never expired, quarantined or recalled). Candidate balances are locked in key
 * order before picking, so concurrent pickers see each other's takes. Returns the posted movements, each
 * with the index of the line it serves (FEFO may split a line over several lots).
 */
export async function moveStock(ctx: Context, move: MoveStock) {
  const today = localDate(ctx.now());
  const itemsById = await loadItems(ctx, move.lines.map((l) => l.itemId));
  const named = await loadLots(ctx, move.lines.flatMap((l) => (l.lotId ? [l.lotId] : [])));
  const fefoItems = [...new Set(move.lines.filter((l) => !l.lotId).map((l) => l.itemId))];
  const candidates = fefoItems.length
    ? await ctx.db
        .select({ lotId: stockBalances.lotId, itemId: stockBalances.itemId, quantity: stockBalances.quantity, lotCode: lots.lotCode, expiry: lots.expiry, status: lots.status, price: lots.purchasePrice })
        .from(stockBalances)
        .innerJoin(lots, eq(lots.id, stockBalances.lotId))
        .where(and(eq(stockBalances.locationId, move.fromLocationId), inArray(stockBalances.itemId, fefoItems), gt(stockBalances.quantity, 0)))
        .orderBy(asc(stockBalances.lotId))
        .for('update', { of: stockBalances })
    : [];
  if (move.requireUsable) {
    // Usability is read under a share lock of the lots: a quarantine or recall committing meanwhile either
    // waits for this move (which then happened before it) or is seen here, and the lot is refused.
    const ids = [...new Set([...named.keys(), ...candidates.map((c) => c.lotId)])].sort();
    const current = ids.length ? await ctx.db.select({ id: lots.id, status: lots.status }).from(lots).where(anyOf(lots.id, ids)).orderBy(asc(lots.id)).for('share') : [];
    const statusOf = new Map(current.map((l) => [l.id, l.status]));
    for (const lot of named.values()) lot.status = statusOf.get(lot.id) ?? lot.status;
    for (const c of candidates) c.status = statusOf.get(c.lotId) ?? c.status;
  }
  const fefo = candidates
    .filter((c) => !move.requireUsable || isUsable(c, today))
    .sort((a, b) => (a.expiry ?? '9999-12-31').localeCompare(b.expiry ?? '9999-12-31') || a.lotCode.localeCompare(b.lotCode));
  const taken = new Map<string, number>();
  const drafts: MovementDraft[] = [];
  const lineOf: number[] = [];
  for (const [index, line] of move.lines.entries()) {
    const common = { kind: move.kind, itemId: line.itemId, fromLocationId: move.fromLocationId, toLocationId: move.toLocationId };
    if (line.lotId) {
      const lot = named.get(line.lotId)!;
      if (lot.itemId !== line.itemId) {
        throw new DomainError('validation', 'validation', { fields: [{ field: `lines.${index}.lotId`, message: `Lot ${lot.lotCode} is not a lot of item ${itemsById.get(line.itemId)!.code}.` }] });
      }
      if (move.requireUsable) assertUsable(lot, today, `lines.${index}.lotId`);
      drafts.push({ ...common, lotId: lot.id, quantity: line.quantity, unitPrice: lot.purchasePrice });
      lineOf.push(index);
      // FEFO lines below must not pick again what this line already takes from the lot.
      taken.set(lot.id, (taken.get(lot.id) ?? 0) + line.quantity);
      continue;
    }
    let remaining = line.quantity;
    for (const c of fefo) {
      if (c.itemId !== line.itemId) continue;
      const free = c.quantity - (taken.get(c.lotId) ?? 0);
      if (free <= 0) continue;
      const quantity = Math.min(free, remaining);
      taken.set(c.lotId, (taken.get(c.lotId) ?? 0) + quantity);
      drafts.push({ ...common, lotId: c.lotId, quantity, unitPrice: c.price });
      lineOf.push(index);
      remaining -= quantity;
      if (remaining === 0) break;
    }
    if (remaining > 0) {
      throw insufficientStock({ itemId: line.itemId, locationId: move.fromLocationId, requested: line.quantity, available: line.quantity - remaining });
    }
  }
  const extra = {
    documentType: move.documentType ?? null,
    documentId: move.documentId ?? null,
    reason: move.reason ?? null,
    idempotencyKey: move.idempotencyKey ?? null,
    ...(move.occurredAt ? { occurredAt: new Date(move.occurredAt) } : {}),
  };
  const posted = await postMovements(ctx, drafts.map((d) => ({ ...d, ...extra })));
  return posted.map((m, i) => ({ ...m, lineIndex: lineOf[i]! }));
}
