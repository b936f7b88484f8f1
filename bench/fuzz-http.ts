/**
 * `npm run fuzz:http -- --seed N --bodies N`: fuzzed bodies and queries against every write and list endpoint
 * of /openapi.json, with an admin token, on PGlite in memory (PostgreSQL with --driver postgres and DATABASE_URL).
 * Prints the seed and the count per status; exits 1 on any 5xx or on a refused request that wrote rows.
 */
import { parseArgs } from 'node:util';
import { openFreshDatabase, type Driver } from './fresh-database.ts';
import { fuzzHttp, fuzzTarget } from './fuzz-http-run.ts';

const { values: args } = parseArgs({
  options: {
    seed: { type: 'string' },
    bodies: { type: 'string', default: '5000' },
    driver: { type: 'string', default: 'pglite' },
  },
});
const seed = args.seed ? Number(args.seed) : Math.floor(Math.random() * 2 ** 31);
const bodies = Number(args.bodies);
if (!Number.isInteger(seed) || !Number.isInteger(bodies) || bodies < 1)
  throw new Error('--seed and --bodies must be positive integers');
console.log(`fuzz:http seed ${seed}, ${bodies} bodies, ${args.driver}`);

const opened = await openFreshDatabase({
  driver: args.driver as Driver,
  prefix: 'scorta_fuzz',
  databaseUrl: process.env.DATABASE_URL,
});
try {
  const target = await fuzzTarget(opened.db);
  const document = await (await target.fetch(new Request('http://fuzz.local/openapi.json'))).json();
  const started = Date.now();
  const result = await fuzzHttp(target, {
    seed,
    bodies,
    document,
    onProgress: (n) => n % 1000 === 0 && console.log(`  ${n} requests…`),
  });
  console.log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s; by status:`);
  for (const [status, n] of Object.entries(result.byStatus).sort()) console.log(`  ${status}  ${n}`);
  for (const f of result.findings.slice(0, 20))
    console.log(`FINDING ${f.reason}: ${f.method} ${f.path} ${f.status}\n  ${f.body}`);
  console.log(
    result.findings.length
      ? `${result.findings.length} findings (seed ${seed})`
      : `no 5xx, no refused request wrote a row (seed ${seed})`,
  );
  process.exitCode = result.findings.length ? 1 : 0;
} finally {
  await opened.close();
}
