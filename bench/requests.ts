/**
 * Ward-requests benchmark: a hospital of `--wards` wards and one central warehouse, built with the core
 * actions; then `--requests` requests of `--lines` stock lines each are emitted by the wards' nurses,
 * evaluated (approved) and fulfilled FEFO by warehouse staff, all through the real core actions with
 * real actors (grants loaded from role assignments). Reports throughput and per-request latency of each
 * step, then checks in one SQL query that balances equal the signed ledger and every request is done.
 *
 *   npm run bench:requests -- [--driver pglite|postgres|both] [--requests 10000] [--lines 5] [--concurrency 8]
 * [--wards 30] [--items 200] [--lots 4] [--mixed 1000] [--phased] [--no-keys] [--no-contracts]
 *                             [--json out.json] [--pglite-dir DIR] [--keep]
 *
 * PostgreSQL: DATABASE_URL names a server; a database `scorta_bench_req_<timestamp>` is created on it and
 * dropped at the end (`--keep` keeps it). `--concurrency` workers each take the next request and run
 * emit → evaluate → fulfil on it (`--phased`: all emits, then all evaluations, then all fulfilments, so
 * each step's throughput is measured alone). PGlite is one connection: always sequential.
 * `--mixed N` adds a second, smaller run in which one line in five is a pass-through item (fulfilment
 * makes purchase orders). Requests send idempotency keys, as retrying clients do (`--no-keys`: none).
 * Every ward has a budget and every other item a supply contract, so evaluation checks both
 * (`--no-contracts`: no contracts).
 * Progress goes to stderr; the result table to stdout. No assertions: figures are for reading.
 */
import os from 'node:os';
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import postgres, { type Sql } from 'postgres';
import { schema, type Database } from '../db/client.ts';
import { supplyContracts, wardBudgets } from '../db/schema/index.ts';
import { openDatabase } from '../server/database.ts';
import { chooseDrivers, fmt, machine } from './cli.ts';
import { openFreshDatabase } from './fresh-database.ts';
import { createUser, loadGrants } from '../api/access/users.ts';
import { createItem } from '../api/catalogue/items.ts';
import { createCategory, createSection, createSupplier } from '../api/catalogue/reference-data.ts';
import { systemActor, type Actor, type Context } from '../api/core/context.ts';
import { localDate } from '../api/core/time.ts';
import { createLocation } from '../api/locations/locations.ts';
import { createOrganisation } from '../api/organisations/organisations.ts';
import { emitRequest } from '../api/requests/emit-request.ts';
import { evaluateLines } from '../api/requests/evaluate-lines.ts';
import { fulfilRequest } from '../api/requests/fulfil-request.ts';
import { receiveGoods } from '../api/stock/receive-goods.ts';
import { percentile, seededRandom } from '../demo/random.ts';

type Driver = 'pglite' | 'postgres';
type Phase = 'emit' | 'evaluate' | 'fulfil';
const phases: Phase[] = ['emit', 'evaluate', 'fulfil'];

const { values: args } = parseArgs({
  options: {
    driver: { type: 'string' },
    requests: { type: 'string', default: '10000' },
    lines: { type: 'string', default: '5' },
    concurrency: { type: 'string', default: '8' },
    wards: { type: 'string', default: '30' },
    items: { type: 'string', default: '200' },
    lots: { type: 'string', default: '4' },
    mixed: { type: 'string', default: '1000' },
    phased: { type: 'boolean', default: false },
    'no-keys': { type: 'boolean', default: false },
    'no-contracts': { type: 'boolean', default: false },
    json: { type: 'string' },
    'pglite-dir': { type: 'string' },
    keep: { type: 'boolean', default: false },
  },
  allowPositionals: false,
});

