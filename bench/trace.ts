/**
 * Traceability benchmark: loads the 1M-movement hospital ledger of bench/ledger-load.ts into a FRESH
 * database and times, through the real core functions, the forward trace of the busiest lot (`traceLot`),
 * its holders split at a recall mark (`lotHolders`, what recall progress reads), the year valuation by
 * warehouse (`yearValuation`) and the consumption cost by ward over a year (`consumptionCost`); then prints
 * EXPLAIN (ANALYZE, BUFFERS) of the statements they send.
 *
 * DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx tsx bench/trace.ts [--driver postgres|pglite] [--movements
 * 1000000] [--runs 30] [--json out.json]
 */
import os from 'node:os';
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import type { Sql } from 'postgres';
import { schema, type Database } from '../db/client.ts';
import { systemActor, type Context } from '../api/core/context.ts';
import { traceLot } from '../api/lots/trace-lot.ts';
import { lotHolders } from '../api/lots/lot-ledger.ts';
import { yearValuation } from '../api/reports/year-valuation.ts';
import { consumptionCost } from '../api/reports/consumption-cost.ts';
import { executeRows } from '../api/core/sql-arrays.ts';
import { loadLedger } from './ledger-load.ts';
import { openFreshDatabase, type Driver } from './fresh-database.ts';
import { percentile } from '../demo/random.ts';

const { values: args } = parseArgs({
  options: {
    driver: { type: 'string', default: 'postgres' },
    movements: { type: 'string', default: '1000000' },
    runs: { type: 'string', default: '30' },
    json: { type: 'string' },
    keep: { type: 'boolean', default: false },
  },
});
const log = (line: string) => process.stderr.write(`${line}\n`);
const driver = args.driver as Driver;
const runs = Number(args.runs);

const opened = await openFreshDatabase({
  driver,
  prefix: 'scorta_trace',
  databaseUrl: process.env.DATABASE_URL,
  keep: args.keep,
  log,
});
try {
  log(`loading ${args.movements} movements into ${opened.where}`);
  const load = await loadLedger(opened.db, { movements: Number(args.movements), log });
  const captured: { sql: string; params: unknown[] }[] = [];
  const client = (opened.db as unknown as { $client: unknown }).$client;
  const logger = { logQuery: (q: string, params: unknown[]) => void captured.push({ sql: q, params }) };
  const db = (driver === 'postgres'
    ? drizzlePostgres(client as Sql, { schema, logger })
    : drizzlePglite(client as PGlite, { schema, logger })) as unknown as Database;
  const ctx: Context = { db, actor: systemActor(load.organisationId), now: () => new Date() };
  const [busy] = await executeRows<{ id: string; n: number }>(
    ctx.db,
    sql`select l.id, (select count(*)::int from movements m where m.lot_id = l.id) as n from lots l where l.lot_code = 'L000000'`,
  );
  const year = new Date().getUTCFullYear() - 1;

  const cases: [string, () => Promise<unknown>][] = [
    ['trace: busy lot, first page (200) + holders', () => traceLot({ ctx, input: { lotId: busy!.id } })],
    ['lot holders split at a mark (recall progress)', () => lotHolders(ctx, busy!.id, 1_000)],
    [`year valuation ${year}, all warehouses`, () => yearValuation({ ctx, input: { year } })],
    [
      `consumption cost by ward, ${year}`,
      () => consumptionCost({ ctx, input: { from: `${year}-01-01`, to: `${year + 1}-01-01` } }),
    ],
  ];
  const results = [];
  const plans: Record<string, string[]> = {};
  for (const [name, run] of cases) {
    const n = name.startsWith('trace') || name.startsWith('lot') ? runs : Math.max(3, Math.round(runs / 6));
    for (let i = 0; i < 3; i++) await run();
    const times: number[] = [];
    const load0 = os.loadavg()[0];
    for (let i = 0; i < n; i++) {
      const t = performance.now();
      await run();
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    const row = {
      name,
      calls: n,
      p50: percentile(times, 0.5),
      p95: percentile(times, 0.95),
      max: times.at(-1)!,
      load: [load0, os.loadavg()[0]],
    };
    results.push(row);
    log(
      `${name}: p50 ${row.p50.toFixed(1)} ms, p95 ${row.p95.toFixed(1)} ms, max ${row.max.toFixed(1)} ms (load ${row.load.map((x) => (x ?? 0).toFixed(2)).join('→')})`,
    );
    captured.length = 0;
    await run();
    plans[name] = [];
    for (const q of captured.filter((c) => !/^(begin|commit)/i.test(c.sql))) {
      const text = `explain (analyze, buffers) ${q.sql}`;
      const rows =
        driver === 'postgres'
          ? await (client as Sql).unsafe(text, q.params as never[])
          : (await (client as PGlite).query<Record<string, string>>(text, q.params)).rows;
      plans[name].push((rows as Record<string, string>[]).map((r) => r['QUERY PLAN']).join('\n'));
    }
  }
  const valuation = (await yearValuation({ ctx, input: { year } })) as Awaited<ReturnType<typeof yearValuation>>;
  const summary = {
    driver,
    movements: load.counts.movements,
    busyLot: busy,
    year,
    loadSeconds: load.totalMs / 1000,
    results,
    valuationTotals: valuation.totals,
    warehouses: valuation.warehouses.map((w) => ({
      code: w.warehouse.code,
      opening: w.opening,
      closing: w.closing,
      kinds: w.byKind.length,
    })),
    cpus: os.cpus().length,
    cpu: os.cpus()[0]?.model,
    node: process.version,
  };
  console.log(JSON.stringify(summary, null, 2));
  for (const [name, list] of Object.entries(plans)) for (const p of list) log(`\n-- ${name}\n${p}`);
  if (args.json) await writeFile(args.json, JSON.stringify({ ...summary, plans }, null, 2));
} finally {
  await opened.close();
}
