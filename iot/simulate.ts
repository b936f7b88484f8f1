import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import type { DeviceReply } from '../api/devices/device-reply.ts';
import { deviceTopic, replyTopic } from './topics.ts';

/**
 * The device simulator (`npm run simulate`): each demo device — the ICU smart cabinet, the patients'
 * glucometers, the oxygen concentrator — logs in to Scorta's broker with its own credentials and MQTT
 * client and sends realistic traffic in compressed time, printing every reply. Under-stock requests appear
 * within a minute.
 *
 * How a cabinet knows what it holds: it starts from the counts in the credentials file (the book stock
 * when the demo was loaded), then from its own state file; each report takes a little out of some bins.
 * When Scorta replies that a bin holds more than the books (`"…: 60 seen, 52 on the books"`), the cabinet
 * adopts the books. Goods delivered to the cabinet while it runs are not seen (a real cabinet would count
 * them); so no API token is needed.
 *
 * Sequence numbers grow per device and are kept, with the cabinet's counts, in a state file next to the
 * credentials, so a restarted simulator continues and never repeats a (device, seq) Scorta has stored. The
 * seq is saved before the message leaves.
 */

/** A device as the credentials file lists it (`demo/devices.ts` writes it). */
export interface SimulatedDevice {
  code: string;
  kind: string;
  password: string;
  id?: string;
  name?: string;
  /** A cabinet's or shelf's bins and what they held when registered; weighed bins carry their unit weight. */
  bins?: { bin: string; item: string; count: number; unitWeightGrams?: number }[];
  /** Item id → code, to print replies readably. */
  items?: Record<string, string>;
}

export interface SimulationOptions {
  /** e.g. `mqtt://127.0.0.1:1883` */
  brokerUrl: string;
  devices: SimulatedDevice[];
  /** Stop after this long; without it, run until `signal` aborts. */
  durationMs?: number;
  signal?: AbortSignal;
  /** Event rate multiplier (default 1: a glucose reading and a cabinet report every ~3 s). */
  speed?: number;
  /** Where sequence numbers and cabinet counts persist; none: in memory only. */
  statePath?: string;
  log?: (line: string) => void;
  random?: () => number;
  /** How long a device keeps trying to reach the broker at start (default 10 s). */
  connectTimeoutMs?: number;
}

export interface SimulationSummary {
  connected: string[];
  published: number;
  accepted: number;
  rejected: number;
  duplicates: number;
  /** Under-stock requests the replies reported as emitted or updated. */
  requests: {
    device: string;
    seq: number;
    action: 'emitted' | 'updated';
    number?: string;
    urgency?: string;
    quantity?: number;
    item?: string;
  }[];
  /** The last sequence number each device used. */
  lastSeq: Record<string, number>;
}

/** Milliseconds between events at speed 1 (each jittered ±25 %). */
export const baseIntervalsMs = {
  levels: 3_000,
  glucose: 3_000,
  oxygen_level: 6_000,
  insulin_dose: 4_000,
  measurement: 8_000,
  heartbeat: 20_000,
};
const kindIntervalMs: Record<string, number> = {
  glucometer: baseIntervalsMs.glucose,
  oxygen_concentrator: baseIntervalsMs.oxygen_level,
  insulin_pump: baseIntervalsMs.insulin_dose,
};
/** A device whose reading was refused for want of stock (no strips left) tries again this many intervals later. */
const outOfStockBackoff = 10;

interface DeviceState {
  id?: string;
  seq: number;
  bins?: Record<string, number>;
}

/** Sequence numbers and cabinet counts per device code, saved whole (write, then rename) on every change. */
class StateStore {
  private readonly devices: Record<string, DeviceState>;

  constructor(private readonly path: string | undefined) {
    let saved: { devices?: Record<string, DeviceState> } = {};
    if (path && existsSync(path)) saved = JSON.parse(readFileSync(path, 'utf8'));
    this.devices = saved.devices ?? {};
  }

