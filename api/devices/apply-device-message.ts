import { and, eq } from 'drizzle-orm';
import type { z } from 'zod';
import { deviceMessages, devices } from '../../db/schema/index.ts';
import { sqlState, withTransaction, type Actor, type Context } from '../core/context.ts';
import { DomainError } from '../core/errors.ts';
import { failureKind } from '../core/failures.ts';
import { loadLocation } from '../locations/load-location.ts';
import { applyLevels, applyReading, type Applied } from './apply-reading.ts';
import { applyRfid, type RfidSummary } from './apply-rfid.ts';
import { HeartbeatPayload, LevelsPayload, ReadingPayload, RfidPayload, StatusPayload } from './payloads.ts';
import { deviceRevoked, kindNotAllowed, maySend, type MessageKind } from './message-kinds.ts';
import { markDeviceSeen, type DeviceRow } from './register-device.ts';
import { rejection, seqOf, type DeviceReply } from './device-reply.ts';

const schemas = { levels: LevelsPayload, readings: ReadingPayload, rfid: RfidPayload } as const;

function parse<S extends z.ZodType>(
  schema: S,
  raw: unknown,
): { ok: true; data: z.output<S> } | { ok: false; error: DomainError } {
  const result = schema.safeParse(raw);
  if (result.success) return { ok: true, data: result.data };
  return {
    ok: false,
    error: new DomainError('validation', 'validation', {
      fields: result.error.issues.map((i) => ({ field: i.path.join('.') || '(payload)', message: i.message })),
    }),
  };
}

/**
 * What a device hears about a failure no resend can fix: the domain error, or a generic one (never the driver's text).
 */
function asRefusal(error: unknown): DomainError {
  if (error instanceof DomainError) return error;
  const state = sqlState(error) ?? '';
  return /^2[23]/.test(state)
    ? new DomainError('validation', 'message_not_applicable', {
        fields: [{ field: '(payload)', message: `SQLSTATE ${state}` }],
      })
    : new DomainError('internal', 'internal');
}

/**
 * One message from a device, handled once, as parsed from its JSON (`raw`; iot/ decodes the bytes). Status
 * and heartbeat mark it seen. Levels, readings and RFID
 * snapshots are validated, claimed by (device, sequence number) and applied in one transaction with the stock movements
 * and the reorder check they cause; a redelivery gets the stored reply. A refusal is stored too, so the
 * device hears the same answer however often it resends. A device sends only its kind's messages, and books
 * nothing once revoked (checked in the transaction, locking its row against a concurrent revocation). A failure
 * no resend can fix (failureKind) is refused and stored like any refusal, so the message is acknowledged and
 * never comes back; only a transient one throws (not acknowledged). Returns the reply for the device (null: none).
 * `topic` is stored with the claim: an RFID snapshot is compared with the last one of the same topic.
 */
export async function applyDeviceMessage(
  ctx: Context & { actor: Actor },
  device: DeviceRow,
  kind: MessageKind,
  raw: unknown,
  topic: string,
): Promise<DeviceReply | null> {
  if (!maySend(device.kind, kind)) return rejection(seqOf(raw), kindNotAllowed(device.kind, kind));
  if (kind === 'status') {
    const status = parse(StatusPayload, raw);
    if (!status.ok) return rejection(null, status.error);
    await markDeviceSeen(ctx, device.id, status.data.state);
    return null;
  }
  if (kind === 'heartbeat') {
    const beat = parse(HeartbeatPayload, raw);
    if (!beat.ok) return rejection(null, beat.error);
    await markDeviceSeen(ctx, device.id, 'online');
    return null;
  }
  const seq = seqOf(raw);
  const parsed = parse(schemas[kind], raw);
  const sentAt = parsed.ok ? new Date(parsed.data.ts) : null;
  /** Claims (device, seq) with `reply`; a message seen before gets its first reply back instead. */
  const claim = async (tx: Context, reply: DeviceReply): Promise<DeviceReply | null> => {
    if (seq === null) return null;
    const [claimed] = await tx.db
      .insert(deviceMessages)
      .values({ deviceId: device.id, seq, topic, sentAt, outcome: reply.status, reply })
      .onConflictDoNothing()
      .returning({ seq: deviceMessages.seq });
    if (claimed) return null;
    const [first] = await tx.db
      .select({ reply: deviceMessages.reply })
      .from(deviceMessages)
      .where(and(eq(deviceMessages.deviceId, device.id), eq(deviceMessages.seq, seq)));
    return { ...(first!.reply as DeviceReply), duplicate: true };
  };
  const refuse = async (error: DomainError): Promise<DeviceReply> => {
    try {
      return await withTransaction(
        ctx,
        async (tx) => (await claim(tx, rejection(seq, error))) ?? rejection(seq, error),
      );
    } catch (failure) {
      if (failureKind(failure) === 'transient') throw failure;
      return rejection(seq, error); // the refusal itself cannot be stored: answered all the same, and acknowledged
    }
  };
  if (!parsed.ok) return refuse(parsed.error);
  try {
    return await withTransaction(ctx, async (tx) => {
      // The device first, locked against a concurrent revocation: that waits for this message, or is seen here.
      const [active] = await tx.db
        .select({ id: devices.id })
        .from(devices)
        .where(and(eq(devices.id, device.id), eq(devices.status, 'active')))
        .for('no key update');
      if (!active) throw deviceRevoked(device.code);
      // Then the claim: a concurrent redelivery waits on it, then reads this reply.
      const earlier = await claim(tx, { seq, status: 'accepted' });
      if (earlier) return earlier;
      const location = await loadLocation(tx, device.locationId);
      const applied: Applied & { tags?: RfidSummary } =
        kind === 'levels'
          ? await applyLevels(tx, device, location, parsed.data as LevelsPayload)
          : kind === 'rfid'
            ? await applyRfid(tx, device, location, parsed.data as RfidPayload, topic)
            : await applyReading(tx, device, location, parsed.data as ReadingPayload);
      await markDeviceSeen(tx, device.id, 'online');
      const reply: DeviceReply = {
        seq,
        status: 'accepted',
        movements: applied.movements,
        notes: applied.notes,
        requests: applied.requests,
        ...(applied.tags ? { tags: applied.tags } : {}),
      };
      await tx.db
        .update(deviceMessages)
        .set({ reply })
        .where(and(eq(deviceMessages.deviceId, device.id), eq(deviceMessages.seq, parsed.data.seq)));
      return reply;
    });
  } catch (error) {
    if (failureKind(error) === 'transient') throw error;
    return refuse(asRefusal(error));
  }
}
