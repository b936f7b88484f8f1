/**
 * Ledger benchmark: loads a realistic hospital ledger into a FRESH database and measures the stock and
 * lot-history reads through the real core functions (`getStock`, `lotHistory`) with a system actor.
 *
 *   npm run bench -- [--driver pglite|postgres|both] [--movements 1000000] [--queries 2000] [--json out.json]
 *                    [--warmup N] [--pglite-dir DIR] [--check-history] [--keep]
 *
 * PostgreSQL: DATABASE_URL names a server; a database `scorta_bench_<timestamp>` is created on it and
 * dropped at the end (`--keep` keeps it, to study plans with psql). PGlite: in memory, or in a temporary
 * directory under `--pglite-dir` (removed after). `--check-history` also replays the ledger to show no
 * running balance ever went negative.
 * Progress goes to stderr; the result table to stdout. No assertions: figures are for reading.
 */
import os from 'node:os';
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import postgres, { type Sql } from 'postgres';
import { schema, type Database } from '../db/client.ts';
import { openDatabase } from '../server/database.ts';
import { chooseDrivers, fmt, machine } from './cli.ts';
import { openFreshDatabase } from './fresh-database.ts';
import { systemActor, type Context } from '../api/core/context.ts';
import { getStock } from '../api/stock/get-stock.ts';
import { lotHistory } from '../api/lots/lot-history.ts';
import { loadLedger, negativeMoments, query, shape, type LoadResult } from './ledger-load.ts';
import { percentile, seededRandom } from '../demo/random.ts';

type Driver = 'pglite' | 'postgres';

