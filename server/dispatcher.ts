import type { webApi } from '@slack/bolt';
import type { Database } from '../db/client.ts';
import { systemActor } from '../api/core/context.ts';
import { organisationIds } from '../api/organisations/organisations.ts';
import { deliverNotifications } from '../api/notifications/notification-outbox.ts';
import { dispatchRecallAlerts } from '../bot/slack/alerts.ts';

type Log = Pick<Console, 'info' | 'error'>;

/**
 * Delivers the notification outbox written by recalls and quarantines: `lock_bins` / `unlock_bins` commands to
 * the smart cabinets on their MQTT command topic (QoS 1, marked delivered once the broker acknowledged it), and ward
 * alerts to their Slack channels when Slack is
 * on. Every `intervalMs`, per organisation; a run never overlaps the previous one.
 */
export function startOutboxDispatcher(options: {
  db: Database;
  publish: (topic: string, payload: string) => Promise<void> | void;
  slack?: webApi.WebClient | undefined;
  intervalMs?: number;
  log?: Log;
}) {
  const { db, publish, slack, intervalMs = 2000, log = console } = options;
  let running = false;
  const run = async () => {
    if (running) return;
    running = true;
    try {
      for (const orgId of await organisationIds(db)) {
        const ctx = { db, actor: systemActor(orgId, 'mqtt'), now: () => new Date() };
        const commands = await deliverNotifications({
          ctx,
          target: 'device',
          send: async (n) => {
            if (!n.topic) return false;
            // Marked delivered only once the broker has it: a failed publish is recorded and retried on the next run.
            await publish(n.topic, JSON.stringify({ command: n.kind, ...n.payload }));
          },
        });
        if (commands.sent) log.info(`outbox: ${commands.sent} cabinet commands published`);
        if (slack) await dispatchRecallAlerts(db, slack, orgId);
      }
    } catch (error) {
      log.error('outbox: delivery failed, retried on the next run', error);
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void run(), intervalMs);
  timer.unref();
  return { run, stop: () => clearInterval(timer) };
}
