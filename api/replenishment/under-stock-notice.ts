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
 * Tells each location's ward that an under-stock request was emitted for it: `chat` rows in the notification
 * outbox, written in the transaction that emits the requests and delivered after commit by the chat dispatcher
 * to the nearest channel set for the location or a ward above it. One statement for any number.
 */
export async function writeUnderStockNotices(
  ctx: Context,
  notices: { location: Pick<LocationRow, 'id' | 'code' | 'name' | 'organisationId'>; notice: UnderStockNotice }[],
) {
  if (notices.length === 0) return;
  await ctx.db.insert(notifications).values(
    notices.map(({ location, notice }) => ({
      organisationId: location.organisationId,
      kind: 'under_stock' as const,
      target: 'chat' as const,
      locationId: location.id,
      payload: { ...notice, location: { code: location.code, name: location.name } },
    })),
  );
}
