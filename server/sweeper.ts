import { organisations } from '../db/schema/index.ts';
import type { Database } from '../db/client.ts';
import { systemActor, type Context } from '../api/core/context.ts';
import { sweepSilentDevices } from '../api/devices/alerts.ts';
import { sweepHomeDeliveries } from '../api/homecare/sweep-deliveries.ts';
import { sweepExpiredLots } from '../api/lots/sweep-expired-lots.ts';

type Log = Pick<Console, 'info' | 'error'>;

export interface SweepSummary {
  organisations: number;
  raised: number;
  resolved: number;
  deliveries: number;
  /** Lots whose expiry passed, now marked expired. */
  expired: number;
}

/**
 * The periodic jobs of a Node server: per organisation, raise and resolve `silent` device alerts,
 * re-check home deliveries against the supply plans (run-out dates come closer with time alone), and mark
 * lots past their expiry as expired. Runs once at
 * start and then every `intervalMs`; a run never overlaps the previous one. `stop()` waits for a run in flight.
 */
export function startAlertSweeper(options: { db: Database; intervalMs: number; now?: () => Date; log?: Log }) {
  const { db, log = console } = options;
  const now = options.now ?? (() => new Date());
  let running: Promise<SweepSummary | undefined> | undefined;
  let stopped = false;

  const sweep = async (): Promise<SweepSummary> => {
    const orgs = await db.select({ id: organisations.id }).from(organisations);
    const summary: SweepSummary = { organisations: orgs.length, raised: 0, resolved: 0, deliveries: 0, expired: 0 };
    for (const org of orgs) {
      const ctx: Context = { db, actor: systemActor(org.id), now };
      const alerts = await sweepSilentDevices({ ctx });
      const deliveries = await sweepHomeDeliveries({ ctx });
      const expiry = await sweepExpiredLots({ ctx });
      summary.expired += expiry.expired.length;
      summary.raised += alerts.raised.length;
      summary.resolved += alerts.resolved.length;
      summary.deliveries += deliveries.requests.length;
    }
    if (summary.raised || summary.resolved || summary.deliveries || summary.expired) {
      log.info(`sweep: ${summary.raised} silent-device alerts raised, ${summary.resolved} resolved, ${summary.deliveries} home delivery requests emitted or updated, ${summary.expired} lots expired`);
    }
    return summary;
  };
  /** One run now (or the one already in flight). */
  const runOnce = (): Promise<SweepSummary | undefined> => {
    running ??= sweep()
      .catch((error) => {
        log.error('sweep failed', error);
        return undefined;
      })
      .finally(() => {
        running = undefined;
      });
    return running;
  };
  const timer = setInterval(() => {
    if (!stopped) void runOnce();
  }, options.intervalMs);
  timer.unref();
  void runOnce();
  return {
    runOnce,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
