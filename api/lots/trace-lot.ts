import { and, asc, eq, gt, or, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { z } from 'zod';
import { items, locations, movements } from '../../db/schema/index.ts';
import { authorize } from '../auth/permissions.ts';
import type { Context } from '../core/context.ts';
import { decodeCursor, encodeCursor } from '../core/pagination.ts';
import { localDate } from '../core/time.ts';
import { parseInput } from '../core/validate.ts';
import { loadLot } from './load-lot.ts';
import { effectiveStatus } from './lot-rules.ts';

export const TraceLotInput = z.object({
  lotId: z.uuid(),
  /** Movements of the timeline on one page (oldest first); the holders summary always covers the whole ledger. */
  limit: z.coerce.number().int().min(1).max(500).default(200),
  cursor: z.string().optional(),
});
export type TraceLotInput = z.input<typeof TraceLotInput>;

const fromLocation = alias(locations, 'from_location');
const toLocation = alias(locations, 'to_location');
const reversed = alias(movements, 'reversed');

/**
 * A lot's trace, backward and forward: the timeline of its movements (where it came from — receipts from
 * outside, with their documents — and every hop after), and a summary per holder (each location it ever
 * reached: received, sent on, consumed there net of reversed consumption, on hand now). Consumption and
 * other exits leave Scorta (patient, bin, supplier); `onHand` is what a recall must still collect.
 */
export async function traceLot({ ctx, input }: { ctx: Context; input: TraceLotInput }) {
  const data = parseInput(TraceLotInput, input);
  authorize(ctx.actor, 'lots.read');
  const lot = await loadLot(ctx, data.lotId);
  const [item] = await ctx.db.select({ code: items.code, name: items.name, nameEn: items.nameEn, unit: items.unit }).from(items).where(eq(items.id, lot.itemId));
  const after = decodeCursor(data.cursor, z.number().int()) ?? 0;
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
    .where(and(eq(movements.lotId, lot.id), gt(movements.id, after)))
    .orderBy(asc(movements.id))
    .limit(data.limit + 1);

  const into = sql`${movements.toLocationId} = ${locations.id}`;
  const outOf = sql`${movements.fromLocationId} = ${locations.id}`;
  const holders = await ctx.db
    .select({
      location: { id: locations.id, code: locations.code, name: locations.name, kind: locations.kind },
      received: sql<number>`coalesce(sum(${movements.quantity}) filter (where ${into}), 0)::int`,
      sent: sql<number>`coalesce(sum(${movements.quantity}) filter (where ${outOf}), 0)::int`,
      consumed: sql<number>`coalesce(sum(case when ${movements.kind} = 'consumption' and ${outOf} then ${movements.quantity}
        when ${movements.kind} = 'reversal' and ${reversed.kind} = 'consumption' and ${into} then -${movements.quantity} else 0 end), 0)::int`,
      firstAt: sql<string>`min(${movements.occurredAt})`,
      lastAt: sql<string>`max(${movements.occurredAt})`,
    })
    .from(movements)
    .innerJoin(locations, or(eq(locations.id, movements.fromLocationId), eq(locations.id, movements.toLocationId)))
    .leftJoin(reversed, eq(reversed.id, movements.reversesId))
    .where(eq(movements.lotId, lot.id))
    .groupBy(locations.id, locations.code, locations.name, locations.kind)
    .orderBy(sql`min(${movements.id})`);

  const page = rows.slice(0, data.limit);
  const summary = holders.map((h) => ({ ...h, onHand: h.received - h.sent, firstAt: new Date(h.firstAt).toISOString(), lastAt: new Date(h.lastAt).toISOString() }));
  return {
    lot: { id: lot.id, lotCode: lot.lotCode, expiry: lot.expiry, status: effectiveStatus(lot, localDate(ctx.now())), statusReason: lot.statusReason, supplierId: lot.supplierId, item: { id: lot.itemId, ...item! } },
    holders: summary,
    totals: {
      onHand: summary.reduce((s, h) => s + h.onHand, 0),
      consumed: summary.reduce((s, h) => s + h.consumed, 0),
      holdersWithStock: summary.filter((h) => h.onHand > 0).length,
    },
    timeline: page.map((m) => ({ ...m, occurredAt: new Date(m.occurredAt).toISOString() })),
    nextCursor: rows.length > data.limit ? encodeCursor(page.at(-1)!.id) : null,
  };
}
