import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { jobRounds } from '../../db/schema/index.ts';

/**
 * Claims the next round of a periodic job for `holder`: true when no instance ran `job` in the last
 * `minGapMs` (its round is recorded now, on the database's clock, so servers with skewed clocks agree),
 * false when another one did. One conditional upsert: two instances claiming at once queue on the row and
 * exactly one gets it. Several Scorta servers on one database thus run each sweep round once; a single
 * server (PGlite included) always gets its round.
 */
export async function claimJobRound(
  db: Database,
  input: { job: string; holder: string; minGapMs: number },
): Promise<boolean> {
  const claimed = await db
    .insert(jobRounds)
    .values({ job: input.job, holder: input.holder, ranAt: sql`clock_timestamp()` })
    .onConflictDoUpdate({
      target: jobRounds.job,
      set: { holder: sql`excluded.holder`, ranAt: sql`excluded.ran_at` },
      setWhere: sql`${jobRounds.ranAt} <= excluded.ran_at - make_interval(secs => ${input.minGapMs / 1000})`,
    })
    .returning({ job: jobRounds.job });
  return claimed.length === 1;
}
