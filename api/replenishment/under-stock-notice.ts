import { notifications } from '../../db/schema/index.ts';
import type { Context } from '../core/context.ts';
import type { LocationRow } from '../locations/load-location.ts';

export interface UnderStockNotice {
  requestId: string;
  number: string;
  urgency: 'normal' | 'urgent' | 'emergency';
  item: { code: string; name: string; unit: string };
  quantity: number;
}

/**
 * Tells the location's ward that an under-stock request was emitted for it: a `chat` row in the notification
 * outbox, written in the transaction that emits the request and delivered after commit by the chat dispatcher
 * to the nearest channel set for the location or a ward above it.
 */
export async function writeUnderStockNotice(ctx: Context, location: Pick<LocationRow, 'id' | 'code' | 'name'>, notice: UnderStockNotice) {
  await ctx.db.insert(notifications).values({
    organisationId: ctx.actor.organisationId,
    kind: 'under_stock',
    target: 'chat',
    locationId: location.id,
    payload: { ...notice, location: { code: location.code, name: location.name } },
  });
}
