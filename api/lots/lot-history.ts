import { and, asc, eq, gt } from 'drizzle-orm';
import { z } from 'zod';
import { items, movements } from '../../db/schema/index.ts';
import { authorize } from '../auth/permissions.ts';
import type { Context } from '../core/context.ts';
import { decodeCursor, encodeCursor, Limit } from '../core/pagination.ts';
import { localDate } from '../core/time.ts';
import { parseInput } from '../core/validate.ts';
import { toMovementView } from '../stock/movement-view.ts';
import { loadLot } from './load-lot.ts';
import { effectiveStatus } from './lot-rules.ts';
import { text } from '../core/text.ts';

export const LotHistoryInput = z.object({ lotId: z.uuid(), limit: Limit, cursor: text().optional() });
export type LotHistoryInput = z.input<typeof LotHistoryInput>;

/** Every movement of a lot, oldest first, read from the ledger (keyset-paginated on movement id). */
export async function lotHistory({ ctx, input }: { ctx: Context; input: LotHistoryInput }) {
  const data = parseInput(LotHistoryInput, input);
  authorize(ctx.actor, 'lots.read');
  const lot = await loadLot(ctx, data.lotId);
  const [item] = await ctx.db.select({ code: items.code, name: items.name, nameEn: items.nameEn }).from(items).where(eq(items.id, lot.itemId));
  const after = decodeCursor(data.cursor, z.number().int()) ?? 0;
  const rows = await ctx.db
    .select()
    .from(movements)
    .where(and(eq(movements.lotId, lot.id), gt(movements.id, after)))
    .orderBy(asc(movements.id))
    .limit(data.limit + 1);
  const page = rows.slice(0, data.limit);
  return {
    lot: { ...lot, status: effectiveStatus(lot, localDate(ctx.now())), createdAt: new Date(lot.createdAt).toISOString(), item },
    data: page.map(toMovementView),
    nextCursor: rows.length > data.limit ? encodeCursor(page.at(-1)!.id) : null,
  };
}