const count = (name: string, value: string | undefined, min = 1): number => {
  const n = Number(String(value).replace(/[_,]/g, ''));
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer ≥ ${min}, got ${value}`);
  return n;
};

const databaseUrl = process.env.DATABASE_URL;
const drivers = chooseDrivers(args.driver, databaseUrl);
const opts = {
  requests: count('requests', args.requests),
  lines: count('lines', args.lines),
  concurrency: count('concurrency', args.concurrency),
  wards: count('wards', args.wards),
  items: count('items', args.items),
  lots: count('lots', args.lots),
  mixed: count('mixed', args.mixed, 0),
  phased: args.phased,
  keys: !args['no-keys'],
  contracts: !args['no-contracts'],
};
if (opts.lines > opts.items) throw new Error('--lines cannot exceed --items (each item once per request)');
const passThroughItems = opts.mixed > 0 ? 20 : 0;

const log = (line: string) => process.stderr.write(`${line}\n`);
const now = () => new Date();
const ctxOf = (db: Database, actor: Actor): Context => ({ db, actor, now });

// ------------------------------------------------------------------------------------------------
// Workload: planned before anything is written, so stock can be received to cover it (no back-orders)

interface PlannedLine {
  /** Index into the stock items, or into the pass-through items when `passThrough`. */
  item: number;
  passThrough: boolean;
  quantity: number;
}
interface PlannedRequest {
  ward: number;
  lines: PlannedLine[];
}

/**
 * Requests spread over the wards round-robin; items drawn with a mild popularity skew (index ∝ r^1.5:
 * the top 10 % of items make about a fifth of the lines, as gloves and syringes do), each once per
 * request; 1–20 units a line. In a mixed plan one line in five is a pass-through item.
 */
function plan(n: number, seed: number, mixed: boolean): PlannedRequest[] {
  const rand = seededRandom(seed);
  return Array.from({ length: n }, (_, i) => {
    const lines: PlannedLine[] = [];
    const seen = new Set<string>();
    while (lines.length < opts.lines) {
      const passThrough = mixed && lines.length === opts.lines - 1;
      const item = passThrough ? Math.floor(rand() * passThroughItems) : Math.floor(opts.items * rand() ** 1.5);
      const key = `${passThrough}:${item}`;
      if (seen.has(key)) continue;
      seen.add(key);
      lines.push({ item, passThrough, quantity: 1 + Math.floor(rand() * 20) });
    }
    return { ward: i % opts.wards, lines };
  });
}

// ------------------------------------------------------------------------------------------------
// Databases

interface Opened {
  db: Database;
  driver: Driver;
  where: string;
  /** A separate connection for sampling waits and counters while the workers run (PostgreSQL only). */
  monitor: Sql | null;
  close(): Promise<void>;
}

let pendingCleanup: (() => Promise<void>) | undefined;
process.once('SIGINT', () => {
  log('interrupted: cleaning up');
  void (pendingCleanup?.() ?? Promise.resolve()).finally(() => process.exit(130));
});

async function openFresh(driver: Driver): Promise<Opened> {
  if (driver === 'postgres') {
    const admin = postgres(databaseUrl!, { max: 1, onnotice: () => {} });
    const name = `scorta_bench_req_${Date.now()}`;
    await admin.unsafe(`create database ${name}`);
    const url = new URL(databaseUrl!);
    url.pathname = `/${name}`;
    let opened: Awaited<ReturnType<typeof openDatabase>> | undefined;
    const monitor = postgres(url.toString(), { max: 1, onnotice: () => {} });
    const close = async () => {
      pendingCleanup = undefined;
      await opened?.close().catch(() => {});
      await monitor.end({ timeout: 5 }).catch(() => {});
      if (args.keep) log(`  kept ${url.toString()}`);
      else await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end({ timeout: 5 });
    };
    pendingCleanup = close;
    try {
      opened = await openDatabase({ databaseUrl: url.toString(), dataDir: '', poolSize: opts.concurrency + 2 });
    } catch (error) {
      await close();
      throw error;
    }
    return { db: opened.db, driver, where: `database ${name}`, monitor, close };
  }
  const fresh = await openFreshDatabase({ driver, prefix: 'scorta-bench-req', pgliteDir: args['pglite-dir'] });
  const close = async () => {
    pendingCleanup = undefined;
    await fresh.close();
  };
  pendingCleanup = close;
  return { db: fresh.db, driver, where: fresh.where, monitor: null, close };
}

type Row = Record<string, unknown>;
async function query<T extends Row = Row>(db: Database, text: string): Promise<T[]> {
  const result = (await db.execute(sql.raw(text))) as unknown as { rows?: T[] } | T[];
  return Array.isArray(result) ? result : (result.rows ?? []);
}

// ------------------------------------------------------------------------------------------------
// The hospital, built with the core actions

interface Hospital {
  organisationId: string;
  wards: { id: string; code: string }[];
  nurses: Actor[];
  staff: Actor[];
  stockItems: string[];
  passThrough: string[];
  receivedLots: number;
  expiredLots: number;
}

async function buildHospital(db: Database, plans: PlannedRequest[]): Promise<Hospital> {
  const boot = ctxOf(db, systemActor('00000000-0000-0000-0000-000000000000'));
  const org = await createOrganisation({
    ctx: boot,
    input: { code: 'BENCH', name: 'Azienda Ospedaliera Bench', kind: 'hospital_trust' },
  });
  const sys = ctxOf(db, systemActor(org.id));
  const loc = (input: Record<string, unknown>) => createLocation({ ctx: sys, input });
  const warehouse = await loc({ kind: 'warehouse', code: 'MAG', name: 'Magazzino Centrale' });
  const wards: { id: string; code: string }[] = [];
  for (let w = 0; w < opts.wards; w++) {
    const code = `R${String(w + 1).padStart(2, '0')}`;
    const ward = await loc({ kind: 'ward', code, name: `Reparto ${w + 1}` });
    await loc({ kind: 'ward_store', code: `${code}-MR`, name: `Magazzino di reparto ${w + 1}`, parentId: ward.id });
    wards.push({ id: ward.id, code });
  }
  const section = await createSection({
    ctx: sys,
    input: { code: 'MAGAZZINO', name: 'Magazzino', fulfilledFromId: warehouse.id },
  });
  const categories: { id: string }[] = [];
  for (const [code, name] of [
    ['DM', 'Dispositivi medici'],
    ['ECO', 'Economato'],
    ['CANC', 'Cancelleria'],
    ['PUL', 'Pulizia'],
    ['LAB', 'Laboratorio'],
  ] as const) {
    categories.push(await createCategory({ ctx: sys, input: { code, name, sectionId: section.id } }));
  }
  const suppliers: { id: string }[] = [];
  for (let s = 1; s <= 5; s++)
    suppliers.push(
      await createSupplier({ ctx: sys, input: { code: `F${s}`, name: `Fornitore ${s}`, leadTimeDays: 3 + s } }),
    );

  const stockItems: string[] = [];
  for (let i = 0; i < opts.items; i++) {
    const item = await createItem({
      ctx: sys,
      input: {
        code: `ART-${String(i).padStart(4, '0')}`,
        name: `Articolo ${i}`,
        nameEn: `Item ${i}`,
        categoryId: categories[i % categories.length]!.id,
        unit: 'pz',
        referencePrice: 0.1 + (i % 50) / 10,
        supplierId: suppliers[i % suppliers.length]!.id,
      },
    });
    stockItems.push(item.id);
  }
  const passThrough: string[] = [];
  for (let i = 0; i < passThroughItems; i++) {
    const item = await createItem({
      ctx: sys,
      input: {
        code: `TR-${String(i).padStart(4, '0')}`,
        name: `Articolo in transito ${i}`,
        nameEn: `Pass-through item ${i}`,
        categoryId: categories[i % categories.length]!.id,
        unit: 'pz',
        supplyMode: 'pass_through',
        referencePrice: 5 + i,
        supplierId: suppliers[i % suppliers.length]!.id,
      },
    });
    passThrough.push(item.id);
  }

  const actor = async (username: string, role: 'ward_nurse' | 'warehouse', locationId: string): Promise<Actor> => {
    const user = await createUser({
      ctx: sys,
      input: { username, displayName: username, roles: [{ role, locationId }] },
    });
    return {
      userId: user.id,
      organisationId: org.id,
      grants: await loadGrants({ db }, user.id),
      channel: 'http',
      via: 'user',
    };
  };
  const nurses: Actor[] = [];
  for (const ward of wards) nurses.push(await actor(`inf.${ward.code.toLowerCase()}`, 'ward_nurse', ward.id));
  const staff: Actor[] = [];
  for (let s = 0; s < Math.max(opts.concurrency, 1); s++)
    staff.push(await actor(`mag.${s + 1}`, 'warehouse', warehouse.id));

  // No core action writes budgets or contracts yet: they are inserted directly, generous enough never
  // to stop an approval, so evaluation runs its budget and contract checks on every line.
  const year = new Date().getUTCFullYear();
  const period = { periodStart: `${year}-01-01`, periodEnd: `${year}-12-31` };
  await db.insert(wardBudgets).values(wards.map((w) => ({ locationId: w.id, ...period, amount: '100000000' })));
  if (opts.contracts) {
    await db.insert(supplyContracts).values(
      stockItems.flatMap((itemId, i) =>
        i % 2 === 0
          ? [
              {
                organisationId: org.id,
                supplierId: suppliers[i % suppliers.length]!.id,
                itemId,
                reference: `CTR-${year}-${i}`,
                unitPrice: (0.09 + (i % 50) / 10).toFixed(4),
                quantity: 10_000_000,
                validFrom: period.periodStart,
                validTo: period.periodEnd,
              },
            ]
          : [],
      ),
    );
  }

  // Stock: every item's planned demand plus 20 %, over `--lots` lots of staggered expiry (the first lot is
  // the smallest, so FEFO moves to the next one early); every tenth item also has an expired lot in
  // stock, which FEFO must skip.
  const demand = new Array<number>(opts.items).fill(0);
  for (const p of plans) for (const l of p.lines) if (!l.passThrough) demand[l.item]! += l.quantity;
  const today = localDate(now());
  const inDays = (d: number) => localDate(new Date(Date.now() + d * 86_400_000));
  const lines: { itemId: string; lotCode: string; expiry: string; quantity: number; unitPrice: number }[] = [];
  let expiredLots = 0;
  for (const [i, itemId] of stockItems.entries()) {
    const total = Math.ceil(demand[i]! * 1.2) + 20;
    const weights = Array.from({ length: opts.lots }, (_, j) => (j === 0 ? 1 : 2));
    const sum = weights.reduce((a, b) => a + b, 0);
    let given = 0;
    for (let j = 0; j < opts.lots; j++) {
      const quantity = j === opts.lots - 1 ? total - given : Math.max(1, Math.floor((total * weights[j]!) / sum));
      given += quantity;
      lines.push({
        itemId,
        lotCode: `L${i}-${j + 1}`,
        expiry: inDays(60 + 90 * j),
        quantity,
        unitPrice: 0.1 + (i % 50) / 10,
      });
    }
    if (i % 10 === 0) {
      lines.push({ itemId, lotCode: `L${i}-X`, expiry: inDays(-3), quantity: 50, unitPrice: 0.1 });
      expiredLots++;
    }
  }
  if (lines.some((l) => l.expiry === today)) throw new Error('a lot expires today: pick other offsets');
  const receiver = ctxOf(db, staff[0]!);
  for (let start = 0; start < lines.length; start += 400) {
    await receiveGoods({
      ctx: receiver,
      input: {
        locationId: warehouse.id,
        supplierId: suppliers[0]!.id,
        documentType: 'DDT',
        documentId: `DDT-${start / 400 + 1}`,
        lines: lines.slice(start, start + 400),
      },
    });
  }
  return {
    organisationId: org.id,
    wards,
    nurses,
    staff,
    stockItems,
    passThrough,
    receivedLots: lines.length,
    expiredLots,
  };
}

// ------------------------------------------------------------------------------------------------
// Running requests

interface PhaseStats {
  phase: Phase;
  calls: number;
  /**
   * Requests per second: wall clock when the step ran alone (phased, or sequential), else calls ÷ (Σ latency ÷
   * workers).
   */
  perSecond: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
  /** Median latency of the first and of the last tenth of the requests, to show growth with history. */
  firstTenthP50: number;
  lastTenthP50: number;
}

interface WaitSample {
  what: string;
  share: number;
}

interface RunStats {
  name: string;
  requests: number;
  linesPerRequest: number;
  concurrency: number;
  mode: 'pipeline' | 'phased' | 'sequential';
  wallSeconds: number;
  overallPerSecond: number;
  linesPerSecond: number;
  phases: PhaseStats[];
  errors: { count: number; first: string[] };
  issueNotes: number;
  backOrderedLines: number;
  purchaseOrders: number;
  loadAvg: [number, number];
  /** What the busy backends were doing, sampled every 50 ms (PostgreSQL): share of backend samples. */
  waits: WaitSample[];
  database: { deadlocks: number; rollbacks: number; commits: number } | null;
}

function summarise(phase: Phase, times: number[], perSecond: number): PhaseStats {
  const done = times.filter((t) => Number.isFinite(t));
  const sorted = [...done].sort((a, b) => a - b);
  const tenth = Math.max(1, Math.floor(done.length / 10));
  const median = (xs: number[]) =>
    percentile(
      [...xs].sort((a, b) => a - b),
      0.5,
    );
  return {
    phase,
    calls: done.length,
    perSecond,
    p50: percentile(sorted, 0.5),
    p95: percentile(sorted, 0.95),
    p99: percentile(sorted, 0.99),
    max: sorted.at(-1)!,
    mean: done.reduce((s, x) => s + x, 0) / done.length,
    firstTenthP50: median(done.slice(0, tenth)),
    lastTenthP50: median(done.slice(-tenth)),
  };
}

/**
 * Samples pg_stat_activity of the bench database until stopped: backend states, wait events, and the statements that
 * wait on locks.
 */
function sampleWaits(monitor: Sql | null): () => Promise<WaitSample[]> {
  if (!monitor) return async () => [];
  const counts = new Map<string, number>();
  let samples = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const rows = await monitor<{ what: string }[]>`
        select case
                 when state = 'idle in transaction' then 'idle in transaction (waiting for Node)'
                 when wait_event_type = 'Lock' then 'Lock ' || wait_event || ': ' || left(regexp_replace(query, '\\s+', ' ', 'g'), 48)
                 when wait_event_type is null then 'on CPU'
                 else wait_event_type || ' ' || wait_event
               end as what
        from pg_stat_activity
        where datname = current_database() and pid <> pg_backend_pid() and backend_type = 'client backend' and state <> 'idle'`;
      for (const r of rows) counts.set(r.what, (counts.get(r.what) ?? 0) + 1);
      samples += rows.length;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  return async () => {
    running = false;
    await loop;
    return [...counts.entries()]
      .map(([what, n]) => ({ what, share: n / Math.max(1, samples) }))
      .sort((a, b) => b.share - a.share)
      .slice(0, 12);
  };
}

async function dbCounters(opened: Opened) {
  if (!opened.monitor) return null;
  const [row] = await opened.monitor<{ deadlocks: number; rollbacks: number; commits: number }[]>`
    select deadlocks::int, xact_rollback::int as rollbacks, xact_commit::int as commits from pg_stat_database where datname = current_database()`;
  return row!;
}

async function runRequests(
  opened: Opened,
  h: Hospital,
  name: string,
  plans: PlannedRequest[],
  tag: string,
): Promise<RunStats> {
  const concurrency = opened.driver === 'pglite' ? 1 : opts.concurrency;
  const mode: RunStats['mode'] = concurrency === 1 ? 'sequential' : opts.phased ? 'phased' : 'pipeline';
  const times: Record<Phase, number[]> = {
    emit: new Array(plans.length).fill(NaN),
    evaluate: new Array(plans.length).fill(NaN),
    fulfil: new Array(plans.length).fill(NaN),
  };
  const requestIds: (string | undefined)[] = new Array(plans.length);
  const lineIds: string[][] = new Array(plans.length);
  const failed = new Set<number>();
  const errors: string[] = [];
  const tally = { issueNotes: 0, backOrderedLines: 0, purchaseOrders: 0 };
  const key = (phase: Phase, i: number) => (opts.keys ? { idempotencyKey: `bench-${tag}-${i}-${phase}` } : {});

  const step = async (phase: Phase, i: number, worker: number) => {
    if (failed.has(i)) return;
    const p = plans[i]!;
    const staff = ctxOf(opened.db, h.staff[worker % h.staff.length]!);
    const t = performance.now();
    try {
      if (phase === 'emit') {
        const input = {
          destinationId: h.wards[p.ward]!.id,
          lines: p.lines.map((l) => ({
            itemId: (l.passThrough ? h.passThrough : h.stockItems)[l.item]!,
            quantity: l.quantity,
          })),
          ...key(phase, i),
        };
        const r = await emitRequest({ ctx: ctxOf(opened.db, h.nurses[p.ward]!), input });
        requestIds[i] = r.id;
        lineIds[i] = r.lines.map((l) => l.id);
      } else if (phase === 'evaluate') {
        await evaluateLines({
          ctx: staff,
          input: {
            decisions: lineIds[i]!.map((lineId) => ({ lineId, decision: 'approve' as const })),
            ...key(phase, i),
          },
        });
      } else {
        const r = await fulfilRequest({ ctx: staff, input: { requestId: requestIds[i]!, ...key(phase, i) } });
        tally.issueNotes += r.issueNotes.length;
        tally.backOrderedLines += r.backOrdered.length;
        tally.purchaseOrders += r.purchaseOrders.length;
      }
      times[phase][i] = performance.now() - t;
    } catch (error) {
      failed.add(i);
      errors.push(`${phase} #${i}: ${error instanceof Error ? error.message : String(error)}`);
    }
  };

  const pool = async (work: (i: number, worker: number) => Promise<void>) => {
    let next = 0;
    let done = 0;
    const report = Math.max(1, Math.floor(plans.length / 10));
    await Promise.all(
      Array.from({ length: concurrency }, async (_, worker) => {
        for (let i = next++; i < plans.length; i = next++) {
          await work(i, worker);
          done++;
          if (done % report === 0) log(`    ${done.toLocaleString('en-US')} / ${plans.length.toLocaleString('en-US')}`);
        }
      }),
    );
  };

  log(
    `  ${name}: ${plans.length.toLocaleString('en-US')} requests × ${opts.lines} lines, ${mode}, ${concurrency} worker(s)`,
  );
  const loadBefore = os.loadavg()[0]!;
  const countersBefore = await dbCounters(opened);
  const stopSampling = sampleWaits(opened.monitor);
  const start = performance.now();
  const phaseWall: Partial<Record<Phase, number>> = {};
  if (mode === 'phased') {
    for (const phase of phases) {
      const t = performance.now();
      log(`   ${phase}`);
      await pool((i, worker) => step(phase, i, worker));
      phaseWall[phase] = (performance.now() - t) / 1000;
    }
  } else {
    await pool(async (i, worker) => {
      for (const phase of phases) await step(phase, i, worker);
    });
  }
  const wallSeconds = (performance.now() - start) / 1000;
  const waits = await stopSampling();
  const countersAfter = await dbCounters(opened);
  const completed = plans.length - failed.size;
  const phaseStats = phases.map((phase) => {
    const busy = times[phase].filter(Number.isFinite).reduce((s, x) => s + x, 0) / 1000;
    const calls = times[phase].filter(Number.isFinite).length;
    return summarise(phase, times[phase], phaseWall[phase] ? calls / phaseWall[phase] : calls / (busy / concurrency));
  });
  const stats: RunStats = {
    name,
    requests: plans.length,
    linesPerRequest: opts.lines,
    concurrency,
    mode,
    wallSeconds,
    overallPerSecond: completed / wallSeconds,
    linesPerSecond: (completed * opts.lines) / wallSeconds,
    phases: phaseStats,
    errors: { count: errors.length, first: errors.slice(0, 5) },
    ...tally,
    loadAvg: [loadBefore, os.loadavg()[0]!],
    waits,
    database:
      countersBefore && countersAfter
        ? {
            deadlocks: countersAfter.deadlocks - countersBefore.deadlocks,
            rollbacks: countersAfter.rollbacks - countersBefore.rollbacks,
            commits: countersAfter.commits - countersBefore.commits,
          }
        : null,
  };
  log(
    `  ${name}: ${wallSeconds.toFixed(1)} s, ${stats.overallPerSecond.toFixed(1)} requests/s overall, ${errors.length} errors`,
  );
  for (const e of stats.errors.first) log(`    ! ${e}`);
  return stats;
}

