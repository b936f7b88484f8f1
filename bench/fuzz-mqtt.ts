/**
 * MQTT fuzz: starts an embedded broker on a free port over a fresh database with the demo, and publishes
 * malformed payloads from the demo devices (bad JSON, wrong types, NUL, lone surrogates, huge numbers, unknown
 * items and tags, message kinds the device's kind may not send, huge arrays). Checks that every message is
 * acknowledged (QoS 1 PUBACK) or answered on the reply topic, that the broker stays up, and that nothing is
 * left to be redelivered. Prints the seed and the counts; exits 1 when a check fails.
 *   npm run fuzz:mqtt -- --seed 7 --messages 300 [--driver postgres]
 */
import { parseArgs } from 'node:util';
import mqtt, { type MqttClient } from 'mqtt';
import { deviceTopic, messageKinds, replyTopic } from '../iot/topics.ts';
import { startBroker } from '../iot/broker.ts';
import { prepareDemo } from '../demo/prepare-demo.ts';
import { seededRandom } from '../demo/random.ts';
import { openFreshDatabase, type Driver } from './fresh-database.ts';

const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: String(Date.now() % 100_000) },
    messages: { type: 'string', default: '300' },
    driver: { type: 'string', default: process.env.DATABASE_URL ? 'postgres' : 'pglite' },
  },
});
const seed = Number(values.seed);
const total = Number(values.messages);
console.log(`fuzz:mqtt seed=${seed} messages=${total} driver=${values.driver}`);
const random = seededRandom(seed);
const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
const quiet = { info: () => {}, warn: () => {}, error: () => {} };

const ts = () => new Date().toISOString();
/** One malformed (or out-of-kind) payload; `seq` is unique per device so replies can be matched. */
const payloads: ((seq: number) => string)[] = [
  () => '{"seq": 1, "ts": ',
  () => 'null',
  () => '\u0000\u0000',
  (seq) => JSON.stringify({ seq: String(seq), ts: ts(), type: 'glucose' }),
  (seq) => JSON.stringify({ seq, ts: 'yesterday', type: 'glucose' }),
  (seq) => JSON.stringify({ seq, ts: ts(), type: 'glucose', value: 1e308 * 10 }).replace('null', '1e400'),
  (seq) => JSON.stringify({ seq, ts: ts(), type: 'glucose', unit: 'mg\u0000dL' }),
  (seq) => `{"seq":${seq},"ts":"${ts()}","type":"glucose","unit":"\\ud800"}`,
  (seq) => JSON.stringify({ seq, ts: ts(), tags: ['ABC\u0000DEF'] }),
  (seq) => `{"seq":${seq},"ts":"${ts()}","tags":["\\udc00x"]}`,
  (seq) => JSON.stringify({ seq, ts: ts(), tags: Array.from({ length: 6000 }, (_, i) => `T${i}`) }),
  (seq) => JSON.stringify({ seq, ts: ts(), bins: [{ bin: 'A', item: 'NO-SUCH-ITEM', count: 1 }] }),
  (seq) => JSON.stringify({ seq, ts: ts(), bins: [{ bin: 'A\u0000', item: 'X', count: 99999999999 }] }),
  (seq) =>
    JSON.stringify({ seq, ts: ts(), bins: Array.from({ length: 600 }, () => ({ bin: 'A', item: 'X', count: 1 })) }),
  (seq) => JSON.stringify({ seq: Number.MAX_SAFE_INTEGER - seq, ts: ts(), type: 'glucose', value: 90 }),
  (seq) => JSON.stringify({ seq, ts: ts(), type: pick(['glucose', 'insulin_dose', 'measurement']), value: 100 }),
  (seq) => JSON.stringify({ seq, ts: ts(), tags: ['(01)09999999999999(10)L1(21)S1'] }),
  (seq) => JSON.stringify({ state: 'sideways', seq }),
];

const fresh = await openFreshDatabase({
  driver: values.driver as Driver,
  prefix: 'fuzz_mqtt',
  databaseUrl: process.env.DATABASE_URL,
});
const demo = await prepareDemo(fresh.db);
const devices = demo.devices ?? [];
const broker = await startBroker({ db: fresh.db, port: 0, log: quiet });
const url = `mqtt://127.0.0.1:${broker.port}`;
const counts = { sent: 0, acked: 0, replied: 0, answered: 0, unanswered: 0, disconnects: 0, reconnects: 0 };
const clients = new Map<string, MqttClient>();
const replies = new Map<string, Set<number | null>>();
const connect = async (code: string, password: string) => {
  const client = await mqtt.connectAsync(url, {
    clientId: code,
    username: code,
    password,
    reconnectPeriod: 0,
    connectTimeout: 5000,
    clean: false,
  });
  client.on('close', () => (counts.disconnects += 1));
  client.on('message', (_topic, body) => {
    try {
      replies.get(code)!.add((JSON.parse(body.toString()) as { seq: number | null }).seq);
    } catch {
      /* not ours */
    }
  });
  await client.subscribeAsync(replyTopic(code), { qos: 1 });
  clients.set(code, client);
  return client;
};
for (const d of devices) {
  replies.set(d.code, new Set());
  await connect(d.code, d.password);
}
const seqs = new Map<string, number>();
for (let n = 0; n < total; n++) {
  const d = pick(devices);
  let client = clients.get(d.code)!;
  if (!client.connected) {
    counts.reconnects += 1;
    client = await connect(d.code, d.password);
  }
  const seq = (seqs.get(d.code) ?? 1_000_000) + 1;
  seqs.set(d.code, seq);
  const body = pick(payloads)(seq);
  const kind = pick(messageKinds);
  counts.sent += 1;
  const acked = await Promise.race([
    client.publishAsync(deviceTopic(d.code, kind), body, { qos: 1 }).then(
      () => true,
      () => false,
    ),
    new Promise<boolean>((r) => setTimeout(() => r(false), 10_000)),
  ]);
  if (acked) counts.acked += 1;
  await new Promise((r) => setTimeout(r, 20));
  const heard = replies.get(d.code)!.has(seq) || replies.get(d.code)!.has(null);
  if (heard) counts.replied += 1;
  if (acked || heard) counts.answered += 1;
  else counts.unanswered += 1;
}
// Reconnect every device with its session: anything still unacknowledged would come back now.
let pending = 0;
for (const d of devices) {
  const client = clients.get(d.code)!;
  pending += (client as unknown as { outgoing: Record<string, unknown> }).outgoing
    ? Object.keys((client as unknown as { outgoing: Record<string, unknown> }).outgoing).length
    : 0;
  await client.endAsync(true).catch(() => undefined);
}
const probe = devices[0]
  ? await connect(devices[0].code, devices[0].password).then(
      (c) => c.connected,
      () => false,
    )
  : true;
console.log(JSON.stringify({ seed, devices: devices.length, ...counts, pendingAtEnd: pending, brokerUp: probe }));
for (const c of clients.values()) await c.endAsync(true).catch(() => undefined);
await broker.close();
await fresh.close();
process.exit(counts.unanswered === 0 && pending === 0 && probe ? 0 : 1);
