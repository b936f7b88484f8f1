import { asc } from 'drizzle-orm';
import { lots, stockBalances, type MovementKind } from '../../db/schema/index.ts';
import { lotBalances } from './lot-balances.ts';
import type { Context } from '../core/context.ts';
import { DomainError, insufficientStock } from '../core/errors.ts';
import { localDate } from '../core/time.ts';
import { anyOf } from '../core/sql-arrays.ts';
import { loadItems } from '../catalogue/load-item.ts';
import type { ItemRow } from '../catalogue/load-item.ts';
import { loadLots } from '../lots/load-lot.ts';
import { assertUsable, isUsable } from '../lots/lot-rules.ts';
import { postMovements, type Movement, type MovementDraft } from './ledger.ts';
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
  /** Who moves it, when one call carries several actors' moves (device readings); else the context's actor. */
  actorId?: string | null | undefined;
  /** The organisation whose ledger it enters, when one call spans several; else the context's actor's. */
  organisationId?: string | undefined;
}

export type PostedMove = Movement & { lineIndex: number };
/** One move's outcome in a call of many: its movements, or why it was refused (the others go on). */
export type MoveOutcome = { ok: true; posted: PostedMove[] } | { ok: false; error: DomainError };

/**
 * Takes stock out of one location, line by line: the named lot, or FEFO over the item's usable lots
 * (earliest expiry first; never expired, quarantined or recalled). Returns the posted movements, each
 * with the index of the line it serves (FEFO may split a line over several lots). Throws the refusal.
 */
export async function moveStock(ctx: Context, move: MoveStock): Promise<PostedMove[]> {
  const items = await loadItems(
    ctx,
    move.lines.map((l) => l.itemId),
  );
  const { outcomes } = await moveStockMany(ctx, [move], { items });
  const [outcome] = outcomes;
  if (!outcome!.ok) throw outcome!.error;
  return outcome!.posted;
}

/**
 * Many moves in one call, each with the outcome of moving it alone, set-based (a constant number of
 * statements whatever the number of moves). The candidate balances of every move are locked in key order
 * (location, lot) before picking, so concurrent pickers queue and see each other's takes; lot usability is
 * then read under a share lock of the lots, so a quarantine or recall committing meanwhile either waits for
 * this call (which then happened before it) or is seen, and the lot refused. Moves are picked in order; one
 * that finds too little usable stock or names an unusable lot is refused alone. One ledger write for all.
 * Also returns, per `location|item` touched by FEFO, the usable stock left.
 */