  /** The state of a device; a different device id under the same code (a reloaded demo) starts afresh. */
  of(device: SimulatedDevice): DeviceState {
    const known = this.devices[device.code];
    if (!known || (device.id && known.id && known.id !== device.id))
      this.devices[device.code] = { ...(device.id ? { id: device.id } : {}), seq: 0 };
    return this.devices[device.code]!;
  }

  save() {
    if (!this.path) return;
    mkdirSync(dirname(this.path), { recursive: true });
    const temporary = `${this.path}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify({ devices: this.devices }, null, 2)}\n`);
    renameSync(temporary, this.path);
  }
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });

/**
 * Connects one device with its own client and a fresh options object (mqtt.js writes into it), the last
 * will on its status topic. Keeps trying while the broker is unreachable, up to `timeoutMs`; a refused
 * login (wrong secret, revoked device, a database reset since the credentials were written) fails at once.
 */
function connectDevice(brokerUrl: string, device: SimulatedDevice, timeoutMs: number): Promise<MqttClient> {
  const options: IClientOptions = {
    clientId: device.code,
    username: device.code,
    password: device.password,
    clean: true,
    reconnectPeriod: 2_000,
    connectTimeout: 5_000,
    will: {
      topic: deviceTopic(device.code, 'status'),
      payload: JSON.stringify({ state: 'offline' }),
      qos: 1,
      retain: false,
    },
  };
  const client = mqtt.connect(brokerUrl, options);
  return new Promise((resolve, reject) => {
    const settle = (error?: Error) => {
      clearTimeout(timer);
      client.off('connect', onConnect);
      client.off('error', onError);
      if (!error) return resolve(client);
      client.end(true);
      reject(error);
    };
    const onConnect = () => settle();
    const onError = (error: Error & { code?: unknown }) => {
      if (typeof error.code === 'number')
        settle(
          new Error(
            `${device.code}: the broker refused the login (${error.message}); ` +
              `were the credentials written by another database?`,
          ),
        );
    };
    const timer = setTimeout(
      () => settle(new Error(`${device.code}: cannot reach ${brokerUrl} (is Scorta running, on the same MQTT_PORT?)`)),
      timeoutMs,
    );
    client.on('connect', onConnect);
    client.on('error', onError);
  });
}

/**
 * One line per reply: "TI-ARM1-01 #12 accepted: 1 movement, request RIC-2026-000031 urgent: 200 × DM-SIR-010 (on hand 8
 * ≤ R 20)".
 */
export function describeReply(device: SimulatedDevice, reply: DeviceReply): string {
  const head = `${device.code} #${reply.seq ?? '?'} ${reply.status}`;
  if (reply.status === 'rejected') {
    const detail = (reply.error?.fields ?? []).filter((f) => f.message !== reply.error?.message);
    const fields = detail.length ? ` (${detail.map((f) => `${f.field}: ${f.message}`).join('; ')})` : '';
    return `${head}${reply.duplicate ? ' (seen before)' : ''}: ${reply.error?.key} — ${reply.error?.message}${fields}`;
  }
  const parts = [`${reply.movements ?? 0} movement${reply.movements === 1 ? '' : 's'}`];
  for (const r of reply.requests ?? []) {
    if (r.action !== 'emitted' && r.action !== 'updated') continue;
    const reason = (r.reason ?? {}) as { onHand?: number; onOrder?: number; R?: number };
    const item = device.items?.[r.itemId] ?? r.itemId.slice(0, 8);
    const position = reason.onOrder
      ? `on hand ${reason.onHand} + on order ${reason.onOrder}`
      : `on hand ${reason.onHand}`;
    parts.push(
      `request ${r.number}${r.action === 'updated' ? ' updated' : ''} ` +
        `${r.urgency}: ${r.quantity} × ${item} (${position} ≤ R ${reason.R})`,
    );
  }
  const notes = reply.notes?.length ? ` (${reply.notes.join('; ')})` : '';
  return `${head}${reply.duplicate ? ' (seen before)' : ''}: ${parts.join(', ')}${notes}`;
}

