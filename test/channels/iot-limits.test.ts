import { connect as tcpConnect, type Socket } from 'node:net';
import mqtt from 'mqtt';
import mqttPacket from 'mqtt-packet';
import WebSocket, { createWebSocketStream } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, eq } from 'drizzle-orm';
import { deviceTopic, replyTopic } from '../../iot/topics.ts';
import { deviceMessages } from '../../db/schema/index.ts';
import { startBroker, type DeviceBroker } from '../../iot/broker.ts';
import { glucometerAtHome } from '../helpers/device-stock.ts';
import { connectDevice } from '../helpers/mqtt.ts';
import { openTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { buildHospital, type Hospital } from '../helpers/fixture.ts';

const quiet = { info: () => {}, warn: () => {}, error: () => {} };
const MB = 1024 * 1024;

/** The fixed header of a QoS 1 PUBLISH announcing `length` bytes to follow (remaining length, 1–4 bytes). */
function publishHeader(length: number): Buffer {
  const bytes = [0x32];
  do {
    let byte = length % 128;
    length = Math.floor(length / 128);
    if (length > 0) byte |= 0x80;
    bytes.push(byte);
  } while (length > 0);
  return Buffer.from(bytes);
}

/** A duplex to the broker, TCP or WebSocket, as a hostile client would open it. */
type Transport = 'tcp' | 'ws';
async function openRaw(
  broker: DeviceBroker,
  transport: Transport,
): Promise<Socket | ReturnType<typeof createWebSocketStream>> {
  if (transport === 'tcp') {
    const socket = tcpConnect(broker.port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => socket.once('connect', () => resolve()).once('error', reject));
    return socket.resume(); // flowing, so that the broker's close is seen
  }
  const ws = new WebSocket(`ws://127.0.0.1:${broker.wsPort}/mqtt`, 'mqtt');
  await new Promise<void>((resolve, reject) => ws.once('open', () => resolve()).once('error', reject));
  const duplex = createWebSocketStream(ws).resume();
  ws.once('close', () => duplex.destroy()); // the broker closing the WebSocket closes both directions
  return duplex;
}

/**
 * Offers `header` then up to `total` bytes in 64 KiB chunks of one reused buffer (so the test allocates none
 * of it), honouring back-pressure, until the broker closes the connection. Returns the bytes it could write.
 */
function stream(
  socket: Awaited<ReturnType<typeof openRaw>>,
  header: Buffer,
  total: number,
): Promise<{ written: number; closed: boolean }> {
  const chunk = Buffer.alloc(64 * 1024, 0x61);
  let written = 0;
  let closed = false;
  return new Promise((resolve) => {
    const finish = () => {
      closed = true;
      resolve({ written, closed });
    };
    socket.once('close', finish);
    socket.on('error', () => {});
    const pump = () => {
      while (!closed && written < total) {
        written += chunk.length;
        if (!socket.write(chunk)) return void socket.once('drain', pump);
      }
      if (!closed) setTimeout(() => resolve({ written, closed }), 2000); // all sent and still open: a failure
    };
    socket.write(header);
    pump();
  });
}

/** Logs in over a raw socket (CONNECT, then the CONNACK's return code). */
async function rawLogin(socket: Socket, code: string, password: string): Promise<number> {
  const connack = new Promise<number>((resolve) => socket.once('data', (data: Buffer) => resolve(data[3]!)));
  socket.write(
    mqttPacket.generate({
      cmd: 'connect',
      protocolId: 'MQTT',
      protocolVersion: 4,
      clean: true,
      clientId: code,
      username: code,
      password: Buffer.from(password),
      keepalive: 60,
    }),
  );
  return connack;
}

const closedWithin = (socket: { once(event: 'close', listener: () => void): unknown }, ms: number) =>
  new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });

