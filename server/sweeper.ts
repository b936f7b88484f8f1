import type { Database } from '../db/client.ts';
import { systemActor, type Context } from '../api/core/context.ts';
import { sweepSilentDevices } from '../api/devices/alerts.ts';
import { sweepHomeDeliveries } from '../api/homecare/sweep-deliveries.ts';
import { sweepExpiredLots } from '../api/lots/sweep-expired-lots.ts';
import { claimJobRound } from '../api/core/job-rounds.ts';
import { organisationIds } from '../api/organisations/organisations.ts';

type Log = Pick<Console, 'info' | 'error'>;

export interface SweepSummary {
  /** True when another instance on the same database ran this round (nothing done here). */
  skipped: boolean;
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
 * Several servers on one database each start a sweeper: a round is claimed in the database first
 * (`claimJobRound`), so within any 80 % of `intervalMs` one instance sweeps and the others skip.
 */
export function startAlertSweeper(options: {
  db: Database;
  intervalMs: number;
  now?: () => Date;
  log?: Log;
  holder?: string;
}) {
  const { db, log = console, holder = 'scorta' } = options;
  const now = options.now ?? (() => new Date());
  let running: Promise<SweepSummary | undefined> | undefined;
  let stopped = false;

  const sweep = async (): Promise<SweepSummary> => {
    const idle: SweepSummary = { skipped: true, organisations: 0, raised: 0, resolved: 0, deliveries: 0, expired: 0 };
    if (!(await claimJobRound(db, { job: 'sweep', holder, minGapMs: 0.8 * options.intervalMs }))) return idle;
    const orgs = await organisationIds(db);
    const summary: SweepSummary = {
      skipped: false,
      organisations: orgs.length,
      raised: 0,
      resolved: 0,
      deliveries: 0,
      expired: 0,
    };
    for (const orgId of orgs) {
      const ctx: Context = { db, actor: systemActor(orgId), now };
      const alerts = await sweepSilentDevices({ ctx });
      const deliveries = await sweepHomeDeliveries({ ctx });
      const expiry = await sweepExpiredLots({ ctx });
      summary.expired += expiry.expired.length;
      summary.raised += alerts.raised.length;
      summary.resolved += alerts.resolved.length;
      summary.deliveries += deliveries.requests.length;
    }
    if (summary.raised || summary.resolved || summary.deliveries || summary.expired) {
      log.info(
        `sweep: ${summary.raised} silent-device alerts raised, ${summary.resolved} resolved, ` +
          `${summary.deliveries} home delivery requests emitted or updated, ${summary.expired} lots expired`,
      );
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
