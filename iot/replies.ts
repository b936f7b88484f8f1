import { errorCodes, type ErrorCode } from '../api/core/errors.ts';
import type { DeviceReply, DeviceReplyError } from '../api/devices/device-reply.ts';

/**
 * What a device should do about a refused message. Every refusal is final for its sequence number (resending
 * it gets the same reply), so the advice is about the messages that follow:
 * - `fix_message`: the message itself is wrong (malformed, or names something that does not exist): correct it;
 * - `retry_later`: the current state refused it (too little stock, a fault on Scorta's side): later messages may pass;
 * - `stop`: the device may not send this (revoked, or not its topic or kind): stop, and have it reconfigured.
 */
export type DeviceAdvice = 'fix_message' | 'retry_later' | 'stop';

/** The one place a domain error code becomes what a device should do, as `httpStatusOf` is for HTTP. */
export function deviceAdviceOf(code: ErrorCode): DeviceAdvice {
  switch (code) {
    case 'validation':
    case 'not_found':
      return 'fix_message';
    case 'conflict':
    case 'precondition_failed':
    case 'internal':
      return 'retry_later';
    case 'unauthorized':
    case 'forbidden':
      return 'stop';
    default: {
      const unhandled: never = code;
      throw new Error(`unmapped error code ${String(unhandled)}`);
    }
  }
}

/** A refusal as the device reads it: the stored error with its advice (none for a code outside the closed set). */
function withAdvice(error: DeviceReplyError): DeviceReplyError & { advice?: DeviceAdvice } {
  // A reply stored before codes were closed carries the message key as its code: sent as stored.
  return (errorCodes as readonly string[]).includes(error.code)
    ? { ...error, advice: deviceAdviceOf(error.code) }
    : error;
}

/** The payload of a reply on the device's reply topic: the outcome the core returned or stored, as JSON. */
export function replyPayload(reply: DeviceReply): string {
  return JSON.stringify(reply.error ? { ...reply, error: withAdvice(reply.error) } : reply);
}
