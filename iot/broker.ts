import { createServer, type Server } from 'node:net';
import { Aedes, type Client } from 'aedes';
import type { Database } from '../db/client.ts';
import type { Actor } from '../api/core/context.ts';
import { handleDeviceMessage, type DeviceReply } from '../api/devices/handle-message.ts';
import { authenticateDevice, markDeviceSeen, type DeviceRow } from '../api/devices/register-device.ts';
import { mayPublish, maySubscribe, parseDeviceTopic, replyTopic } from '../api/devices/topics.ts';

export interface DeviceBroker {
  aedes: Aedes;
  port: number;
  close(): Promise<void>;
}

export class PortInUseError extends Error {
  constructor(readonly port: number) {
    super(`MQTT port ${port} is already in use (another broker such as Mosquitto?). Choose another one, e.g.  MQTT_PORT=1884 npm start`);
  }
}

interface Session {
  device: DeviceRow;
  actor: Actor;
}

type Log = Pick<Console, 'info' | 'warn' | 'error'>;

/**
 * Scorta's embedded MQTT broker (aedes) for smart cabinets, shelves and home devices. Devices log in with
 * their code and secret; the topic ACL keeps each to its own topics. A reading is applied inside
 * `authorizePublish`, which aedes completes before it acknowledges a QoS 1 publish: the PUBACK leaves only
 * after the reading is committed, so a reading lost to a crash is never acknowledged and the device resends
 * it (the sequence number makes the resend harmless). Replies go to the device's reply topic.
 */
export async function startBroker(options: { db: Database; port: number; host?: string; log?: Log }): Promise<DeviceBroker> {
  const { db, log = console } = options;
  const aedes = await Aedes.createBroker({ heartbeatInterval: 60_000 });
  const sessions = new WeakMap<Client, Session>();
  const reply = (code: string, body: DeviceReply) =>
    aedes.publish({ cmd: 'publish', topic: replyTopic(code), payload: Buffer.from(JSON.stringify(body)), qos: 1, retain: false, dup: false }, () => {});

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
        done(null, true);
      },
      (error) => done(error, false),
    );
  };

  aedes.authorizeSubscribe = (client, sub, done) => {
    const session = sessions.get(client);
    if (session && maySubscribe(session.device.code, sub.topic)) return done(null, sub);
    log.warn(`mqtt: ${client?.id} may not subscribe to ${sub.topic}`);
    done(null, null as never); // refused in the SUBACK (0x80), the connection stays up
  };

  aedes.authorizePublish = (client, packet, done) => {
    if (!client) return done(null); // a will published for a client already gone: handled on clientDisconnect
    const session = sessions.get(client);
    if (!session) return done(new Error('not authenticated'));
    const code = session.device.code;
    if (!mayPublish(code, packet.topic)) {
      log.warn(`mqtt: ${code} may not publish to ${packet.topic}: disconnected`);
      reply(code, { seq: null, status: 'rejected', error: { code: 'forbidden', message: `You may publish only under scorta/devices/${code}/.`, messageIt: `Puoi pubblicare solo sotto scorta/devices/${code}/.`, fields: [{ field: '(topic)', message: packet.topic }] } });
      return done(new Error('topic not allowed'));
    }
    const { kind } = parseDeviceTopic(packet.topic)!;
    const ctx = { db, actor: session.actor, now: () => new Date() };
    handleDeviceMessage(ctx, session.device, kind, packet.payload as Uint8Array, packet.topic).then(
      (answer) => {
        if (answer) {
          if (answer.status === 'rejected' && !answer.duplicate) log.warn(`mqtt: ${code} ${kind} #${answer.seq ?? '?'} rejected: ${answer.error?.message}`);
          reply(code, answer);
        }
        done(null);
      },
      (error) => {
        // Not committed, so not acknowledged: the device will resend after it reconnects.
        log.error(`mqtt: ${code} ${kind} failed, not acknowledged:`, error);
        done(error);
      },
    );
  };

  aedes.on('clientDisconnect', (client) => {
    const session = sessions.get(client);
    if (session) markDeviceSeen({ db }, session.device.id, 'offline').catch((e) => log.error('mqtt: cannot mark offline', e));
  });

  const server: Server = createServer(aedes.handle);
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => reject(error.code === 'EADDRINUSE' ? new PortInUseError(options.port) : error));
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve((server.address() as { port: number }).port));
  });
  return {
    aedes,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        aedes.close(() => server.close(() => resolve()));
      }),
  };
}
