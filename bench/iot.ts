/**
 * Device ingest benchmark. A home-care site of `--devices` glucometers, one per patient's home, built with
 * the core actions; the devices are real MQTT clients spread over `--workers` worker threads. In one run:
 *
 *   1. raw: a bare aedes broker (no authentication, no handling) takes a QoS 1 burst of `--burst` readings
 *      per device: publish → PUBACK, messages/s;
 *   1b. raw answering: the bare broker answers each message on the device's reply topic, as Scorta does, with
 *      no database: the ceiling of end to end on this machine;
 *   2. end to end: Scorta's broker takes the same burst; each PUBACK leaves after the reading is validated,
 *      written (consumption movements, balances, audit), its reorder policy evaluated and committed:
 *      readings/s, and the ratio to raw;
 *   3. latency: each device sends `--paced` more readings, one every `--interval-ms`, until its home runs
 *      low: reading → reply latency p50/p99, and the same for the readings whose reply reports a newly
 *      emitted under-stock request (reading → request).
 *
 * Then it checks in SQL that every reading was applied exactly once. No assertions on time: figures are
 * for reading (docs/devices.md).
 *
 *   npm run bench:iot -- [--driver pglite|postgres|both] [--devices 1000] [--burst 10] [--paced 10]
 *                        [--interval-ms 1000] [--workers 2] [--json out.json] [--pglite-dir DIR] [--keep]
 *                        [--profile burst.cpuprofile]   (CPU profile of the broker's process during the burst)
 */