// ------------------------------------------------------------------------------------------------
// Where the time goes: the statements of one emit → evaluate → fulfil, with their plans

interface Captured {
  phase: Phase;
  sql: string;
  params: unknown[];
}
interface Explained {
  phase: Phase;
  sql: string;
  ms: number | null;
  plan: string;
}

/**
 * Runs one more request through the three steps on a drizzle instance that records every statement,
 * then EXPLAIN ANALYZEs each statement with the recorded parameters inside a transaction that is rolled
 * back (a savepoint per statement: an insert that would now collide is explained without ANALYZE).
 */
async function explainOneRequest(
  opened: Opened,
  h: Hospital,
  p: PlannedRequest,
): Promise<{ counts: Record<Phase, number>; statements: Explained[] }> {
  const client = (opened.db as unknown as { $client: unknown }).$client;
  const captured: Captured[] = [];
  let phase: Phase = 'emit';
  const logger = { logQuery: (q: string, params: unknown[]) => void captured.push({ phase, sql: q, params }) };
  const db = (opened.driver === 'postgres'
    ? drizzlePostgres(client as Sql, { schema, logger })
    : drizzlePglite(client as PGlite, { schema, logger })) as unknown as Database;
  const staff = ctxOf(db, h.staff[0]!);
  const emitted = await emitRequest({
    ctx: ctxOf(db, h.nurses[p.ward]!),
    input: {
      destinationId: h.wards[p.ward]!.id,
      lines: p.lines.map((l) => ({ itemId: h.stockItems[l.item]!, quantity: l.quantity })),
      idempotencyKey: 'bench-explain-emit',
    },
  });
  phase = 'evaluate';
  await evaluateLines({
    ctx: staff,
    input: {
      decisions: emitted.lines.map((l) => ({ lineId: l.id, decision: 'approve' as const })),
      idempotencyKey: 'bench-explain-evaluate',
    },
  });
  phase = 'fulfil';
  await fulfilRequest({ ctx: staff, input: { requestId: emitted.id, idempotencyKey: 'bench-explain-fulfil' } });
  const statements = captured.filter((c) => !/^(begin|commit|rollback|savepoint|release)/i.test(c.sql.trim()));
  const counts = { emit: 0, evaluate: 0, fulfil: 0 };
  for (const s of statements) counts[s.phase]++;

  const explained: Explained[] = [];
  const explainAll = async (run: (text: string, params: unknown[]) => Promise<Row[]>) => {
    for (const s of statements) {
      const attempt = async (analyze: boolean) => {
        await run('savepoint bench_explain', []);
        try {
          const rows = await run(`explain (${analyze ? 'analyze, buffers' : 'costs'}) ${s.sql}`, s.params);
          await run('release savepoint bench_explain', []);
          return rows.map((r) => String(r['QUERY PLAN'])).join('\n');
        } catch (error) {
          await run('rollback to savepoint bench_explain', []);
          if (analyze) return null;
          return `(could not explain: ${error instanceof Error ? error.message : String(error)})`;
        }
      };
      const plan =
        (await attempt(true)) ?? `(not analyzed: conflicts with the committed request)\n${await attempt(false)}`;
      const ms = /Execution Time: ([\d.]+) ms/.exec(plan);
      explained.push({ phase: s.phase, sql: s.sql, ms: ms ? Number(ms[1]) : null, plan });
    }
  };
  const rollback = new Error('rollback');
  try {
    if (opened.driver === 'postgres') {
      await (client as Sql).begin(async (tx) => {
        await explainAll(async (text, params) => (await tx.unsafe(text, params as never[])) as unknown as Row[]);
        throw rollback;
      });
    } else {
      await (client as PGlite).transaction(async (tx) => {
        await explainAll(async (text, params) => (await tx.query<Row>(text, params)).rows);
        await tx.rollback();
      });
    }
  } catch (error) {
    if (error !== rollback) throw error;
  }
  return { counts, statements: explained };
}

