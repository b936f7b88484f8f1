/**
 * Garbage collection of ward stock reads: `getStock` of random wards (with descendants), one at a time, on a
 * database the ledger benchmark kept, counting the process's collections and their time (perf_hooks `gc`
 * entries) with the latency. For comparing two versions of the read path in alternating runs, where a full
 * `npm run bench` would reload a million movements each time.
 *
 *   npm run bench -- --driver postgres --keep          # prints "kept postgres://…/scorta_bench_…"
 *   DATABASE_URL=postgres://…/scorta_bench_… npx tsx bench/stock-gc.ts [--calls 3000]
 */
import { parseArgs } from 'node:util';
import { PerformanceObserver } from 'node:perf_hooks';
import { systemActor, type Context } from '../api/core/context.ts';
import { getStock } from '../api/stock/get-stock.ts';
import { openDatabase } from '../server/database.ts';
import { percentile, seededRandom } from '../demo/random.ts';
import { query } from './ledger-load.ts';

const { values: args } = parseArgs({ options: { calls: { type: 'string', default: '3000' } } });
const calls = Number(args.calls);
if (!Number.isInteger(calls) || calls < 1) throw new Error(`--calls must be a positive integer, got ${args.calls}`);
if (!process.env.DATABASE_URL)
  throw new Error('DATABASE_URL must name a database kept by `npm run bench -- --driver postgres --keep`');
const opened = await openDatabase({ databaseUrl: process.env.DATABASE_URL, dataDir: '' });
const [org] = await query<{ id: string }>(opened.db, `select id from organisations order by code limit 1`);
const wards = (
  await query<{ id: string }>(opened.db, `select id from locations where kind = 'ward' order by code`)
).map((w) => w.id);
if (!org || wards.length === 0)
  throw new Error('no organisation or wards: is this a database of the ledger benchmark?');
const ctx: Context = { db: opened.db, actor: systemActor(org.id), now: () => new Date() };
const rand = seededRandom(1);
const call = () =>
  getStock({ ctx, input: { locationId: wards[Math.floor(rand() * wards.length)]!, includeDescendants: true } });

for (let i = 0; i < Math.min(300, calls); i++) await call();
let collections = 0;
let gcMs = 0;
const observer = new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    collections++;
    gcMs += entry.duration;
  }
});
observer.observe({ entryTypes: ['gc'] });
const times: number[] = [];
const cpu = process.cpuUsage();
for (let i = 0; i < calls; i++) {
  const t = performance.now();
  await call();
  times.push(performance.now() - t);
}
const used = process.cpuUsage(cpu);
await new Promise((resolve) => setTimeout(resolve, 50)); // let the observer deliver the last entries
observer.disconnect();
times.sort((a, b) => a - b);
console.log(
  `${calls} ward reads: p50 ${percentile(times, 0.5).toFixed(2)}  p99 ${percentile(times, 0.99).toFixed(2)}  max ${times.at(-1)!.toFixed(2)} ms; ` +
    `Node CPU ${((used.user + used.system) / 1000 / calls).toFixed(3)} ms/call; ${collections} collections, ${gcMs.toFixed(0)} ms`,
);
await opened.close();
