import { runsConcurrently, type Database } from '../db/client.ts';
import type { Actor } from '../api/core/context.ts';
import { applyReadingsBatch, type InboundReading } from '../api/devices/apply-readings-batch.ts';
import type { DeviceReply } from '../api/devices/device-reply.ts';
import type { DeviceRow } from '../api/devices/register-device.ts';
import { decodeReading } from './decode.ts';

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
 * is light a reading waits for nobody. On PostgreSQL two batches are written at once, on two connections, so
 * the server writes one while Node builds the next (their balances are locked in one key order, so they queue
 * rather than deadlock); PGlite runs one statement at a time, so one batch. The promise of each reading settles
 * only after its batch commits, so the broker acknowledges (QoS 1 PUBACK) nothing that is not stored.
 * A message that is not a valid reading, or a batch that fails as a whole, goes through `single` (the
 * one-by-one path), which refuses bad input with reasons and isolates the reading at fault.
 */
export function createReadingBatcher(options: {
  db: Database;
  single: (
    session: { device: DeviceRow; actor: Actor },
    topic: string,
    bytes: Uint8Array,
  ) => Promise<DeviceReply | null>;
  maxBatch?: number;
  /** Batches written at once: 2 on PostgreSQL (one builds while the server writes the other), 1 on PGlite. */
  inFlight?: number;
  now?: () => Date;
}): ReadingBatcher {
  const { db, single, maxBatch = 500, inFlight = runsConcurrently(db) ? 2 : 1, now = () => new Date() } = options;
  const queue: Pending[] = [];
  let writing = 0;
  let batches = 0;

  const flush = async () => {
    const batch = queue.splice(0, maxBatch);
    if (batch.length === 0) return;
    writing += batch.length;
    batches += 1;
    try {
      const replies = await applyReadingsBatch(
        { db, actor: batch[0]!.reading.actor, now },
        batch.map((p) => p.reading),
      );
      for (const [i, p] of batch.entries()) p.resolve(replies[i]!);
    } catch {
      for (const p of batch) await single(p.reading, p.reading.topic, p.bytes).then(p.resolve, p.reject);
    }
    writing -= batch.length;
    batches -= 1;
    if (queue.length) setImmediate(flush);
  };

  return {
    add(session, topic, bytes) {
      const payload = decodeReading(bytes);
      if (!payload) return single(session, topic, bytes);
      return new Promise((resolve, reject) => {
        queue.push({ reading: { ...session, topic, payload }, bytes, resolve, reject });
        // A new batch starts when a writer is free; readings arriving meanwhile wait and go together.
        if (batches < inFlight && queue.length === 1) setImmediate(flush);
      });
    },
    get pending() {
      return queue.length + writing;
    },
  };
}
