import type { Database } from '../db/client.ts';
import type { Actor } from '../api/core/context.ts';
import { applyReadingsBatch, parseReading, type InboundReading } from '../api/devices/apply-readings-batch.ts';
import type { DeviceReply } from '../api/devices/handle-message.ts';
import type { DeviceRow } from '../api/devices/register-device.ts';

interface Pending {
  reading: InboundReading;
  bytes: Uint8Array;
  resolve: (reply: DeviceReply | null) => void;
  reject: (error: unknown) => void;
}

export interface ReadingBatcher {
  /** Applies one readings message; resolves with its reply once the batch holding it has committed. */
  add(session: { device: DeviceRow; actor: Actor }, topic: string, bytes: Uint8Array): Promise<DeviceReply | null>;
  /** Readings waiting or being written. */
  readonly pending: number;
}

/**
 * Group commit for device readings. Readings queue while a batch is being written and go together in the
 * next one (up to `maxBatch`), so under load a transaction carries hundreds of readings and when traffic
 * is light a reading waits for nobody. One batch is written at a time. The promise of each reading settles
 * only after its batch commits, so the broker acknowledges (QoS 1 PUBACK) nothing that is not stored.
 * A message that is not a valid reading, or a batch that fails as a whole, goes through `single` (the
 * one-by-one path), which refuses bad input with reasons and isolates the reading at fault.
 */
export function createReadingBatcher(options: {
  db: Database;
  single: (session: { device: DeviceRow; actor: Actor }, topic: string, bytes: Uint8Array) => Promise<DeviceReply | null>;
  maxBatch?: number;
  now?: () => Date;
}): ReadingBatcher {
  const { db, single, maxBatch = 500, now = () => new Date() } = options;
  const queue: Pending[] = [];
  let writing = 0;

  const flush = async () => {
    const batch = queue.splice(0, maxBatch);
    writing = batch.length;
    try {
      const replies = await applyReadingsBatch({ db, actor: batch[0]!.reading.actor, now }, batch.map((p) => p.reading));
      batch.forEach((p, i) => p.resolve(replies[i]!));
    } catch {
      for (const p of batch) await single(p.reading, p.reading.topic, p.bytes).then(p.resolve, p.reject);
    }
    writing = 0;
    if (queue.length) setImmediate(flush);
  };

  return {
    add(session, topic, bytes) {
      const payload = parseReading(bytes);
      if (!payload) return single(session, topic, bytes);
      return new Promise((resolve, reject) => {
        queue.push({ reading: { ...session, topic, payload }, bytes, resolve, reject });
        if (writing === 0 && queue.length === 1) setImmediate(flush);
      });
    },
    get pending() {
      return queue.length + writing;
    },
  };
}