// ------------------------------------------------------------------------------------------------
// Verification: one query

const verifySql = (organisationId: string, today: string) => `
  with ledger as (
    select location_id, lot_id, sum(delta)::bigint as quantity
    from (select to_location_id as location_id, lot_id, quantity as delta from movements where to_location_id is not null
          union all
          select from_location_id, lot_id, -quantity from movements where from_location_id is not null) m
    group by location_id, lot_id),
  balances as (
    select count(*) filter (where coalesce(b.quantity, 0) <> coalesce(l.quantity, 0))::int as balance_mismatches,
           count(*) filter (where b.quantity < 0)::int as negative_balances
    from stock_balances b full join ledger l using (location_id, lot_id)),
  issued as (
    select request_line_id, sum(quantity)::int as quantity, count(distinct lot_id)::int as lots from issue_note_lines group by request_line_id),
  ordered as (
    select request_line_id, sum(quantity)::int as quantity, count(*)::int as orders from purchase_order_lines group by request_line_id),
  lines as (
    select rl.request_id, i.supply_mode, rl.status, rl.quantity_requested, rl.quantity_issued,
           coalesce(x.quantity, 0) as on_notes, coalesce(x.lots, 0) as lots,
           (o.orders = 1 and o.quantity = rl.quantity_requested) is true as ordered
    from request_lines rl join items i on i.id = rl.item_id
    left join issued x on x.request_line_id = rl.id left join ordered o on o.request_line_id = rl.id),
  fefo as (
    -- FEFO leaves, per item, every lot that expires before the last one issued from empty.
    select b.item_id,
           min(t.expiry) filter (where b.quantity > 0 and t.expiry >= '${today}') as earliest_in_stock,
           max(t.expiry) filter (where x.lot_id is not null) as latest_issued
    from stock_balances b join lots t on t.id = b.lot_id join locations w on w.id = b.location_id and w.kind = 'warehouse'
    left join (select distinct lot_id from movements where kind = 'issue') x on x.lot_id = b.lot_id
    group by b.item_id),
  per_request as (
    select r.id, r.status, bool_or(l.supply_mode = 'pass_through') as mixed
    from ward_requests r join lines l on l.request_id = r.id group by r.id, r.status)
  select
    (select balance_mismatches from balances) as balance_mismatches,
    (select negative_balances from balances) as negative_balances,
    (select count(*)::int from per_request) as requests,
    (select count(*)::int from per_request where not mixed and status = 'completed') as stock_requests_completed,
    (select count(*)::int from per_request where not mixed and status <> 'completed') as stock_requests_not_completed,
    (select count(*)::int from per_request where mixed and status = 'in_progress') as mixed_requests_in_progress,
    (select count(*)::int from per_request where mixed and status <> 'in_progress') as mixed_requests_not_in_progress,
    (select count(*)::int from lines) as lines,
    (select count(*)::int from lines where supply_mode = 'stock' and (status <> 'issued' or quantity_issued <> quantity_requested or on_notes <> quantity_issued)) as stock_lines_not_issued,
    (select count(*)::int from lines where supply_mode = 'pass_through' and (status <> 'ordered' or not ordered)) as pass_through_lines_not_ordered,
    (select count(*)::int from lines where lots > 1) as lines_issued_from_several_lots,
    (select count(*)::int from movements m join lots t on t.id = m.lot_id where m.kind = 'issue' and t.expiry < '${today}') as issues_from_expired_lots,
    (select count(*)::int from fefo where latest_issued > earliest_in_stock) as items_issued_out_of_fefo_order,
    (select count(*)::int from stock_balances b join locations w on w.id = b.location_id
       where w.organisation_id = '${organisationId}' and w.kind = 'warehouse' and b.quantity = 0) as warehouse_lots_emptied,
    (select count(*)::int from movements) as movements`;

