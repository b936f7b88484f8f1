import type { Context } from '../../api/core/context.ts';
import { issueStock, transferStock } from '../../api/stock/issue-stock.ts';
import { receiveGoods } from '../../api/stock/receive-goods.ts';
import type { Hospital } from './fixture.ts';

/** `lines` received at the hospital's warehouse with no supplier or document, by the system unless `ctx` says. */
export const receiveAtWarehouse = (h: Hospital, lines: unknown, ctx: Context = h.sys) =>
  receiveGoods({ ctx, input: { locationId: h.warehouse.id, lines } });

/** `lines` issued from one location to another (the warehouse to a ward or team). */
export const issueBetween = (ctx: Context, fromLocationId: string, toLocationId: string, lines: unknown) =>
  issueStock({ ctx, input: { fromLocationId, toLocationId, lines } });

/** `lines` transferred from one location to another (within a ward or team). */
export const transferBetween = (ctx: Context, fromLocationId: string, toLocationId: string, lines: unknown) =>
  transferStock({ ctx, input: { fromLocationId, toLocationId, lines } });
