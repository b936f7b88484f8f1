import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { items } from '../../db/schema/index.ts';
import { authorize } from '../auth/permissions.ts';
import { detailScope } from '../auth/read-scope.ts';
import type { Context } from '../core/context.ts';
import { localDate } from '../core/time.ts';
import { parseInput } from '../core/validate.ts';
import { lotHolders, receivingStore } from './lot-ledger.ts';
import { loadLot } from './load-lot.ts';
import { loadRecall } from './load-recall.ts';
import { lotSummary } from './lot-rules.ts';
import { recallView, type RecallRow } from './recall-view.ts';

export const RecallProgressInput = z.object({ recallId: z.uuid() });
export type RecallProgressInput = z.input<typeof RecallProgressInput>;

/**
 * The progress of a recall, computed from the ledger on either side of its mark, never stored: for every
 * location that held the lot, what it had when the recall opened, what it had consumed (or sold) before,
 * what it has returned since and what is still out. Stock back at the store that received the lot is home,
 * not out. `closable` is true when nothing is out. Every holder is a row of totals (no movements, actors or times);
 * `detail` says, by the read rule (`detailScope`), whether the reader may open that holder's movements.
 */
export async function recallProgress({ ctx, input }: { ctx: Context; input: RecallProgressInput }) {
  const data = parseInput(RecallProgressInput, input);
  authorize(ctx.actor, 'lots.read');
  return progressOf(ctx, await loadRecall(ctx, data.recallId));
}

/** The progress of a loaded recall record (shared by the actions that need it under their lock). */
export async function progressOf(ctx: Context, recall: RecallRow) {
  const lot = await loadLot(ctx, recall.lotId);
  const [item] = await ctx.db
    .select({ code: items.code, name: items.name, nameEn: items.nameEn, unit: items.unit, gtin: items.gtin })
    .from(items)
    .where(eq(items.id, lot.itemId));
  const home = await receivingStore(ctx, lot.id);
  const scope = detailScope(ctx.actor);
  const holders = (await lotHolders(ctx, lot.id, recall.ledgerMark)).map((h) => {
    const isHome = h.location.id === home;
    return {
      location: h.location,
      detail: scope.sees(h.location) ? ('full' as const) : ('totals' as const),
      returnsTo: isHome,
      atRecall: h.atMark.onHand,
      consumedBefore: h.atMark.consumed,
      soldBefore: h.atMark.sold,
      returned: h.atMark.returnedSince,
      /**
       * Consumed after the recall opened: should stay 0 (every stock action refuses the lot); a sign of a race or of a
       * late offline reading.
       */
      consumedSince: h.atMark.consumedSince,
      onHand: h.onHand,
      stillOut: isHome ? 0 : h.onHand,
    };
  });
  const sum = (pick: (h: (typeof holders)[number]) => number) => holders.reduce((s, h) => s + pick(h), 0);
  const out = holders.filter((h) => h.stillOut > 0);
  return {
    recall: recallView(recall),
    lot: lotSummary(lot, item!, localDate(ctx.now())),
    returnsTo: holders.find((h) => h.returnsTo)?.location ?? null,
    holders,
    totals: {
      outAtRecall: sum((h) => (h.returnsTo ? 0 : h.atRecall)),
      atStoreAtRecall: sum((h) => (h.returnsTo ? h.atRecall : 0)),
      consumedBefore: sum((h) => h.consumedBefore),
      soldBefore: sum((h) => h.soldBefore),
      returned: sum((h) => h.returned),
      consumedSince: sum((h) => h.consumedSince),
      stillOut: sum((h) => h.stillOut),
      holdersOut: out.length,
    },
    closable: recall.status === 'open' && recall.kind === 'recall' && out.length === 0,
  };
}
export type RecallProgress = Awaited<ReturnType<typeof progressOf>>;
