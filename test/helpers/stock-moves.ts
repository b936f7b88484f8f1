import type { Context } from '../../api/core/context.ts';
import { issueStock, transferStock } from '../../api/stock/issue-stock.ts';
import { receiveGoods } from '../../api/stock/receive-goods.ts';
import { recordConsumption } from '../../api/stock/record-consumption.ts';
import type { Database } from '../../db/client.ts';
import { contextFor, today, type Hospital } from './fixture.ts';

/** `lines` received at the hospital's warehouse with no supplier or document, by the system unless `ctx` says. */
export const receiveAtWarehouse = (h: Hospital, lines: unknown, ctx: Context = h.sys) =>
  receiveGoods({ ctx, input: { locationId: h.warehouse.id, lines } });

/** `lines` delivered by the hospital's supplier to its warehouse with delivery note (DDT) `documentId`. */
export const receiveDelivery = (h: Hospital, documentId: string, lines: unknown) =>
  receiveGoods({
    ctx: h.sys,
    input: { locationId: h.warehouse.id, supplierId: h.supplier.id, documentType: 'DDT', documentId, lines },
  });

/** `lines` issued from one location to another (the warehouse to a ward or team). */
export const issueBetween = (ctx: Context, fromLocationId: string, toLocationId: string, lines: unknown) =>
  issueStock({ ctx, input: { fromLocationId, toLocationId, lines } });

/** `lines` transferred from one location to another (within a ward or team). */
export const transferBetween = (ctx: Context, fromLocationId: string, toLocationId: string, lines: unknown) =>
  transferStock({ ctx, input: { fromLocationId, toLocationId, lines } });

/**
 * 40 syringes issued by the warehouse keeper to Cardiology's store, and 8 used there by the nurse 3, 10, 17 and 24
 * days ago: W = 32 / 8 = 4 a week over the 56-day history.
 */
export async function useSyringesInCardiology(db: Database, h: Hospital) {
  await issueStock({
    ctx: contextFor(db, h.actors.warehouse),
    input: {
      fromLocationId: h.warehouse.id,
      toLocationId: h.cardioStore.id,
      lines: [{ itemId: h.syringe.id, quantity: 40 }],
    },
  });
  for (const daysAgo of [3, 10, 17, 24]) {
    await recordConsumption({
      ctx: contextFor(db, h.actors.nurse),
      input: {
        locationId: h.cardioStore.id,
        lines: [{ itemId: h.syringe.id, quantity: 8 }],
        occurredAt: new Date(today.getTime() - daysAgo * 86_400_000).toISOString(),
      },
    });
  }
}