const { values: args } = parseArgs({
  options: {
    driver: { type: 'string' },
    movements: { type: 'string', default: '1000000' },
    queries: { type: 'string', default: '2000' },
    warmup: { type: 'string' },
    json: { type: 'string' },
    'pglite-dir': { type: 'string' },
    'check-history': { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
  },
  allowPositionals: false,
});

const count = (name: string, value: string | undefined): number => {
  const n = Number(String(value).replace(/[_,]/g, ''));
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer, got ${value}`);
  return n;
};

const databaseUrl = process.env.DATABASE_URL;
const drivers = chooseDrivers(args.driver, databaseUrl);
const movementCount = count('movements', args.movements);
const queryCount = count('queries', args.queries);
const warmupCount =
  args.warmup === undefined ? Math.min(200, Math.max(20, Math.round(queryCount / 10))) : Number(args.warmup);
if (!Number.isInteger(warmupCount) || warmupCount < 0)
  throw new Error(`--warmup must be a whole number, got ${args.warmup}`);

const log = (line: string) => process.stderr.write(`${line}\n`);

// ------------------------------------------------------------------------------------------------
// Databases

interface Opened {
  db: Database;
  driver: Driver;
  where: string;
  close(): Promise<void>;
}

let pendingCleanup: (() => Promise<void>) | undefined;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log(`${signal}: cleaning up`);
    // We are leaving: queries still in flight fail as their database goes away; that is expected.
    process.on('uncaughtException', () => {});
    process.on('unhandledRejection', () => {});
    void (pendingCleanup?.() ?? Promise.resolve())
      .catch((error: unknown) => log(`cleanup failed: ${String(error)}`))
      .finally(() => process.exit(130));
  });
}

async function openFresh(driver: Driver): Promise<Opened> {
  if (driver === 'postgres') {
    const admin = postgres(databaseUrl!, { max: 1, onnotice: () => {} });
    const name = `scorta_bench_${Date.now()}`;
    await admin.unsafe(`create database ${name}`);
    const url = new URL(databaseUrl!);
    url.pathname = `/${name}`;
    let opened: Awaited<ReturnType<typeof openDatabase>> | undefined;
    const close = async () => {
      pendingCleanup = undefined;
      await opened?.close().catch(() => {});
      if (args.keep) log(`  kept ${url.toString()}`);
      else await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end({ timeout: 5 });
    };
    // Interrupted: drop first (`with (force)` ends our own sessions, even mid-statement), then let go.
    pendingCleanup = async () => {
      pendingCleanup = undefined;
      if (!args.keep) await admin.unsafe(`drop database if exists ${name} with (force)`);
      await Promise.allSettled([opened?.close(), admin.end({ timeout: 1 })]);
    };
    try {
      opened = await openDatabase({ databaseUrl: url.toString(), dataDir: '' });
    } catch (error) {
      await close();
      throw error;
    }
    return { db: opened.db, driver, where: `database ${name}`, close };
  }
  const fresh = await openFreshDatabase({ driver, prefix: 'scorta-bench', pgliteDir: args['pglite-dir'] });
  const close = async () => {
    pendingCleanup = undefined;
    await fresh.close();
  };
  pendingCleanup = close;
  return { db: fresh.db, driver, where: fresh.where, close };
}

type Captured = { sql: string; params: unknown[] };

/** The same client behind a drizzle instance that records every statement it sends (for EXPLAIN). */
function capturing(opened: Opened): { db: Database; captured: Captured[] } {
  const client = (opened.db as unknown as { $client: unknown }).$client;
  const captured: Captured[] = [];
  const logger = { logQuery: (q: string, params: unknown[]) => void captured.push({ sql: q, params }) };
  const db =
    opened.driver === 'postgres'
      ? drizzlePostgres(client as Sql, { schema, logger })
      : drizzlePglite(client as PGlite, { schema, logger });
  return { db: db as unknown as Database, captured };
}

async function explain(opened: Opened, q: Captured): Promise<string> {
  const client = (opened.db as unknown as { $client: unknown }).$client;
  const text = `explain (analyze, buffers) ${q.sql}`;
  const rows =
    opened.driver === 'postgres'
      ? await (client as Sql).unsafe(text, q.params as never[])
      : (await (client as PGlite).query<Record<string, string>>(text, q.params)).rows;
  return (rows as Record<string, string>[]).map((r) => r['QUERY PLAN']).join('\n');
}

// ------------------------------------------------------------------------------------------------
// Measurement

interface QueryStats {
  name: string;
  calls: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
  /** Mean of what each call returned (rows on the page / movements read), to know what was measured. */
  meanRows: number;
  targetMs: number | null;
  /** One-minute load average before and after: this machine may be shared, so say how busy it was. */
  loadAvg: [number, number];
  /** CPU time of this Node process per call (driver, drizzle, the core function; all of PGlite's work). */
  nodeCpuMs: number;
}

async function measure(name: string, targetMs: number | null, fn: (i: number) => Promise<number>): Promise<QueryStats> {
  const loadBefore = os.loadavg()[0]!;
  for (let i = 0; i < warmupCount; i++) await fn(i);
  const times: number[] = [];
  let rows = 0;
  const cpu = process.cpuUsage();
  for (let i = 0; i < queryCount; i++) {
    const t = performance.now();
    const n = await fn(warmupCount + i);
    times.push(performance.now() - t);
    rows += n;
  }
  const cpuUsed = process.cpuUsage(cpu);
  times.sort((a, b) => a - b);
  const stats: QueryStats = {
    name,
    calls: queryCount,
    p50: percentile(times, 0.5),
    p95: percentile(times, 0.95),
    p99: percentile(times, 0.99),
    max: times.at(-1)!,
    mean: times.reduce((s, x) => s + x, 0) / times.length,
    meanRows: rows / queryCount,
    targetMs,
    loadAvg: [loadBefore, os.loadavg()[0]!],
    nodeCpuMs: (cpuUsed.user + cpuUsed.system) / 1000 / queryCount,
  };
  log(
    `  ${name.padEnd(40)} p50 ${stats.p50.toFixed(2)}  p95 ${stats.p95.toFixed(2)}  p99 ${stats.p99.toFixed(2)}  max ${stats.max.toFixed(2)} ms` +
      `  (node cpu ${stats.nodeCpuMs.toFixed(2)} ms/call, load avg ${stats.loadAvg.map((x) => x.toFixed(2)).join(' → ')})`,
  );
  return stats;
}

interface RunResult {
  driver: Driver;
  server: string;
  settings: Record<string, string>;
  where: string;
  load: LoadResult;
  negativeMoments: number | null;
  dataset: {
    busyLot: { code: string; movements: number };
    explainWard: { code: string; positiveBalances: number };
    explainItem: { code: string; positiveBalances: number };
  };
  queries: QueryStats[];
  plans: { name: string; sql: string; plan: string }[];
}

async function run(driver: Driver): Promise<RunResult> {
  log(`\n== ${driver}: fresh database, ${movementCount.toLocaleString('en-US')} movements`);
  const opened = await openFresh(driver);
  try {
    const [{ version } = { version: '?' }] = await query<{ version: string }>(opened.db, `select version() as version`);
    log(`  ${version}\n  ${opened.where}`);
    const settings = Object.fromEntries(
      (
        await query<{ name: string; setting: string }>(
          opened.db,
          `
          select name, current_setting(name) as setting from pg_settings
          where name in ('shared_buffers', 'work_mem', 'effective_cache_size', 'random_page_cost', 'jit', 'fsync', 'max_parallel_workers_per_gather')
          order by name`,
        )
      ).map((r) => [r.name, r.setting]),
    );
    const load = await loadLedger(opened.db, { movements: movementCount, log });
    log(
      `  load total ${(load.totalMs / 1000).toFixed(1)} s; ${load.counts.balances.toLocaleString('en-US')} balances (${load.counts.positiveBalances.toLocaleString('en-US')} > 0); verify ${JSON.stringify(load.verify)}`,
    );
    let negatives: number | null = null;
    if (args['check-history']) {
      const t = performance.now();
      negatives = await negativeMoments(opened.db);
      log(
        `  running balances never negative: ${negatives === 0 ? 'yes' : `NO (${negatives})`} (${((performance.now() - t) / 1000).toFixed(1)} s)`,
      );
    }

    const ctx: Context = { db: opened.db, actor: systemActor(load.organisationId), now: () => new Date() };
    const wards = await query<{ id: string }>(opened.db, `select id from locations where kind = 'ward' order by code`);
    const items = await query<{ id: string }>(opened.db, `select id from items order by code`);
    const lots = await query<{ id: string }>(opened.db, `select id from lots order by lot_code`);
    const [busy] = await query<{ id: string; code: string; n: number }>(
      opened.db,
      `
      select m.lot_id as id, l.lot_code as code, count(*)::int as n from movements m join lots l on l.id = m.lot_id
      group by m.lot_id, l.lot_code order by n desc, l.lot_code limit 1`,
    );
    const [bigWard] = await query<{ id: string; code: string; n: number }>(
      opened.db,
      `
      select w.id, w.code, count(*)::int as n from locations w
      join locations l on l.path like w.path || '%' join stock_balances b on b.location_id = l.id and b.quantity > 0
      where w.kind = 'ward' group by w.id, w.code order by n desc, w.code limit 1`,
    );
    const [bigItem] = await query<{ id: string; code: string; n: number }>(
      opened.db,
      `
      select b.item_id as id, i.code, count(*)::int as n from stock_balances b join items i on i.id = b.item_id
      where b.quantity > 0 group by b.item_id, i.code order by n desc, i.code limit 1`,
    );

    const pick = <T>(list: T[], rand: () => number) => list[Math.floor(rand() * list.length)]!;
    const wardRand = seededRandom(1);
    const itemRand = seededRandom(2);
    const lotRand = seededRandom(3);

    const fullHistory = async (c: Context, lotId: string) => {
      let cursor: string | undefined;
      let n = 0;
      do {
        const page = await lotHistory({ ctx: c, input: { lotId, limit: 500, cursor } });
        n += page.data.length;
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      return n;
    };

    log(`  measuring: ${warmupCount} warm-up + ${queryCount} calls each`);
    const queries: QueryStats[] = [];
    queries.push(
      await measure('stock: ward + descendants (getStock)', 10, async () => {
        const r = await getStock({ ctx, input: { locationId: pick(wards, wardRand).id, includeDescendants: true } });
        return r.data.length;
      }),
    );
    queries.push(
      await measure('stock: item, whole org (getStock)', 10, async () => {
        const r = await getStock({ ctx, input: { itemId: pick(items, itemRand).id } });
        return r.data.length;
      }),
    );
    queries.push(
      await measure('lot history: first 50 (lotHistory)', 50, async () => {
        const r = await lotHistory({ ctx, input: { lotId: pick(lots, lotRand).id } });
        return r.data.length;
      }),
    );
    queries.push(await measure(`lot history: busy lot, all pages of 500`, 50, () => fullHistory(ctx, busy!.id)));

    // EXPLAIN (ANALYZE, BUFFERS) of the SQL the core functions send, captured from drizzle, for the
    // heaviest targets: the ward with most stock rows, the item with most stock rows, the busiest lot.
    const plans: RunResult['plans'] = [];
    const explainCall = async (name: string, call: (c: Context) => Promise<unknown>) => {
      const cap = capturing(opened);
      await call({ ...ctx, db: cap.db });
      for (const q of cap.captured.filter((x) => /\b(stock_balances|movements)\b/.test(x.sql))) {
        plans.push({ name, sql: q.sql, plan: await explain(opened, q) });
      }
    };
    await explainCall(`stock: ward ${bigWard!.code} + descendants`, (c) =>
      getStock({ ctx: c, input: { locationId: bigWard!.id } }),
    );
    await explainCall(`stock: item ${bigItem!.code}, whole org`, (c) =>
      getStock({ ctx: c, input: { itemId: bigItem!.id } }),
    );
    await explainCall(`lot history: lot ${busy!.code}, first 50`, (c) =>
      lotHistory({ ctx: c, input: { lotId: busy!.id } }),
    );
    await explainCall(`lot history: lot ${busy!.code}, page of 500`, (c) =>
      lotHistory({ ctx: c, input: { lotId: busy!.id, limit: 500 } }),
    );

    return {
      driver,
      server: version,
      settings,
      where: opened.where,
      load,
      negativeMoments: negatives,
      dataset: {
        busyLot: { code: busy!.code, movements: busy!.n },
        explainWard: { code: bigWard!.code, positiveBalances: bigWard!.n },
        explainItem: { code: bigItem!.code, positiveBalances: bigItem!.n },
      },
      queries,
      plans,
    };
  } finally {
    await opened.close();
  }
}

// ------------------------------------------------------------------------------------------------
// Report

function report(results: RunResult[]): string {
  const out: string[] = [];
  out.push(
    `Scorta ledger benchmark: ${movementCount.toLocaleString('en-US')} movements, ${queryCount} calls per query (after ${warmupCount} warm-up)`,
  );
  for (const r of results) {
    const l = r.load;
    out.push('');
    out.push(`${r.driver}: ${r.server.split(' on ')[0]}`);
    out.push(
      `  load ${(l.totalMs / 1000).toFixed(1)} s (${Object.entries(l.phases)
        .map(([k, v]) => `${k} ${(v / 1000).toFixed(1)}`)
        .join(', ')}); ` +
        `${l.counts.locations} locations, ${l.counts.items} items, ${l.counts.lots} lots, ${l.counts.movements.toLocaleString('en-US')} movements, ` +
        `${l.counts.balances.toLocaleString('en-US')} balances (${l.counts.positiveBalances.toLocaleString('en-US')} > 0); ` +
        `verified: ${l.verify.mismatches} mismatches, ${l.verify.negatives} negative`,
    );
    out.push(`  busiest lot ${r.dataset.busyLot.code}: ${r.dataset.busyLot.movements} movements`);
  }
  out.push('');
  const head = ['driver', 'query', 'p50', 'p95', 'p99', 'max', 'rows', 'load avg', 'target'];
  const rows = results.flatMap((r) =>
    r.queries.map((q) => [
      r.driver,
      q.name,
      fmt(q.p50),
      fmt(q.p95),
      fmt(q.p99),
      fmt(q.max),
      q.meanRows.toFixed(0),
      q.loadAvg.map((x) => x.toFixed(1)).join('→'),
      q.targetMs === null ? '' : `p99 < ${q.targetMs} ms ${q.p99 < q.targetMs ? 'met' : 'MISSED'}`,
    ]),
  );
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i >= 2 && i <= 7 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  out.push(`${line(head)}   (ms)`);
  out.push(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) out.push(line(r));
  const busiest = Math.max(...results.flatMap((r) => r.queries.flatMap((q) => q.loadAvg)));
  if (busiest > os.availableParallelism()) {
    out.push('');
    out.push(
      `note: the 1-minute load average reached ${busiest.toFixed(1)} on ${os.availableParallelism()} CPUs during the measurement: other work was competing for the CPUs, so these latencies are pessimistic.`,
    );
  }
  return out.join('\n');
}

const results: RunResult[] = [];
for (const driver of drivers) results.push(await run(driver));

for (const r of results) {
  log(`\n== ${r.driver}: query plans (EXPLAIN ANALYZE, BUFFERS)`);
  for (const p of r.plans) log(`\n-- ${p.name}\n-- ${p.sql}\n${p.plan}`);
}
process.stdout.write(`\n${report(results)}\n`);

if (args.json) {
  const doc = {
    startedAt: new Date().toISOString(),
    options: {
      drivers,
      movements: movementCount,
      queries: queryCount,
      warmup: warmupCount,
      pgliteDir: args['pglite-dir'] ?? null,
    },
    shape,
    machine: machine(),
    results,
  };
  await writeFile(args.json, `${JSON.stringify(doc, null, 2)}\n`);
  log(`wrote ${args.json}`);
}