/**
 * Runs the simulation: connects every device, subscribes it to its replies, publishes `online`, then sends
 * levels, readings and heartbeats until `durationMs` has passed or `signal` aborts; then waits briefly for
 * outstanding replies, publishes `offline` and ends every client. Resolves with what happened.
 */
export async function runSimulation(options: SimulationOptions): Promise<SimulationSummary> {
  const { speed = 1, log = console.log, random = Math.random } = options;
  if (!(speed > 0)) throw new RangeError(`speed must be positive, got ${speed}`);
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted) stop.abort();
  const run: Run = {
    speed,
    log,
    random,
    stop: stop.signal,
    store: new StateStore(options.statePath),
    summary: { connected: [], published: 0, accepted: 0, rejected: 0, duplicates: 0, requests: [], lastSeq: {} },
    pending: new Set<string>(),
    clients: new Map<string, MqttClient>(),
    interval: (base: number) => (base / speed) * (0.75 + random() * 0.5),
  };
  const running = await connectAll(options, log);
  const timer = options.durationMs !== undefined ? setTimeout(() => stop.abort(), options.durationMs) : undefined;
  const loops = running.map(({ device, client }) => playDevice(run, device, client));
  await new Promise<void>((resolve) =>
    stop.signal.aborted ? resolve() : stop.signal.addEventListener('abort', () => resolve(), { once: true }),
  );
  clearTimeout(timer);
  options.signal?.removeEventListener('abort', onAbort);
  await shutDown(run, loops);
  return run.summary;
}

/** What every device of one simulation shares. */
interface Run {
  speed: number;
  log: (line: string) => void;
  random: () => number;
  stop: AbortSignal;
  store: StateStore;
  summary: SimulationSummary;
  /** `code#seq` of the messages whose reply has not come yet. */
  pending: Set<string>;
  clients: Map<string, MqttClient>;
  /** An interval of `base` ms at this speed, jittered ±25 %. */
  interval: (base: number) => number;
}

/** One device as it plays: its sequence numbers and bins, and when it may send again. */
interface Player {
  device: SimulatedDevice;
  client: MqttClient;
  state: DeviceState;
  bins: { bin: string; item: string; count: number; unitWeightGrams?: number; start: number }[];
  /** Milliseconds between its reports at speed 1. */
  every: number;
  pausedUntil: number;
  battery: number;
}

/** Connects every device; those that cannot connect are logged. Throws when none can. */
async function connectAll(options: SimulationOptions, log: (line: string) => void) {
  const results = await Promise.allSettled(
    options.devices.map(async (device) => ({
      device,
      client: await connectDevice(options.brokerUrl, device, options.connectTimeoutMs ?? 10_000),
    })),
  );
  for (const result of results) if (result.status === 'rejected') log(`! ${(result.reason as Error).message}`);
  const running = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  if (running.length === 0) throw new Error('No device could connect.');
  return running;
}

/** One device from login to the end of the run: it listens to its replies, goes online, reports and beats. */
async function playDevice(run: Run, device: SimulatedDevice, client: MqttClient) {
  run.clients.set(device.code, client);
  run.summary.connected.push(device.code);
  const state = run.store.of(device);
  const bins = (device.bins ?? []).map((b) => ({ ...b, start: b.count, count: state.bins?.[b.bin] ?? b.count }));
  const every = bins.length ? baseIntervalsMs.levels : (kindIntervalMs[device.kind] ?? baseIntervalsMs.measurement);
  const battery = 60 + Math.round(run.random() * 40);
  const player: Player = { device, client, state, bins, every, pausedUntil: 0, battery };
  client.on('message', (topic, payload) => topic === replyTopic(device.code) && hearReply(run, player, payload));
  client.on('offline', () => !run.stop.aborted && run.log(`! ${device.code}: connection lost, reconnecting…`));

  await client.subscribeAsync(replyTopic(device.code), { qos: 1 });
  await client.publishAsync(
    deviceTopic(device.code, 'status'),
    JSON.stringify({ state: 'online', ts: new Date().toISOString() }),
    { qos: 1 },
  );
  run.log(`${device.code} online (${device.kind}${device.name ? `, ${device.name}` : ''}), next seq ${state.seq + 1}`);
  await Promise.all([sendReports(run, player), sendHeartbeats(run, player)]);
}

