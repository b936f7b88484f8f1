import { pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * The last round of each periodic job (the sweeps) and the instance that ran it. Several Scorta servers on one
 * database claim a round here before running it (api/core/job-rounds.ts), so each round runs on one of them.
 */
export const jobRounds = pgTable('job_rounds', {
  job: text('job').primaryKey(),
  holder: text('holder').notNull(),
  ranAt: timestamp('ran_at', { withTimezone: true }).notNull(),
});
