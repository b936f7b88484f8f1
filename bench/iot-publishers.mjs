/**
 * A worker thread of the device benchmark (bench/iot.ts): holds the MQTT connections of a share of the
 * simulated devices and publishes their readings at QoS 1 when told, timing each publish to its PUBACK
 * and, against Scorta, to its reply. Commands and results travel over `parentPort`.
 */
import { readFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import mqtt from 'mqtt';

/** @type {{ url: string, devices: { code: string, password: string }[] }} */
const { url, devices } = workerData;
const clock = () => performance.timeOrigin + performance.now();
const clients = new Map();
const seqs = new Map(devices.map((d) => [d.code, 0]));
/** Reply waiters by `code|seq`. */
const waiting = new Map();

async function connectAll(replies) {
  await Promise.all(
    devices.map(async (d) => {
      const client = await mqtt.connectAsync(url, {
        clientId: d.code,
        username: d.code,
        password: d.password,
        reconnectPeriod: 0,
        connectTimeout: 30_000,
        keepalive: 120,
      });
      if (replies) {
        await client.subscribeAsync(`scorta/devices/${d.code}/replies`, { qos: 1 });
        client.on('message', (_topic, payload) => {
          const reply = JSON.parse(payload.toString());
          waiting.get(`${d.code}|${reply.seq}`)?.(reply);
        });
      }
      clients.set(d.code, client);
    }),
  );
}

/** One reading of `code`, resolved with its timings once acknowledged (and answered, if `replies`). */
function publish(code, replies) {
  const client = clients.get(code);
  const seq = seqs.get(code) + 1;
  seqs.set(code, seq);
  const body = JSON.stringify({
    seq,
    ts: new Date().toISOString(),
    type: 'glucose',
    value: 90 + (seq % 90),
    unit: 'mg/dL',
  });
  const start = clock();
  const answered = replies
    ? new Promise((resolve) =>
        waiting.set(`${code}|${seq}`, (reply) => {
          waiting.delete(`${code}|${seq}`);
          resolve({ at: clock(), emitted: (reply.requests ?? []).some((r) => r.action === 'emitted') });
        }),
      )
    : null;
  const acked = client.publishAsync(`scorta/devices/${code}/readings`, body, { qos: 1 }).then(() => clock());
  return Promise.all([acked, answered]).then(([ackAt, reply]) => ({
    ack: ackAt - start,
    ...(reply ? { reply: reply.at - start, emitted: reply.emitted } : {}),
  }));
}

/** Every device sends `perDevice` readings back to back (`inflight` outstanding at most per device). */
async function burst(perDevice, inflight, replies) {
  const samples = [];
  const first = clock();
  await Promise.all(
    devices.map(async (d) => {
      let sent = 0;
      const lane = async () => {
        while (sent < perDevice) {
          sent++;
          samples.push(await publish(d.code, replies));
        }
      };
      await Promise.all(Array.from({ length: inflight }, lane));
    }),
  );
  return { first, last: clock(), samples };
}

/** Every device sends `perDevice` readings, one every `intervalMs`, starting at a random offset. */
async function paced(perDevice, intervalMs) {
  const samples = [];
  const first = clock();
  await Promise.all(
    devices.map(async (d) => {
      await new Promise((r) => setTimeout(r, Math.random() * intervalMs));
      const pending = [];
      for (let i = 0; i < perDevice; i++) {
        pending.push(publish(d.code, true).then((s) => void samples.push(s)));
        await new Promise((r) => setTimeout(r, intervalMs));
      }
      await Promise.all(pending);
    }),
  );
  return { first, last: clock(), samples };
}

parentPort.on('message', async (command) => {
  try {
    if (command.cmd === 'connect') {
      await connectAll(Boolean(command.replies));
      // This thread's Linux thread id, so the benchmark can tell the clients' CPU from the broker's
      // (bench/cpu-split.ts).
      let tid = null;
      try {
        tid = Number(readFileSync('/proc/thread-self/stat', 'utf8').split(' ')[0]);
      } catch {}
      return parentPort.postMessage({ ok: true, tid });
    }
    if (command.cmd === 'burst')
      return parentPort.postMessage({
        ok: true,
        ...(await burst(Number(command.perDevice), Number(command.inflight), Boolean(command.replies))),
      });
    if (command.cmd === 'paced')
      return parentPort.postMessage({
        ok: true,
        ...(await paced(Number(command.perDevice), Number(command.intervalMs))),
      });
    if (command.cmd === 'close') {
      await Promise.all([...clients.values()].map((c) => c.endAsync()));
      clients.clear();
    }
    parentPort.postMessage({ ok: true });
  } catch (error) {
    parentPort.postMessage({ ok: false, error: String(error) });
  }
});
