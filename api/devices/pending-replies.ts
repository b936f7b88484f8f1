import { and, eq, inArray, sql } from 'drizzle-orm';
import { deviceMessages } from '../../db/schema/index.ts';
import type { Context } from '../core/context.ts';
import type { DeviceReply } from './device-reply.ts';

/**
 * Replies a device did not hear: they went out while it was not subscribed to its reply topic. After a
 * crash a device resends its unacknowledged readings before it resubscribes, so their replies would go nowhere;
 * the broker marks them here (before it acknowledges the reading, so a mark is never lost to a crash) and
 * sends them when the device subscribes.
 */
export async function markRepliesPending(ctx: Pick<Context, 'db'>, deviceId: string, seqs: number[]) {
  if (!seqs.length) return;
  await ctx.db
    .update(deviceMessages)
    .set({ replyPending: true })
    .where(and(eq(deviceMessages.deviceId, deviceId), inArray(deviceMessages.seq, [...new Set(seqs)])));
}

/**
 * Takes up to `limit` of a device's pending replies, oldest sequence number first, and clears them in the
 * same statement: two subscriptions at once (or two instances) never send one reply twice.
 */
export async function takePendingReplies(
  ctx: Pick<Context, 'db'>,
  deviceId: string,
  limit = 500,
): Promise<DeviceReply[]> {
  const taken = await ctx.db
    .update(deviceMessages)
    .set({ replyPending: false })
    .where(
      and(
        eq(deviceMessages.deviceId, deviceId),
        eq(deviceMessages.replyPending, true),
        sql`${deviceMessages.seq} in (select seq from device_messages where device_id = ${deviceId}
          and reply_pending order by seq limit ${limit} for update skip locked)`,
      ),
    )
    .returning({ seq: deviceMessages.seq, reply: deviceMessages.reply });
  return taken.sort((a, b) => a.seq - b.seq).map((row) => row.reply as DeviceReply);
}