import os from 'node:os';
import { createServer } from 'node:net';
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { performance as nodePerformance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { Session } from 'node:inspector/promises';
import { Aedes } from 'aedes';
import { sql } from 'drizzle-orm';
import { holdWrites, startBroker } from '../iot/broker.ts';
import { percentile } from '../demo/random.ts';
import { buildGlucometerSite } from '../test/helpers/device-site.ts';
import { formatCpuSplit, startCpuSplit } from './cpu-split.ts';
import { openFreshDatabase, type Driver } from './fresh-database.ts';

const { values: args } = parseArgs({
  options: {
    driver: { type: 'string' },
    devices: { type: 'string', default: '1000' },
    burst: { type: 'string', default: '10' },
    paced: { type: 'string', default: '10' },
    'interval-ms': { type: 'string', default: '1000' },
    workers: { type: 'string', default: '2' },
    json: { type: 'string' },
    'pglite-dir': { type: 'string' },
    keep: { type: 'boolean', default: false },
    /** Write a CPU profile of Scorta's process (broker and ingest) during the end-to-end burst to this file. */
    profile: { type: 'string' },
  },
});
const int = (name: string, value: string | undefined, min = 1) => {
  const n = Number(String(value).replace(/[_,]/g, ''));
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer ≥ ${min}, got ${value}`);
  return n;
};
const databaseUrl = process.env.DATABASE_URL;
const driverArg = args.driver ?? (databaseUrl ? 'both' : 'pglite');
const drivers: Driver[] = driverArg === 'both' ? ['postgres', 'pglite'] : [driverArg as Driver];
const opts = {
  devices: int('devices', args.devices),
  burst: int('burst', args.burst),
  paced: int('paced', args.paced, 0),
  intervalMs: int('interval-ms', args['interval-ms']),
  workers: int('workers', args.workers),
};
const log = (line: string) => process.stderr.write(`${line}\n`);
const quiet = {
  info: () => {},
  warn: () => {},
  error: (...a: unknown[]) => log(`broker error: ${a.map(String).join(' ')}`),
};

interface Sample {
  ack: number;
  reply?: number;
  emitted?: boolean;
}
interface Burst {
  first: number;
  last: number;
  samples: Sample[];
}

/**
 * Strips per home: the warm-up and the burst, then 3 to `paced` + 2 more, so each home reaches its reorder level
 * at its own moment of the paced phase and the under-stock requests spread over it, as they would in life
 * (the homes with least run out near the end, and those readings are refused, as they would be).
 */
const stripsPerHome = (n: number) => 1 + opts.burst + 3 + (n % Math.max(1, opts.paced));

/** Worker threads holding the device connections to `url`. */
async function publishers(url: string, devices: { code: string; password: string }[], replies: boolean) {
  const workers = Array.from(
    { length: opts.workers },
    (_, w) =>
      new Worker(new URL('./iot-publishers.mjs', import.meta.url), {
        workerData: { url, devices: devices.filter((_, i) => i % opts.workers === w) },
      }),
  );
  const ask = (worker: Worker, command: Record<string, unknown>) =>
    new Promise<any>((resolve, reject) => {
      worker.once('message', (m) => (m.ok ? resolve(m) : reject(new Error(m.error))));
      worker.postMessage(command);
    });
  const all = async (command: Record<string, unknown>) => Promise.all(workers.map((w) => ask(w, command)));
  const tids = new Map<number, string>();
  for (const { tid } of await all({ cmd: 'connect', replies })) if (tid) tids.set(tid, 'device clients');
  const merged = async (command: Record<string, unknown>): Promise<Burst> => {
    const parts: Burst[] = await all(command);
    return {
      first: Math.min(...parts.map((p) => p.first)),
      last: Math.max(...parts.map((p) => p.last)),
      samples: parts.flatMap((p) => p.samples),
    };
  };
  return {
    tids,
    burst: (perDevice: number) => merged({ cmd: 'burst', perDevice, inflight: 1, replies }),
    paced: (perDevice: number, intervalMs: number) => merged({ cmd: 'paced', perDevice, intervalMs }),
    close: async () => {
      await all({ cmd: 'close' });
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}

/**
 * A bare aedes broker on a free port. With `answer`, it answers every message on the sender's reply topic
 * (QoS 1, a fixed accepted reply carrying the message's sequence number, the PUBACK coalesced with it as
 * Scorta's broker does) and nothing else: the MQTT part of what end to end does, with no database. Its rate is
 * the ceiling of any ingest that answers each reading, on this machine.
 */
async function rawAedes(answer = false) {
  const aedes = await Aedes.createBroker();
  if (answer)
    aedes.authorizePublish = (client, packet, done) => {
      if (!client) return done(null);
      const { seq } = JSON.parse(packet.payload.toString()) as { seq: number };
      const reply = Buffer.from(JSON.stringify({ seq, status: 'accepted', movements: 2, notes: [], requests: [] }));
      aedes.publish(
        {
          cmd: 'publish',
          topic: `scorta/devices/${client.id}/replies`,
          payload: reply,
          qos: 1,
          retain: false,
          dup: false,
        },
        holdWrites(client),
      );
      done(null);
    };
  const server = createServer(aedes.handle);
  const port = await new Promise<number>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)),
  );
  return { port, close: () => new Promise<void>((resolve) => aedes.close(() => server.close(() => resolve()))) };
}

const rate = (b: Burst) => b.samples.length / ((b.last - b.first) / 1000);
const stats = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    n: sorted.length,
    p50: percentile(sorted, 0.5),
    p95: percentile(sorted, 0.95),
    p99: percentile(sorted, 0.99),
    max: sorted.at(-1)!,
  };
};
const fmt = (s: ReturnType<typeof stats>) =>
  `p50 ${s.p50.toFixed(1)}  p95 ${s.p95.toFixed(1)}  p99 ${s.p99.toFixed(1)}  max ${s.max.toFixed(1)} ms (n=${s.n})`;

async function run(driver: Driver) {
  log(
    `\n== ${driver}: ${opts.devices} devices, burst ${opts.burst}/device, paced ${opts.paced}/device every ${opts.intervalMs} ms`,
  );
  const fresh = await openFreshDatabase({
    driver,
    prefix: 'scorta_bench_iot',
    databaseUrl,
    pgliteDir: args['pglite-dir'],
    keep: args.keep,
    log,
  });
  try {
    let t = performance.now();
    const { devices } = await buildGlucometerSite(fresh.db, {
      devices: opts.devices,
      strips: stripsPerHome,
      lancets: 1000,
      log,
    });
    log(`  site built in ${((performance.now() - t) / 1000).toFixed(1)} s`);

    const raw = await rawAedes();
    const rawPub = await publishers(`mqtt://127.0.0.1:${raw.port}`, devices, false);
    await rawPub.burst(1); // warm-up
    let cpu = startCpuSplit(rawPub.tids);
    const rawBurst = await rawPub.burst(opts.burst);
    const rawCpu = cpu.stop();
    await rawPub.close();
    await raw.close();
    log(
      `  raw aedes: ${rawBurst.samples.length} QoS 1 publishes, ${rate(rawBurst).toFixed(0)} msg/s; PUBACK ${fmt(stats(rawBurst.samples.map((s) => s.ack)))}`,
    );
    log(`    CPU during the raw burst: ${formatCpuSplit(rawCpu)}`);

    const answering = await rawAedes(true);
    const answerPub = await publishers(`mqtt://127.0.0.1:${answering.port}`, devices, true);
    await answerPub.burst(1);
    cpu = startCpuSplit(answerPub.tids);
    const answerBurst = await answerPub.burst(opts.burst);
    const answerCpu = cpu.stop();
    await answerPub.close();
    await answering.close();
    log(
      `  raw aedes answering each message (no database): ${rate(answerBurst).toFixed(0)} msg/s = ${((rate(answerBurst) / rate(rawBurst)) * 100).toFixed(1)} % of raw, the ceiling of end to end; PUBACK ${fmt(stats(answerBurst.samples.map((s) => s.ack)))}`,
    );
    log(`    CPU during the answering burst: ${formatCpuSplit(answerCpu)}`);

    const broker = await startBroker({ db: fresh.db, port: 0, log: quiet });
    const pub = await publishers(`mqtt://127.0.0.1:${broker.port}`, devices, true);
    t = performance.now();
    await pub.burst(1); // warm-up: the first reading of each home computes and stores its policy
    log(
      `  end to end warm-up (1 reading per device, policies computed): ${((performance.now() - t) / 1000).toFixed(1)} s`,
    );
    const load1 = os.loadavg()[0]!;
    const profiler = args.profile ? new Session() : undefined;
    if (profiler) {
      profiler.connect();
      await profiler.post('Profiler.enable');
      await profiler.post('Profiler.start');
    }
    cpu = startCpuSplit(pub.tids);
    const elu = nodePerformance.eventLoopUtilization();
    const e2e = await pub.burst(opts.burst);
    const mainBusy = nodePerformance.eventLoopUtilization(elu).utilization;
    const e2eCpu = cpu.stop();
    if (profiler) {
      const { profile } = await profiler.post('Profiler.stop');
      await writeFile(args.profile!, JSON.stringify(profile));
      profiler.disconnect();
      log(`  CPU profile of the end-to-end burst: ${args.profile}`);
    }
    log(
      `  end to end: ${e2e.samples.length} readings, ${rate(e2e).toFixed(0)} readings/s (${((rate(e2e) / rate(rawBurst)) * 100).toFixed(1)} % of raw); PUBACK ${fmt(stats(e2e.samples.map((s) => s.ack)))}`,
    );
    log(
      `    CPU during the end-to-end burst: ${formatCpuSplit(e2eCpu)}; the main thread's event loop (broker and ingest) busy ${(mainBusy * 100).toFixed(0)} % of the time`,
    );
    const paced = opts.paced ? await pub.paced(opts.paced, opts.intervalMs) : { first: 0, last: 0, samples: [] };
    const load2 = os.loadavg()[0]!;
    const replyLatency = paced.samples.length ? stats(paced.samples.map((s) => s.reply!)) : null;
    const requestLatency = paced.samples.some((s) => s.emitted)
      ? stats(paced.samples.filter((s) => s.emitted).map((s) => s.reply!))
      : null;
    if (replyLatency) log(`  paced: reading → reply ${fmt(replyLatency)}`);
    if (requestLatency) log(`  paced: reading → under-stock request ${fmt(requestLatency)}`);
    await pub.close();
    await broker.close();

    const sent = devices.length * (1 + opts.burst + opts.paced); // warm-up, burst, paced (the raw phase never reached Scorta)
    // Each accepted reading consumes one strip and one lancet (one lot each): exactly twice as many movements, or
    // something was applied twice.
    const result = (await fresh.db.execute(sql`
      select (select count(*)::int from device_messages) as messages,
             (select count(*)::int from device_messages where outcome = 'accepted') as accepted,
             (select count(*)::int from movements where channel = 'mqtt' and kind = 'consumption') as movements,
             (select count(*)::int from ward_requests where auto_key is not null and status = 'submitted') as open_requests,
             (select count(*)::int from (select auto_key from ward_requests where auto_key is not null and status = 'submitted' group by auto_key having count(*) > 1) d) as duplicate_requests`)) as unknown as
      | { rows?: Record<string, number>[] }
      | Record<string, number>[];
    const counts = (Array.isArray(result) ? result : result.rows!)[0]!;
    log(
      `  check: ${counts.messages} readings stored for ${sent} sent ` +
        `(${counts.accepted} accepted, the rest refused: home out of strips); ` +
        `${counts.movements} consumption movements ` +
        `(${counts.movements === 2 * counts.accepted! ? 'exactly two per accepted reading' : 'NOT two per accepted reading'}); ` +
        `${counts.open_requests} open under-stock requests, ${counts.duplicate_requests} duplicated`,
    );
    return {
      driver,
      where: fresh.where,
      raw: {
        messages: rawBurst.samples.length,
        perSecond: rate(rawBurst),
        puback: stats(rawBurst.samples.map((s) => s.ack)),
      },
      rawAnswering: { perSecond: rate(answerBurst), ofRaw: rate(answerBurst) / rate(rawBurst) },
      endToEnd: {
        readings: e2e.samples.length,
        perSecond: rate(e2e),
        ofRaw: rate(e2e) / rate(rawBurst),
        puback: stats(e2e.samples.map((s) => s.ack)),
      },
      cpu: { raw: rawCpu, rawAnswering: answerCpu, endToEnd: e2eCpu, mainEventLoopBusy: mainBusy },
      replyLatency,
      requestLatency,
      loadAverage: [load1, load2],
      counts,
    };
  } finally {
    await fresh.close();
  }
}

log(`Scorta device benchmark on ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`);
const results = [];
for (const driver of drivers) results.push(await run(driver));
console.log(
  JSON.stringify(
    results.map((r) => ({
      driver: r.driver,
      raw: Math.round(r.raw.perSecond),
      ceiling: `${(r.rawAnswering.ofRaw * 100).toFixed(1)} %`,
      e2e: Math.round(r.endToEnd.perSecond),
      ofRaw: `${(r.endToEnd.ofRaw * 100).toFixed(1)} %`,
      replyP50: r.replyLatency?.p50,
      replyP99: r.replyLatency?.p99,
      requestP50: r.requestLatency?.p50,
      requestP99: r.requestLatency?.p99,
      requests: r.requestLatency?.n,
    })),
    null,
    1,
  ),
);
if (args.json)
  await writeFile(
    args.json,
    JSON.stringify(
      {
        options: opts,
        machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version },
        results,
      },
      null,
      2,
    ),
  );
process.exit(0);
