import { createServer as createHttpServer } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { Aedes, type Client } from 'aedes';
import { createWebSocketStream, WebSocketServer } from 'ws';
import type { Database } from '../db/client.ts';
import { authenticateDevice, inactiveDeviceIds, markDeviceSeen } from '../api/devices/register-device.ts';
import { onDeviceEvent } from '../api/devices/device-events.ts';
import { markRepliesPending, takePendingReplies } from '../api/devices/pending-replies.ts';
import { DomainError } from '../api/core/errors.ts';
import { render } from '../api/core/messages/index.ts';
import { deviceRevoked } from '../api/devices/message-kinds.ts';
import { rejection, type DeviceReply } from '../api/devices/device-reply.ts';
import { mayPublish, maySubscribe, topicForbidden } from './acl.ts';
import { replyPayload } from './replies.ts';
import { parseDeviceTopic, replyTopic } from './topics.ts';
import { createIngest, type DeviceSession, type Log } from './ingest.ts';

export interface DeviceBroker {
  aedes: Aedes;
  /** The MQTT (TCP) port. */
  port: number;
  /** The MQTT-over-WebSocket port, or null when WebSocket is off. */
  wsPort: number | null;
  /** Connections open now (TCP and WebSocket), and the most messages of one device ever applied at once. */
  stats(): { connections: number; peakInflight: number };
  close(): Promise<void>;
}

export class PortInUseError extends Error {
  constructor(
    readonly port: number,
    readonly variable: 'MQTT_PORT' | 'MQTT_WS_PORT' = 'MQTT_PORT',
  ) {
    const what = variable === 'MQTT_PORT' ? 'MQTT port' : 'MQTT-over-WebSocket port';
    super(
      `${what} ${port} is already in use (another broker such as Mosquitto?). Choose another one, e.g.  ` +
        `${variable}=${port + 1} npm start`,
    );
  }
}

type Session = DeviceSession & { revoked?: boolean };

/** What one listener lets a connection do, before and after login (docs/devices.md, "Limits"). */
export interface BrokerLimits {
  /** The largest MQTT packet (fixed header included) a logged-in device may send; larger ones close its connection. */
  maxPacketBytes: number;
  /** Seconds a socket has to send its CONNECT before it is closed. */
  connectTimeoutSeconds: number;
  /** Connections open at once, TCP and WebSocket together; more are closed as they arrive. */
  maxConnections: number;
  /** A device's messages being applied at once; the next ones wait, and its socket is not read meanwhile. */
  maxInflight: number;
}

export const defaultBrokerLimits: BrokerLimits = {
  maxPacketBytes: 1024 * 1024,
  connectTimeoutSeconds: 10,
  maxConnections: 5000,
  maxInflight: 100,
};

/**
 * Before login a packet may be at most this large: a CONNECT with a device code, a secret and a status will
 * is a few hundred bytes, so a socket that has not logged in cannot make the broker hold more than this.
 */
export const maxPacketBytesBeforeLogin = 16 * 1024;

/**
 * Makes `client` refuse a packet whose fixed header announces more than `limit()` bytes: the connection is
 * closed as soon as the length has been read, before the rest is received, buffered or parsed. mqtt-packet
 * has no such option, so this hooks the one step of its parser that reads the remaining length.
 */
function limitPacketSize(client: Client, limit: () => number, refused: (length: number, limit: number) => void) {
  const parser = (client as unknown as { _parser?: Record<string, unknown> })._parser;
  const parseLength = parser?._parseLength as (() => boolean) | undefined;
  if (!parser || typeof parseLength !== 'function' || typeof parser._emitError !== 'function') {
    throw new Error('mqtt-packet parser changed: cannot enforce the maximum packet size');
  }
  parser._parseLength = function (this: { packet: { length: number }; _emitError(error: Error): void }) {
    if (!parseLength.call(this)) return false;
    const max = limit();
    if (this.packet.length <= max) return true;
    refused(this.packet.length, max);
    this._emitError(new Error(render('device_packet_too_large', 'en', { length: this.packet.length, limit: max })));
    return false;
  };
}

/** At most `max` calls of one device running at once; the others wait their turn, first come first served. */
function gate(max: number, seen: (running: number) => void) {
  let running = 0;
  const waiting: Array<() => void> = [];
  return async <T>(work: () => Promise<T>): Promise<T> => {
    if (running >= max) await new Promise<void>((resolve) => waiting.push(resolve));
    else running += 1;
    seen(running);
    try {
      return await work();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else running -= 1;
    }
  };
}

