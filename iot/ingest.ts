import type { Database } from '../db/client.ts';
import type { Actor } from '../api/core/context.ts';
import { rejection, type DeviceReply } from '../api/devices/device-reply.ts';
import { deviceRevoked } from '../api/devices/message-kinds.ts';
import { isRegisteredDevice, loadActiveDevice, type DeviceRow } from '../api/devices/register-device.ts';
import { payloadSeq } from './decode.ts';
import { handleDeviceMessage } from './handle-message.ts';
import { replyPayload } from './replies.ts';
import { createReadingBatcher } from './reading-batcher.ts';
import { parseDeviceTopic, replyTopic, type MessageKind } from './topics.ts';

export type Log = Pick<Console, 'info' | 'warn' | 'error'>;

/** A device known to Scorta and the actor its messages act as. */
export interface DeviceSession {
  device: DeviceRow;
  actor: Actor;
}

export interface Ingest {
  /** Applies one message of a known device and publishes the reply; resolves once committed, rejects if not. */
  apply(session: DeviceSession, kind: MessageKind, topic: string, payload: Uint8Array): Promise<void>;
  /**
   * One message as an external broker delivers it, the device named only by its topic: a revoked device is
   * rejected on its reply topic; a code this database never registered, and anything outside the device topics,
   * is acknowledged and ignored (another deployment's device on a shared broker: its own Scorta answers it).
   */
  applyTopic(topic: string, payload: Uint8Array): Promise<void>;
  /** Sends a reply to a device's reply topic (QoS 1). */
  reply(code: string, body: DeviceReply): void;
}

/**
 * The one path from a device message to the core, shared by the embedded broker and the external-broker
 * bridge: readings through the batcher (many per transaction), other messages through handleDeviceMessage
 * (validation, exactly-once by sequence number, one transaction), then the reply and a log line. `publish` sends on
 * the broker in use (told the device the reply is for). Devices named by topic (bridge) are looked up with a cache
 * of `cacheMs`, so a revocation takes effect within that time.
 */
export function createIngest(options: {
  db: Database;
  publish: (topic: string, payload: string, code: string) => void;
  log: Log;
  cacheMs?: number;
  now?: () => Date;
}): Ingest {
  const { db, publish, log, cacheMs = 5000, now = () => new Date() } = options;
  const cache = new Map<string, { at: number; session: DeviceSession | null; registered: boolean }>();
  const reply = (code: string, body: DeviceReply) => publish(replyTopic(code), replyPayload(body), code);
  const one = (session: DeviceSession, kind: MessageKind, topic: string, payload: Uint8Array) =>
    handleDeviceMessage({ db, actor: session.actor, now }, session.device, kind, payload, topic);
  // Readings, the bulk of the traffic, are written in batches (group commit); the rest one by one.
  const batcher = createReadingBatcher({
    db,
    now,
    single: (session, topic, payload) => one(session, 'readings', topic, payload),
  });

  const lookup = async (code: string) => {
    const hit = cache.get(code);
    if (hit && Date.now() - hit.at < cacheMs) return hit;
    const session = await loadActiveDevice({ db }, code);
    const entry = { at: Date.now(), session, registered: session !== null || (await isRegisteredDevice({ db }, code)) };
    if (cache.size > 10_000) cache.clear(); // bounded: a flood of made-up codes cannot grow it forever
    if (!entry.registered && !cache.has(code))
      log.warn(`mqtt: messages of ${code} ignored: no such device in this database`);
    cache.set(code, entry);
    return entry;
  };

  const apply: Ingest['apply'] = async (session, kind, topic, payload) => {
    const code = session.device.code;
    try {
      const answer =
        kind === 'readings' ? await batcher.add(session, topic, payload) : await one(session, kind, topic, payload);
      if (!answer) return;
      if (answer.status === 'rejected' && !answer.duplicate)
        log.warn(`mqtt: ${code} ${kind} #${answer.seq ?? '?'} rejected: ${answer.error?.message}`);
      reply(code, answer);
    } catch (error) {
      // Not committed, so not acknowledged: the message comes again (device resend or broker redelivery).
      log.error(`mqtt: ${code} ${kind} failed, not acknowledged:`, error);
      throw error;
    }
  };

  const applyTopic: Ingest['applyTopic'] = async (topic, payload) => {
    const parsed = parseDeviceTopic(topic);
    if (!parsed) return;
    const { session, registered } = await lookup(parsed.code);
    if (!registered) return;
    if (!session) {
      const seq = payloadSeq(payload);
      log.warn(`mqtt: ${parsed.code} ${parsed.kind} #${seq ?? '?'} rejected: revoked device`);
      return reply(parsed.code, rejection(seq, deviceRevoked(parsed.code)));
    }
    return apply(session, parsed.kind, topic, payload);
  };

  return { apply, applyTopic, reply };
}