export async function moveStockMany(
  ctx: Context,
  moves: MoveStock[],
  options: { items?: Map<string, ItemRow> } = {},
): Promise<{ outcomes: MoveOutcome[]; usableLeft: Map<string, number> }> {
  const today = localDate(ctx.now());
  const named = await loadLots(
    ctx,
    moves.flatMap((m) => m.lines.flatMap((l) => (l.lotId ? [l.lotId] : []))),
  );
  const fefoPairs = new Set(
    moves.flatMap((m) => m.lines.filter((l) => !l.lotId).map((l) => `${m.fromLocationId}|${l.itemId}`)),
  );
  const fefoLocations = [...new Set([...fefoPairs].map((p) => p.split('|')[0]!))];
  const fefoItems = [...new Set([...fefoPairs].map((p) => p.split('|')[1]!))];
  const candidates = fefoPairs.size
    ? await lotBalances(ctx.db, { locationIds: fefoLocations, itemIds: fefoItems })
        .orderBy(asc(stockBalances.locationId), asc(stockBalances.lotId))
        .for('update', { of: stockBalances })
    : [];
  if (moves.some((m) => m.requireUsable)) {
    const ids = [...new Set([...named.keys(), ...candidates.map((c) => c.lotId)])].sort();
    const current = ids.length
      ? await ctx.db
          .select({ id: lots.id, status: lots.status })
          .from(lots)
          .where(anyOf(lots.id, ids))
          .orderBy(asc(lots.id))
          .for('share')
      : [];
    const statusOf = new Map(current.map((l) => [l.id, l.status]));
    for (const lot of named.values()) lot.status = statusOf.get(lot.id) ?? lot.status;
    for (const c of candidates) c.status = statusOf.get(c.lotId) ?? c.status;
  }
  // location|item → its lots, FEFO order (usability checked per move).
  const byPair = new Map<string, typeof candidates>();
  for (const c of candidates) {
    const pair = `${c.locationId}|${c.itemId}`;
    if (!fefoPairs.has(pair)) continue;
    if (!byPair.has(pair)) byPair.set(pair, []);
    byPair.get(pair)!.push(c);
  }
  for (const list of byPair.values())
    list.sort(
      (a, b) =>
        (a.expiry ?? '9999-12-31').localeCompare(b.expiry ?? '9999-12-31') || a.lotCode.localeCompare(b.lotCode),
    );

  const taken = new Map<string, number>(); // location|lot → taken by the moves accepted so far
  const drafts: MovementDraft[] = [];
  const lineOf: number[] = [];
  const draftsOf: { start: number; count: number }[] = [];
  const outcomes: (MoveOutcome | undefined)[] = new Array(moves.length);
  for (const [m, move] of moves.entries()) {
    const mine: MovementDraft[] = [];
    const mineLines: number[] = [];
    const takes = new Map<string, number>();
    const used = (lotId: string) => (taken.get(`${move.fromLocationId}|${lotId}`) ?? 0) + (takes.get(lotId) ?? 0);
    const common = {
      kind: move.kind,
      fromLocationId: move.fromLocationId,
      toLocationId: move.toLocationId,
      documentType: move.documentType ?? null,
      documentId: move.documentId ?? null,
      reason: move.reason ?? null,
      idempotencyKey: move.idempotencyKey ?? null,
      ...(move.occurredAt ? { occurredAt: new Date(move.occurredAt) } : {}),
      ...(move.actorId !== undefined ? { actorId: move.actorId } : {}),
      ...(move.organisationId ? { organisationId: move.organisationId } : {}),
    };
    try {
      for (const [index, line] of move.lines.entries()) {
        if (line.lotId) {
          const lot = named.get(line.lotId)!;
          if (lot.itemId !== line.itemId) {
            const item = options.items?.get(line.itemId)?.code ?? line.itemId;
            throw new DomainError('validation', 'validation', {
              fields: [{ field: `lines.${index}.lotId`, message: `Lot ${lot.lotCode} is not a lot of item ${item}.` }],
            });
          }
          if (move.requireUsable) assertUsable(lot, today, `lines.${index}.lotId`);
          mine.push({
            ...common,
            itemId: line.itemId,
            lotId: lot.id,
            quantity: line.quantity,
            unitPrice: lot.purchasePrice,
          });
          mineLines.push(index);
          // FEFO lines below must not pick again what this line already takes from the lot; the ledger checks its
          // balance.
          takes.set(lot.id, (takes.get(lot.id) ?? 0) + line.quantity);
          continue;
        }
        let remaining = line.quantity;
        for (const c of byPair.get(`${move.fromLocationId}|${line.itemId}`) ?? []) {
          if (move.requireUsable && !isUsable(c, today)) continue;
          const left = c.quantity - used(c.lotId);
          if (left <= 0) continue;
          const quantity = Math.min(left, remaining);
          takes.set(c.lotId, (takes.get(c.lotId) ?? 0) + quantity);
          mine.push({ ...common, itemId: line.itemId, lotId: c.lotId, quantity, unitPrice: c.price });
          mineLines.push(index);
          remaining -= quantity;
          if (remaining === 0) break;
        }
        if (remaining > 0)
          throw insufficientStock({
            itemId: line.itemId,
            locationId: move.fromLocationId,
            requested: line.quantity,
            available: line.quantity - remaining,
          });
      }
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      outcomes[m] = { ok: false, error };
      continue;
    }
    for (const [lotId, q] of takes)
      taken.set(`${move.fromLocationId}|${lotId}`, (taken.get(`${move.fromLocationId}|${lotId}`) ?? 0) + q);
    draftsOf[m] = { start: drafts.length, count: mine.length };
    drafts.push(...mine);
    lineOf.push(...mineLines);
  }
  // The FEFO balances were locked above in the ledger's key order: it checks against what that read instead of locking
  // again.
  const locked = new Map(candidates.map((c) => [`${c.locationId}|${c.lotId}`, c.quantity]));
  const posted = await postMovements(ctx, drafts, { locked });
  for (const [m] of moves.entries()) {
    if (outcomes[m]) continue;
    const { start, count } = draftsOf[m]!;
    outcomes[m] = {
      ok: true,
      posted: posted.slice(start, start + count).map((p, i) => ({ ...p, lineIndex: lineOf[start + i]! })),
    };
  }
  const usableLeft = new Map<string, number>();
  for (const [pair, list] of byPair) {
    for (const c of list)
      if (isUsable(c, today))
        usableLeft.set(pair, (usableLeft.get(pair) ?? 0) + c.quantity - (taken.get(`${c.locationId}|${c.lotId}`) ?? 0));
  }
  return { outcomes: outcomes as MoveOutcome[], usableLeft };
}