/** Listens on `port`, turning "address in use" into a PortInUseError naming the variable to change. */
function listen(
  server: Server | ReturnType<typeof createHttpServer>,
  port: number,
  host: string,
  variable: 'MQTT_PORT' | 'MQTT_WS_PORT',
) {
  return new Promise<number>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new PortInUseError(port, variable) : error),
    );
    server.listen(port, host, () => resolve((server.address() as { port: number }).port));
  });
}

/**
 * Holds a device's outgoing packets until `release()`, called once the reply to one of its readings has been
 * written: the reading's PUBACK, written meanwhile, then leaves with the reply in one `writev` instead of a
 * system call each (on loopback, on two cores, a write costs about as much as parsing a message). Holds nest;
 * each is released after at most `maxHoldMs` whatever happens to the reply.
 */
export function holdWrites(client: Client | undefined, maxHoldMs = 100): () => void {
  const conn = (client as unknown as { conn?: { cork?(): void; uncork(): void } } | undefined)?.conn;
  if (!conn?.cork) return () => {};
  conn.cork();
  let held = true;
  const release = () => {
    if (!held) return;
    held = false;
    clearTimeout(timer);
    conn.uncork();
  };
  const timer = setTimeout(release, maxHoldMs);
  return release;
}

/**
 * Scorta's embedded MQTT broker (aedes) for smart cabinets, shelves and home devices, on TCP and, when
 * `wsPort` is given, on WebSocket (`ws://host:wsPort/mqtt`, any path). Devices log in with their code and
 * secret; the topic ACL keeps each to its own topics. A message is applied inside `authorizePublish`, which
 * aedes completes before it acknowledges a QoS 1 publish: the PUBACK leaves only after commit, so a reading
 * lost to a crash is never acknowledged and the device resends it (the sequence number makes the resend
 * harmless). Every `revocationCheckMs` the broker drops the connections of devices revoked meanwhile, and
 * refuses what they publish from then on.
 */