/** Levels or readings, one every interval (none while paused for want of stock). */
async function sendReports(run: Run, player: Player) {
  await sleep(run.interval(player.every) * run.random(), run.stop); // devices do not all speak at once
  while (!run.stop.aborted) {
    if (Date.now() >= player.pausedUntil) {
      const message = nextReport(player, run.random, () => nextSeq(run, player));
      if (message) await publish(run, player, message.kind, message.body);
    }
    await sleep(run.interval(player.every), run.stop);
  }
}

/** A heartbeat every interval, the battery running down slowly; no reply expected. */
async function sendHeartbeats(run: Run, player: Player) {
  while (!run.stop.aborted) {
    await sleep(run.interval(baseIntervalsMs.heartbeat), run.stop);
    if (run.stop.aborted) break;
    player.battery = Math.max(5, player.battery - (run.random() < 0.3 ? 1 : 0));
    const beat = { seq: nextSeq(run, player), ts: new Date().toISOString(), battery: player.battery };
    await publish(run, player, 'heartbeat', beat, false);
  }
}

/** The next sequence number, saved before it is used. */
function nextSeq(run: Run, { device, state, bins }: Player) {
  state.seq += 1;
  if (bins.length) state.bins = Object.fromEntries(bins.map((b) => [b.bin, b.count]));
  run.store.save();
  run.summary.lastSeq[device.code] = state.seq;
  return state.seq;
}

/** Publishes at QoS 1; a message that expects a reply is pending until it comes. */
async function publish(
  run: Run,
  { device, client }: Player,
  kind: 'levels' | 'readings' | 'heartbeat',
  body: Record<string, unknown>,
  expectReply = true,
) {
  const key = `${device.code}#${body.seq}`;
  if (expectReply) run.pending.add(key);
  run.summary.published += 1;
  try {
    await client.publishAsync(deviceTopic(device.code, kind), JSON.stringify(body), { qos: 1 });
  } catch (error) {
    run.pending.delete(key);
    run.log(`! ${device.code} #${body.seq} not sent: ${(error as Error).message}`);
  }
}

/** A reply on the device's reply topic: logged, counted, acted on (skip used numbers, adopt the books, back off). */
function hearReply(run: Run, player: Player, payload: Buffer) {
  const { device, state } = player;
  let reply: DeviceReply;
  try {
    reply = JSON.parse(payload.toString()) as DeviceReply;
  } catch {
    return run.log(`! ${device.code}: a reply that is not JSON`);
  }
  const mine = run.pending.delete(`${device.code}#${reply.seq}`);
  run.log(describeReply(device, reply));
  if (reply.duplicate) {
    run.summary.duplicates += 1;
    // Scorta already holds this (device, seq): the state file was lost or belongs to another run. Skip ahead.
    if (mine && reply.seq !== null && reply.seq + 1000 > state.seq) {
      state.seq = reply.seq + 1000;
      run.store.save();
      run.log(`  ${device.code}: sequence number ${reply.seq} was used before; continuing from ${state.seq + 1}`);
    }
    return;
  }
  if (reply.status === 'accepted') return hearAccepted(run, player, reply);
  run.summary.rejected += 1;
  if (reply.error?.key === 'insufficient_stock') {
    const backoffMs = (outOfStockBackoff * player.every) / run.speed;
    player.pausedUntil = Date.now() + backoffMs;
    const again = `trying again in ${Math.round(backoffMs / 1000)} s`;
    run.log(
      `  ${device.code}: out of stock at its location; ${again} (fulfil the under-stock request to deliver more)`,
    );
  }
}

