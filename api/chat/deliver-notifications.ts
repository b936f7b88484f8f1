import type { Context } from '../core/context.ts';
import { deliverNotifications, type NotificationView } from '../notifications/notification-outbox.ts';
import { listAlertChannels } from './alert-channels.ts';

export type ChatTarget = Awaited<ReturnType<typeof listAlertChannels>>[number];

/**
 * Delivers the pending `chat` notifications of the outbox (recalls, quarantines) through `send`, one call
 * per notification with the chat channels set for its ward. Rows are locked (`skip locked`) while sent, so
 * several dispatchers never send one twice; a failed send is recorded and retried on the next run, and a
 * notification whose ward has no channel is marked delivered (there is nowhere to send it).
 */
export async function deliverChatNotifications({
  ctx,
  send,
  limit = 50,
}: {
  ctx: Context;
  send: (n: NotificationView, to: ChatTarget[]) => Promise<void>;
  limit?: number;
}) {
  const outcome = await deliverNotifications({
    ctx,
    target: 'chat',
    limit,
    send: async (n, tx) => {
      const to = await listAlertChannels({ ctx: tx, input: { locationId: n.locationId, provider: 'slack' } });
      if (!to.length) return false;
      await send(n, to);
    },
  });
  return { sent: outcome.sent, noChannel: outcome.nowhere, failed: outcome.failed };
}