export async function startBroker(options: {
  db: Database;
  port: number;
  wsPort?: number | null;
  host?: string;
  log?: Log;
  revocationCheckMs?: number;
  limits?: Partial<BrokerLimits>;
}): Promise<DeviceBroker> {
  const { db, log = console, host = '127.0.0.1', revocationCheckMs = 5000 } = options;
  const limits: BrokerLimits = { ...defaultBrokerLimits, ...options.limits };
  // MQTT 3.1.1 (and 3.1): aedes answers a CONNECT of MQTT 5 with "unacceptable protocol version".
  const aedes = await Aedes.createBroker({
    heartbeatInterval: 60_000,
    connectTimeout: limits.connectTimeoutSeconds * 1000,
  });
  const sessions = new Map<Client, Session>();
  const gates = new Map<Client, ReturnType<typeof gate>>();
  let open = 0;
  let peakInflight = 0;

  /**
   * Every connection, TCP or WebSocket: refused over the connection limit, else handed to aedes with the
   * packet size limit (small until the device has logged in). `transport` is the socket counted.
   */
  const admit = (
    stream: Duplex,
    transport: { once(event: 'close', listener: () => void): unknown },
    where: string,
    req?: unknown,
  ) => {
    if (open >= limits.maxConnections) {
      log.warn(`mqtt: connection from ${where} refused: ${open} connections open, the limit (MQTT_MAX_CONNECTIONS)`);
      stream.destroy();
      return;
    }
    open += 1;
    transport.once('close', () => (open -= 1));
    const client = aedes.handle(stream as never, req as never);
    limitPacketSize(
      client,
      () => (client.connected ? limits.maxPacketBytes : maxPacketBytesBeforeLogin),
      (length, max) =>
        log.warn(
          `mqtt: ${client.id ?? where} announced a packet of ${length} bytes, over the limit of ` +
            `${max}${client.connected ? ' (MQTT_MAX_PACKET_BYTES)' : ' before login'}: disconnected`,
        ),
    );
  };
  const clients = new Map<string, Client>(); // by device code
  /** Per device connection: its replies not heard being marked pending, one batch after the other. */
  const unheard = new Map<Client, { seqs: number[] | null; marked: Promise<void> }>();
  /** Per device connection: resolves once every reply sent to it so far has been written. */
  const replyWrites = new Map<Client, Promise<void>>();

  /** Whether the device on `client` is subscribed to its reply topic now. */
  const hears = (client: Client, code: string) => {
    const sub = (client as unknown as { subscriptions?: Record<string, { qos: number } | undefined> }).subscriptions?.[
      replyTopic(code)
    ];
    return !!sub && sub.qos !== 128;
  };

  /**
   * Publishes at QoS 1; `then` runs once the packet is written to the device (or there was no one to write it
   * to), while the device's socket is still corked (holdWrites): what `then` writes at once leaves with it.
   */
  const send = (topic: string, payload: string, code: string, then?: () => void) => {
    const release = holdWrites(clients.get(code));
    aedes.publish({ cmd: 'publish', topic, payload: Buffer.from(payload), qos: 1, retain: false, dup: false }, () => {
      // Released on the next turn: the PUBACK that `then` lets through is written meanwhile and leaves in the same write.
      setImmediate(release);
      then?.();
    });
  };

  /**
   * Sends the device's pending replies, oldest first, once it hears: on its subscription to the reply topic, and
   * after a mark that raced with that subscription. Each is taken (and cleared) before it is sent: sent once.
   */
  const replay = async (client: Client, session: Session) => {
    const code = session.device.code;
    for (;;) {
      if (client.closed || !hears(client, code)) return;
      const replies = await takePendingReplies({ db }, session.device.id);
      for (const reply of replies) send(replyTopic(code), replyPayload(reply), code);
      if (replies.length < 500) return;
    }
  };

  /**
   * A reply the device does not hear (not subscribed): marked pending in its stored message, in batches per
   * connection. The promise settles when this reply's mark has committed: the reading is acknowledged after it.
   */
  const keepUnheard = (client: Client, session: Session, seq: number): Promise<void> => {
    let state = unheard.get(client);
    if (!state) {
      state = { seqs: null, marked: Promise.resolve() };
      unheard.set(client, state);
    }
    if (!state.seqs) {
      const seqs: number[] = [];
      state.seqs = seqs;
      const current = state;
      current.marked = current.marked
        .catch(() => {})
        .then(() => new Promise<void>((resolve) => setImmediate(resolve)))
        .then(() => {
          current.seqs = null; // later replies go into the next batch
          return markRepliesPending({ db }, session.device.id, seqs);
        })
        .then(() => {
          if (hears(client, session.device.code))
            void replay(client, session).catch((error) =>
              log.error(`mqtt: ${session.device.code}: replies not replayed`, error),
            );
        });
    }
    state.seqs!.push(seq);
    return state.marked;
  };

  const ingest = createIngest({
    db,
    log,
    publish: (topic, payload, code) => {
      const client = clients.get(code);
      const session = client && sessions.get(client);
      if (client && session && topic === replyTopic(code) && !hears(client, code)) {
        const seq = (JSON.parse(payload) as DeviceReply).seq;
        if (seq !== null) void keepUnheard(client, session, seq).catch(() => {}); // awaited in authorizePublish
      }
      if (!client) return send(topic, payload, code);
      // The PUBACK waits for this write (authorizePublish): a crash cannot leave a reading acknowledged and its reply
      // unsent.
      const written = new Promise<void>((resolve) => send(topic, payload, code, resolve));
      const before = replyWrites.get(client);
      replyWrites.set(client, before ? before.then(() => written) : written);
    },
  });

  aedes.authenticate = (client, username, password, done) => {
    const refuse = (why: string) => {
      log.warn(`mqtt: refused connection of ${username ?? '(no username)'}: ${why}`);
      done(Object.assign(new Error(why), { returnCode: 4 }), false);
    };
    if (!username || !password) return refuse('missing credentials');
    if (client.id !== username) return refuse('the client id must be the device code');
    authenticateDevice({ db }, username, password.toString()).then(
      (found) => {
        if (!found) return refuse('unknown or revoked device, or wrong secret');
        sessions.set(client, found);
        clients.set(client.id, client);
        done(null, true);
      },
      (error) => done(error, false),
    );
  };

  aedes.authorizeSubscribe = (client, sub, done) => {
    const session = client && sessions.get(client);
    if (session && !session.revoked && maySubscribe(session.device.code, sub.topic)) return done(null, sub);
    log.warn(`mqtt: ${client?.id} may not subscribe to ${sub.topic}`);
    done(null, null as never); // refused in the SUBACK (0x80), the connection stays up
  };

  aedes.authorizePublish = (client, packet, done) => {
    if (!client) return done(null); // a will published for a client already gone: handled on clientDisconnect
    const session = sessions.get(client);
    if (!session) return done(new DomainError('unauthorized', 'device_not_logged_in'));
    const code = session.device.code;
    if (session.revoked) {
      log.warn(`mqtt: ${code} is revoked: publish refused, disconnected`);
      return done(deviceRevoked(code));
    }
    if (!mayPublish(code, packet.topic)) {
      log.warn(`mqtt: ${code} may not publish to ${packet.topic}: disconnected`);
      const refusal = topicForbidden(code, packet.topic);
      // The rejection is written to the device first; the disconnect follows it.
      return send(replyTopic(code), replyPayload(rejection(null, refusal)), code, () =>
        setImmediate(() => done(refusal)),
      );
    }
    const { kind } = parseDeviceTopic(packet.topic)!;
    let run = gates.get(client);
    if (!run) {
      run = gate(limits.maxInflight, (n) => {
        peakInflight = Math.max(peakInflight, n);
      });
      gates.set(client, run);
    }
    // Acknowledged once committed, once its reply is written and, when the device did not hear it, marked for later.
    run(() => ingest.apply(session, kind, packet.topic, packet.payload as Uint8Array))
      .then(() => Promise.all([unheard.get(client)?.marked, replyWrites.get(client)]))
      .then(
        () => done(null),
        (error) => done(error),
      );
  };

  aedes.on('clientDisconnect', (client) => {
    const session = sessions.get(client);
    sessions.delete(client);
    gates.delete(client);
    unheard.delete(client);
    replyWrites.delete(client);
    if (clients.get(client.id) === client) clients.delete(client.id);
    if (session && !session.revoked)
      markDeviceSeen({ db }, session.device.id, 'offline').catch((e) => log.error('mqtt: cannot mark offline', e));
  });

  // A device that subscribes to its reply topic gets the replies it did not hear.
  aedes.on('subscribe', (subscriptions, client) => {
    const session = client && sessions.get(client);
    if (
      !session ||
      !subscriptions.some((sub) => sub.topic === replyTopic(session.device.code) && (sub.qos as number) !== 128)
    )
      return;
    replay(client, session).catch((error) => log.error(`mqtt: ${session.device.code}: replies not replayed`, error));
  });

  /** Closes the connections of these devices, now revoked, and refuses what they still publish. */
  const dropRevoked = (deviceIds: string[]) => {
    for (const [client, session] of sessions) {
      if (!deviceIds.includes(session.device.id)) continue;
      session.revoked = true;
      log.warn(`mqtt: ${session.device.code} was revoked: disconnected`);
      client.close();
    }
  };
  // At once when the revocation commits in this process; every `revocationCheckMs` for the others (CLI, instances).
  const stopListening = onDeviceEvent((event) => event.kind === 'revoked' && dropRevoked([event.deviceId]));

  let sweeping = false;
  const sweep = setInterval(() => {
    if (sweeping || !sessions.size) return;
    sweeping = true;
    const ids = [...new Set([...sessions.values()].map((s) => s.device.id))];
    inactiveDeviceIds({ db }, ids)
      .then(dropRevoked)
      .catch((error) => log.error('mqtt: revocation check failed', error))
      .finally(() => (sweeping = false));
  }, revocationCheckMs);
  sweep.unref();

  const server: Server = createServer((socket: Socket) =>
    admit(socket, socket, `${socket.remoteAddress}:${socket.remotePort}`),
  );
  const port = await listen(server, options.port, host, 'MQTT_PORT').catch(async (error) => {
    clearInterval(sweep);
    stopListening();
    await new Promise<void>((resolve) => aedes.close(() => resolve()));
    throw error;
  });

  let http: ReturnType<typeof createHttpServer> | undefined;
  let wsPort: number | null = null;
  if (options.wsPort !== undefined && options.wsPort !== null) {
    http = createHttpServer((_req, res) =>
      res
        .writeHead(426, { 'content-type': 'text/plain' })
        .end('MQTT over WebSocket: connect with an MQTT client to ws://host:port/mqtt\n'),
    );
    // A WebSocket frame is buffered whole before MQTT sees it: frames are capped too (an MQTT packet may span
    // frames, and a frame may carry several small packets, hence the margin).
    const wss = new WebSocketServer({ server: http, maxPayload: 2 * Math.max(limits.maxPacketBytes, 64 * 1024) });
    // Failing to listen is reported below.
    wss.on('error', (error) => http!.listening && log.error('mqtt-ws:', error.message));
    wss.on('connection', (socket, req) =>
      admit(createWebSocketStream(socket), socket, `ws ${req.socket.remoteAddress}:${req.socket.remotePort}`, req),
    );
    wsPort = await listen(http, options.wsPort, host, 'MQTT_WS_PORT').catch(async (error) => {
      clearInterval(sweep);
      stopListening();
      await new Promise<void>((resolve) => aedes.close(() => server.close(() => resolve())));
      throw error;
    });
  }

  return {
    aedes,
    port,
    wsPort,
    stats: () => ({ connections: open, peakInflight }),
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(sweep);
        stopListening();
        aedes.close(() => server.close(() => (http ? http.close(() => resolve()) : resolve())));
        http?.closeAllConnections();
      }),
  };
}