describe('the embedded broker is bounded before and after login (real sockets, TCP and WebSocket)', () => {
  let t: TestDatabase;
  let h: Hospital;
  let broker: DeviceBroker;
  let glucometer: { id: string; code: string; password: string };

  beforeAll(async () => {
    t = await openTestDatabase('pglite');
    h = await buildHospital(t.db);
    glucometer = await glucometerAtHome(
      h,
      { code: 'GLU-LIM-01', name: 'Glucometro limiti' },
      { received: 500, atHome: 100 },
    );
    broker = await startBroker({
      db: t.db,
      port: 0,
      wsPort: 0,
      log: quiet,
      limits: { maxPacketBytes: 64 * 1024, connectTimeoutSeconds: 1, maxConnections: 8, maxInflight: 2 },
    });
  });
  afterAll(async () => {
    await broker?.close();
    await t?.close();
  });

  it.each<Transport>(['tcp', 'ws'])(
    'closes four sockets that announce a 200 MB PUBLISH before login, and memory stays bounded (%s)',
    async (transport) => {
      const before = process.memoryUsage();
      let peakRss = before.rss;
      let peakHeap = before.heapUsed;
      const sample = setInterval(() => {
        const now = process.memoryUsage();
        peakRss = Math.max(peakRss, now.rss);
        peakHeap = Math.max(peakHeap, now.heapUsed);
      }, 20);
      const sockets = await Promise.all([1, 2, 3, 4].map(() => openRaw(broker, transport)));
      const offered = await Promise.all(sockets.map((socket) => stream(socket, publishHeader(200 * MB), 200 * MB)));
      clearInterval(sample);
      console.log(
        `${transport}: 800 MB offered, ${(offered.reduce((n, o) => n + o.written, 0) / MB).toFixed(1)} MB written before the close; rss +${((peakRss - before.rss) / MB).toFixed(1)} MB, heap +${((peakHeap - before.heapUsed) / MB).toFixed(1)} MB`,
      );
      expect(offered.every((o) => o.closed)).toBe(true);
      expect(peakRss - before.rss).toBeLessThan(50 * MB);
      expect(peakHeap - before.heapUsed).toBeLessThan(50 * MB);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(broker.stats().connections).toBe(0);
    },
  );

  it('closes a logged-in device that announces a packet over MQTT_MAX_PACKET_BYTES before receiving it, and applies nothing', async () => {
    const socket = (await openRaw(broker, 'tcp')) as Socket;
    expect(await rawLogin(socket, glucometer.code, glucometer.password)).toBe(0);
    // 50 MB announced, only the first 64 KiB sent: the close cannot come from a parsed packet.
    const topic = Buffer.from(deviceTopic(glucometer.code, 'readings'));
    const start = Buffer.concat([
      publishHeader(50 * MB),
      Buffer.from([topic.length >> 8, topic.length & 0xff]),
      topic,
      Buffer.from([0, 1]),
      Buffer.alloc(64 * 1024 - topic.length - 4, 0x20),
    ]);
    const closed = closedWithin(socket, 5000);
    socket.write(start);
    expect(await closed).toBe(true);
    const [stored] = await t.db
      .select({ n: count() })
      .from(deviceMessages)
      .where(eq(deviceMessages.deviceId, glucometer.id));
    expect(stored!.n).toBe(0);
    // Under the limit the same device is served as usual.
    const client = await connectDevice(broker.port, glucometer.code, glucometer.password);
    await client.subscribeAsync(replyTopic(glucometer.code), { qos: 1 });
    const reply = new Promise<any>((resolve) =>
      client.once('message', (_topic, payload) => resolve(JSON.parse(payload.toString()))),
    );
    await client.publishAsync(
      deviceTopic(glucometer.code, 'readings'),
      JSON.stringify({ seq: 1, ts: new Date().toISOString(), type: 'glucose', value: 101, unit: 'mg/dL' }),
      { qos: 1 },
    );
    expect(await reply).toMatchObject({ seq: 1, status: 'accepted' });
    await client.endAsync();
  });

  it.each<Transport>(['tcp', 'ws'])(
    'closes a socket that never sends CONNECT after the connect timeout (%s)',
    async (transport) => {
      const socket = await openRaw(broker, transport);
      socket.on('error', () => {});
      expect(await closedWithin(socket, 5000)).toBe(true);
    },
  );

  it('refuses connections over MQTT_MAX_CONNECTIONS, TCP and WebSocket counted together, and accepts again once one closes', async () => {
    const held = await Promise.all(
      [...Array(4)].map(() => openRaw(broker, 'tcp')).concat([...Array(4)].map(() => openRaw(broker, 'ws'))),
    );
    for (const socket of held) socket.on('error', () => {});
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(broker.stats().connections).toBe(8);
    const overTcp = await openRaw(broker, 'tcp');
    expect(await closedWithin(overTcp, 2000)).toBe(true);
    const overWs = await openRaw(broker, 'ws');
    overWs.on('error', () => {});
    expect(await closedWithin(overWs, 2000)).toBe(true);
    held[0]!.destroy();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const client = await connectDevice(broker.port, glucometer.code, glucometer.password);
    expect(client.connected).toBe(true);
    await client.endAsync();
    for (const socket of held) socket.destroy();
  });

  it('applies at most MQTT_MAX_INFLIGHT messages of a device at once, and answers every one of a burst', async () => {
    const client = await connectDevice(broker.port, glucometer.code, glucometer.password);
    await client.subscribeAsync(replyTopic(glucometer.code), { qos: 1 });
    const replies = new Map<number, any>();
    client.on('message', (_topic, payload) => {
      const reply = JSON.parse(payload.toString());
      replies.set(reply.seq, reply);
    });
    const seqs = Array.from({ length: 20 }, (_, i) => 100 + i);
    await Promise.all(
      seqs.map((seq) =>
        client.publishAsync(
          deviceTopic(glucometer.code, 'readings'),
          JSON.stringify({ seq, ts: new Date().toISOString(), type: 'glucose', value: 100 }),
          { qos: 1 },
        ),
      ),
    );
    await expect.poll(() => replies.size, { timeout: 10_000 }).toBe(20);
    expect([...replies.values()].every((r) => r.status === 'accepted')).toBe(true);
    expect(broker.stats().peakInflight).toBe(2);
    await client.endAsync();
  });

  it('speaks MQTT 3.1.1 and refuses MQTT 5 at CONNECT', async () => {
    await expect(
      mqtt.connectAsync(`mqtt://127.0.0.1:${broker.port}`, {
        protocolVersion: 5,
        clientId: glucometer.code,
        username: glucometer.code,
        password: glucometer.password,
        reconnectPeriod: 0,
        connectTimeout: 3000,
      }),
    ).rejects.toThrow(/protocol|version/i);
    const v311 = await connectDevice(broker.port, glucometer.code, glucometer.password);
    expect(v311.options.protocolVersion).toBe(4);
    await v311.endAsync();
  });
});
