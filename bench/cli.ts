import os from 'node:os';
import type { Driver } from './fresh-database.ts';

/**
 * The drivers a benchmark runs on: `--driver pglite|postgres|both`, by default both when DATABASE_URL names a
 * server and PGlite alone when it does not. PostgreSQL without DATABASE_URL is refused.
 */
export function chooseDrivers(driverArg: string | undefined, databaseUrl: string | undefined): Driver[] {
  const chosen = driverArg ?? (databaseUrl ? 'both' : 'pglite');
  if (!['pglite', 'postgres', 'both'].includes(chosen))
    throw new Error(`--driver must be pglite, postgres or both, got ${chosen}`);
  const drivers: Driver[] = chosen === 'both' ? ['postgres', 'pglite'] : [chosen as Driver];
  if (drivers.includes('postgres') && !databaseUrl)
    throw new Error('--driver postgres needs DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/test)');
  return drivers;
}

/** A figure for a result table: no decimals from 100, one from 10, two below. */
export const fmt = (n: number) => (n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2));

/** The machine the figures were measured on, for a JSON report. */
export const machine = () => ({
  nproc: os.availableParallelism(),
  memoryBytes: os.totalmem(),
  cpu: os.cpus()[0]?.model ?? 'unknown',
  node: process.version,
  platform: `${os.type()} ${os.release()} ${os.arch()}`,
});
