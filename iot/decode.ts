import { DomainError } from '../api/core/errors.ts';
import { seqOf } from '../api/devices/device-reply.ts';
import { ReadingPayload } from '../api/devices/payloads.ts';

/** The JSON of a message's bytes; `ok: false` when the bytes are not JSON. */
export function decodeJson(bytes: Uint8Array): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(new TextDecoder().decode(bytes)) };
  } catch {
    return { ok: false };
  }
}

/** The refusal of a message whose bytes are not JSON. */
export const notJson = () =>
  new DomainError('validation', 'validation', { fields: [{ field: '(payload)', message: 'not JSON' }] });

/** The sequence number of a payload, when it is JSON carrying one. */
export function payloadSeq(bytes: Uint8Array): number | null {
  const decoded = decodeJson(bytes);
  return decoded.ok ? seqOf(decoded.value) : null;
}

/**
 * The JSON of a readings message, validated; null when it is not a valid reading (the one-by-one path refuses it with
 * reasons).
 */
export function decodeReading(bytes: Uint8Array): ReadingPayload | null {
  const decoded = decodeJson(bytes);
  if (!decoded.ok) return null;
  const result = ReadingPayload.safeParse(decoded.value);
  return result.success ? result.data : null;
}