// ------------------------------------------------------------------------------------------------

interface RunResult {
  driver: Driver;
  server: string;
  where: string;
  setupSeconds: number;
  dataset: {
    wards: number;
    stockItems: number;
    passThroughItems: number;
    lotsReceived: number;
    expiredLots: number;
    nurses: number;
    warehouseStaff: number;
  };
  runs: RunStats[];
  statementsPerStep: Record<Phase, number>;
  /** Every statement of the explained request, in order, with its plan. */
  statements: Explained[];
  seqScans: string[];
  verify: Row;
  verifySeconds: number;
}

async function run(
  driver: Driver,
  mainPlan: PlannedRequest[],
  mixedPlan: PlannedRequest[],
  explainPlan: PlannedRequest,
): Promise<RunResult> {
  log(`\n== ${driver}: fresh database`);
  const opened = await openFresh(driver);
  try {
    const [{ version } = { version: '?' }] = await query<{ version: string }>(opened.db, `select version() as version`);
    log(`  ${version}\n  ${opened.where}`);
    let t = performance.now();
    const h = await buildHospital(opened.db, [...mainPlan, ...mixedPlan, explainPlan]);
    const setupSeconds = (performance.now() - t) / 1000;
    log(
      `  hospital built in ${setupSeconds.toFixed(1)} s: ${h.wards.length} wards, ${h.stockItems.length} stock items, ${h.receivedLots} lots received (${h.expiredLots} expired)`,
    );
    const runs = [await runRequests(opened, h, `main ${mainPlan.length}×${opts.lines}`, mainPlan, 'main')];
    await query(opened.db, 'analyze');
    log('  explaining one more request (EXPLAIN ANALYZE of every statement, rolled back)');
    const explained = await explainOneRequest(opened, h, explainPlan);
    if (mixedPlan.length)
      runs.push(
        await runRequests(
          opened,
          h,
          `mixed ${mixedPlan.length}×${opts.lines} (1 in ${opts.lines} lines pass-through)`,
          mixedPlan,
          'mixed',
        ),
      );
    t = performance.now();
    const [verify] = await query(opened.db, verifySql(h.organisationId, localDate(now())));
    const verifySeconds = (performance.now() - t) / 1000;
    log(`  verified in ${verifySeconds.toFixed(1)} s: ${JSON.stringify(verify)}`);
    const seqScans = explained.statements.flatMap((s) =>
      [...s.plan.matchAll(/Seq Scan on (\w+)[^\n]*actual time=[^\n]*rows=(\d+)/g)].map(
        (m) => `${s.phase}: ${m[1]} (${m[2]} rows) in ${s.sql.slice(0, 60)}…`,
      ),
    );
    return {
      driver,
      server: version,
      where: opened.where,
      setupSeconds,
      dataset: {
        wards: h.wards.length,
        stockItems: h.stockItems.length,
        passThroughItems: h.passThrough.length,
        lotsReceived: h.receivedLots,
        expiredLots: h.expiredLots,
        nurses: h.nurses.length,
        warehouseStaff: h.staff.length,
      },
      runs,
      statementsPerStep: explained.counts,
      statements: explained.statements,
      seqScans,
      verify: verify!,
      verifySeconds,
    };
  } finally {
    await opened.close();
  }
}

