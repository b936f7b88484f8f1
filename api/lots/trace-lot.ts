import { and, asc, eq, gt, or } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { z } from 'zod';
import { items, locations, lotRecalls, movements, suppliers } from '../../db/schema/index.ts';
import { authorize } from '../auth/permissions.ts';
import { detailScope } from '../auth/read-scope.ts';
import type { Context } from '../core/context.ts';
import { decodeCursor, encodeCursor } from '../core/pagination.ts';
import { localDate } from '../core/time.ts';
import { parseInput } from '../core/validate.ts';
import { loadLot } from './load-lot.ts';
import { lotHolders } from './lot-ledger.ts';
import { lotSummary } from './lot-rules.ts';
import { scopeHolders } from './scoped-holders.ts';
import { text } from '../core/text.ts';

export const TraceLotInput = z.object({
  lotId: z.uuid(),
  /** Movements of the timeline on one page (oldest first); the holders summary always covers the whole ledger. */
  limit: z.coerce.number().int().min(1).max(500).default(200),
  cursor: text().optional(),
});
export type TraceLotInput = z.input<typeof TraceLotInput>;

const fromLocation = alias(locations, 'from_location');
const toLocation = alias(locations, 'to_location');

/**
 * A lot's trace, backward and forward: the timeline of its movements (where it came from — receipts from
 * outside, with their documents — and every hop after), and a summary per holder (each location it ever
 * reached: received, sent on, consumed there net of reversed consumption, on hand now). Consumption and
 * other exits leave Scorta (patient, bin, supplier); `onHand` is what a recall must still collect.
 * What the actor sees follows `detailScope`: the timeline holds the movements touching a location she may read,
 * other holders are totals only (`detail: 'totals'`, no times); `totals` always cover the whole lot.
 */
export async function traceLot({ ctx, input }: { ctx: Context; input: TraceLotInput }) {
  const data = parseInput(TraceLotInput, input);
  authorize(ctx.actor, 'lots.read');
  const scope = detailScope(ctx.actor);
  const lot = await loadLot(ctx, data.lotId);
  const [item] = await ctx.db
    .select({ code: items.code, name: items.name, nameEn: items.nameEn, unit: items.unit })
    .from(items)
    .where(eq(items.id, lot.itemId));
  const after = decodeCursor(data.cursor, z.number().int().nonnegative()) ?? 0;
  const rows = await ctx.db
    .select({
      id: movements.id,
      kind: movements.kind,
      reversesId: movements.reversesId,
      quantity: movements.quantity,
      from: { id: fromLocation.id, code: fromLocation.code, name: fromLocation.name, kind: fromLocation.kind },
      to: { id: toLocation.id, code: toLocation.code, name: toLocation.name, kind: toLocation.kind },
      documentType: movements.documentType,
      documentId: movements.documentId,
      reason: movements.reason,
      channel: movements.channel,
      occurredAt: movements.occurredAt,
    })
    .from(movements)
    .leftJoin(fromLocation, eq(fromLocation.id, movements.fromLocationId))
    .leftJoin(toLocation, eq(toLocation.id, movements.toLocationId))
    .where(
      and(
        eq(movements.lotId, lot.id),
        gt(movements.id, after),
        scope.all ? undefined : or(scope.seesSql(fromLocation), scope.seesSql(toLocation)),
      ),
    )
    .orderBy(asc(movements.id))
    .limit(data.limit + 1);

  const holders = await lotHolders(ctx, lot.id);
  const [openRecall] = await ctx.db
    .select({
      id: lotRecalls.id,
      kind: lotRecalls.kind,
      reason: lotRecalls.reason,
      reference: lotRecalls.reference,
      openedAt: lotRecalls.openedAt,
    })
    .from(lotRecalls)
    .where(and(eq(lotRecalls.lotId, lot.id), eq(lotRecalls.status, 'open')));
  const [supplier] = lot.supplierId
    ? await ctx.db
        .select({ id: suppliers.id, code: suppliers.code, name: suppliers.name })
        .from(suppliers)
        .where(eq(suppliers.id, lot.supplierId))
    : [];

  const page = rows.slice(0, data.limit);
  const summary = scopeHolders(scope, holders);
  const sum = (pick: (h: (typeof summary)[number]) => number) => summary.reduce((s, h) => s + pick(h), 0);
  const { item: lotItem, ...head } = lotSummary(lot, item!, localDate(ctx.now()));
  return {
    lot: { ...head, supplierId: lot.supplierId, item: lotItem },
    /** `all`: every location in full; `own`: full rows for the actor's locations, other holders as totals. */
    detail: scope.all ? ('all' as const) : ('own' as const),
    holders: summary,
    supplier: supplier ?? null,
    recall: openRecall ? { ...openRecall, openedAt: new Date(openRecall.openedAt).toISOString() } : null,
    totals: {
      // What came from suppliers (receipts net of reversed ones) is what is still here plus what left, less surplus
      // counted in.
      received: sum((h) => h.onHand + h.consumed + h.sold - h.adjusted),
      onHand: sum((h) => h.onHand),
      consumed: sum((h) => h.consumed),
      sold: sum((h) => h.sold),
      adjusted: sum((h) => h.adjusted),
      holdersWithStock: summary.filter((h) => h.onHand > 0).length,
    },
    timeline: page.map((m) => ({ ...m, occurredAt: new Date(m.occurredAt).toISOString() })),
    nextCursor: rows.length > data.limit ? encodeCursor(page.at(-1)!.id) : null,
  };
}