/** An accepted reply: the requests it reports are counted; a bin seen above the books adopts the books. */
function hearAccepted(run: Run, player: Player, reply: DeviceReply) {
  const { device, bins } = player;
  run.summary.accepted += 1;
  player.pausedUntil = 0;
  for (const r of reply.requests ?? []) {
    if (r.action === 'emitted' || r.action === 'updated') {
      run.summary.requests.push({
        device: device.code,
        seq: reply.seq!,
        action: r.action,
        number: r.number,
        urgency: r.urgency,
        quantity: r.quantity,
        item: device.items?.[r.itemId],
      });
    }
  }
  for (const note of reply.notes ?? []) {
    const above = /^(.+): (\d+) seen, (\d+) on the books$/.exec(note);
    const bin = above && bins.find((b) => b.item === above[1]);
    if (bin) bin.count = Math.min(bin.count, Number(above[3]));
  }
}

/** What a device sends each time: a cabinet its levels, a glucometer a measurement… (null: nothing). */
function nextReport(
  { device, bins }: Player,
  random: () => number,
  seq: () => number,
): { kind: 'levels' | 'readings'; body: Record<string, unknown> } | null {
  const ts = new Date().toISOString();
  if (bins.length) {
    for (const b of bins) {
      if (b.count > 0 && random() < 0.8)
        b.count = Math.max(0, b.count - Math.max(1, Math.round(b.start * (0.02 + random() * 0.04))));
    }
    const reported = bins.map((b) =>
      b.unitWeightGrams
        ? {
            bin: b.bin,
            item: b.item,
            weightGrams: Math.max(0, Math.round((b.count + (random() - 0.5) * 0.4) * b.unitWeightGrams * 10) / 10),
          }
        : { bin: b.bin, item: b.item, count: b.count },
    );
    return { kind: 'levels', body: { seq: seq(), ts, bins: reported } };
  }
  const reading = (body: Record<string, unknown>) => ({ kind: 'readings' as const, body: { seq: seq(), ts, ...body } });
  switch (device.kind) {
    case 'glucometer':
      return reading({ type: 'glucose', value: Math.round(70 + random() * 180), unit: 'mg/dL' });
    case 'oxygen_concentrator':
      return reading({ type: 'oxygen_level', value: Math.round(88 + random() * 9), unit: '%' });
    case 'insulin_pump':
      return random() < 0.1
        ? reading({ type: 'cartridge_change' })
        : reading({ type: 'insulin_dose', value: Math.round(2 + random() * 10), unit: 'U' });
    default:
      return device.kind.includes('cabinet') || device.kind.includes('shelf')
        ? null
        : reading({ type: 'measurement', value: Math.round(random() * 100) });
  }
}

/** The end of a run: the loops stop, replies still on their way are awaited, every device goes offline. */
async function shutDown(run: Run, loops: Promise<unknown>[]) {
  const within = (ms: number, work: Promise<unknown>) => Promise.race([work, new Promise((r) => setTimeout(r, ms))]);
  await within(3_000, Promise.allSettled(loops)); // a publish to a broker that went away would wait forever
  // Replies still on their way (the reading is committed before its acknowledgement; the reply follows).
  for (let waited = 0; run.pending.size > 0 && waited < 3_000; waited += 50)
    await new Promise((r) => setTimeout(r, 50));
  await Promise.allSettled(
    [...run.clients.entries()].map(async ([code, client]) => {
      if (client.connected)
        await within(
          2_000,
          client.publishAsync(
            deviceTopic(code, 'status'),
            JSON.stringify({ state: 'offline', ts: new Date().toISOString() }),
            { qos: 1 },
          ),
        );
      await within(2_000, client.endAsync());
      if (!client.disconnected) client.end(true);
    }),
  );
  run.store.save();
}