function report(results: RunResult[]): string {
  const out: string[] = [];
  out.push(
    `Scorta ward-requests benchmark: emit → evaluate (approve) → fulfil (FEFO issue note), ${opts.lines} lines a request, idempotency keys ${opts.keys ? 'sent' : 'not sent'}, ward budgets${opts.contracts ? ' and supply contracts (every other item)' : ', no supply contracts'}`,
  );
  for (const r of results) {
    out.push('');
    out.push(`${r.driver}: ${r.server.split(' on ')[0]} (${r.where})`);
    out.push(
      `  hospital: ${r.dataset.wards} wards + stores, ${r.dataset.stockItems} stock items, ${r.dataset.lotsReceived} lots (${r.dataset.expiredLots} expired), ${r.dataset.nurses} nurses, ${r.dataset.warehouseStaff} warehouse staff; built in ${r.setupSeconds.toFixed(1)} s`,
    );
    out.push(
      `  statements per request: emit ${r.statementsPerStep.emit}, evaluate ${r.statementsPerStep.evaluate}, fulfil ${r.statementsPerStep.fulfil}`,
    );
    const v = r.verify;
    out.push(
      `  verified: ${v.balance_mismatches} balance ≠ ledger, ${v.negative_balances} negative; of ${v.requests} requests, ${v.stock_requests_completed} stock-only completed (${v.stock_requests_not_completed} not),` +
        ` ${v.mixed_requests_in_progress} mixed in progress awaiting their purchase orders (${v.mixed_requests_not_in_progress} not); ${v.stock_lines_not_issued} stock lines not fully issued,` +
        ` ${v.pass_through_lines_not_ordered} pass-through lines not ordered; ${v.lines_issued_from_several_lots} lines issued across lots, ${v.warehouse_lots_emptied} warehouse lots emptied,` +
        ` ${v.issues_from_expired_lots} issues from expired lots, ${v.items_issued_out_of_fefo_order} items issued out of FEFO order; ${v.movements} movements (query ${r.verifySeconds.toFixed(1)} s)`,
    );
    for (const run of r.runs) {
      if (run.errors.count) out.push(`  ${run.name}: ${run.errors.count} ERRORS, first: ${run.errors.first[0]}`);
      if (run.database)
        out.push(
          `  ${run.name}: ${run.database.commits} commits, ${run.database.rollbacks} rollbacks, ${run.database.deadlocks} deadlocks`,
        );
    }
  }
  out.push('');
  const head = [
    'driver',
    'run',
    'mode',
    'workers',
    'step',
    'calls',
    'req/s',
    'p50',
    'p95',
    'p99',
    'max',
    'p50 1st→last 10%',
    'load avg',
  ];
  const rows: string[][] = [];
  for (const r of results) {
    for (const run of r.runs) {
      for (const p of run.phases) {
        rows.push([
          r.driver,
          run.name,
          run.mode,
          String(run.concurrency),
          p.phase,
          String(p.calls),
          fmt(p.perSecond),
          fmt(p.p50),
          fmt(p.p95),
          fmt(p.p99),
          fmt(p.max),
          `${fmt(p.firstTenthP50)}→${fmt(p.lastTenthP50)}`,
          '',
        ]);
      }
      rows.push([
        r.driver,
        run.name,
        run.mode,
        String(run.concurrency),
        'overall',
        String(run.requests - run.errors.count),
        fmt(run.overallPerSecond),
        '',
        '',
        '',
        '',
        `${run.wallSeconds.toFixed(1)} s wall`,
        run.loadAvg.map((x) => x.toFixed(1)).join('→'),
      ]);
    }
  }
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i >= 5 && i <= 10 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  out.push(`${line(head)}   (ms)`);
  out.push(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) out.push(line(r));
  out.push('');
  out.push(
    'req/s per step: wall clock when the step ran alone (phased or sequential); in a pipeline, calls ÷ (time spent in the step ÷ workers).',
  );
  for (const r of results) {
    for (const run of r.runs.filter((x) => x.waits.length)) {
      out.push('');
      out.push(`${r.driver} ${run.name}: what the active backends were doing (share of samples)`);
      for (const w of run.waits.slice(0, 8)) out.push(`  ${(w.share * 100).toFixed(1).padStart(5)} %  ${w.what}`);
    }
  }
  const busiest = Math.max(...results.flatMap((r) => r.runs.flatMap((x) => x.loadAvg)));
  if (busiest > os.availableParallelism()) {
    out.push('');
    out.push(
      `note: the 1-minute load average reached ${busiest.toFixed(1)} on ${os.availableParallelism()} CPUs: other work was competing for the CPUs, so these figures are pessimistic.`,
    );
  }
  return out.join('\n');
}

const mainPlan = plan(opts.requests, 1, false);
const mixedPlan = opts.mixed ? plan(opts.mixed, 2, true) : [];
// The explained request: the busiest ward (ward 0) and the five most popular items, after the main run.
const explainPlan: PlannedRequest = {
  ward: 0,
  lines: Array.from({ length: opts.lines }, (_, item) => ({ item, passThrough: false, quantity: 5 })),
};

const results: RunResult[] = [];
for (const driver of drivers) results.push(await run(driver, mainPlan, mixedPlan, explainPlan));

for (const r of results) {
  log(`\n== ${r.driver}: the slowest statements of one request after the main run (EXPLAIN ANALYZE, BUFFERS)`);
  for (const s of [...r.statements].sort((a, b) => (b.ms ?? 0) - (a.ms ?? 0)).slice(0, 6))
    log(`\n-- ${s.phase}, ${s.ms ?? '?'} ms\n-- ${s.sql}\n${s.plan}`);
  log(
    `\n== ${r.driver}: sequential scans in those plans: ${r.seqScans.length ? `\n${r.seqScans.join('\n')}` : 'none'}`,
  );
}
process.stdout.write(`\n${report(results)}\n`);

if (args.json) {
  const doc = { startedAt: new Date().toISOString(), options: { drivers, ...opts }, machine: machine(), results };
  await writeFile(args.json, `${JSON.stringify(doc, null, 2)}\n`);
  log(`wrote ${args.json}`);
}
