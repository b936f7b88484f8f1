import type { DomainError, ErrorCode } from '../core/errors.ts';
import type { MessageKey } from '../core/messages/index.ts';
import type { Applied } from './apply-reading.ts';
import type { RfidSummary } from './apply-rfid.ts';

/** What Scorta answers a device on its reply topic, for every message it applies or refuses. */
export interface DeviceReply {
  seq: number | null;
  status: 'accepted' | 'rejected';
  /** The same message again (same device and sequence number): the first outcome, nothing applied twice. */
  duplicate?: boolean;
  error?: DeviceReplyError;
  movements?: number;
  notes?: string[];
  requests?: Applied['requests'];
  /** RFID snapshots: tags kept, put away, claimed from the books, gone; the tags that could not be used and why. */
  tags?: RfidSummary;
}

/** Why a message was refused: the closed code (what kind of refusal), the message key (which one), the texts. */
export interface DeviceReplyError {
  code: ErrorCode;
  key: MessageKey;
  message: string;
  messageIt: string;
  fields: { field: string; message: string }[];
}

/**
 * The one refusal a device hears, from a domain error, wherever it is refused (the core, the ingest, the
 * broker): its code from the closed set, its message key, the message in English and Italian, the fields.
 */
export function rejection(seq: number | null, error: DomainError): DeviceReply {
  return {
    seq,
    status: 'rejected',
    error: {
      code: error.code,
      key: error.key,
      message: error.localized('en'),
      messageIt: error.localized('it'),
      fields: error.fields,
    },
  };
}

/** The sequence number a parsed payload carries, when it carries a usable one (replies are matched on it). */
export function seqOf(raw: unknown): number | null {
  const seq = typeof raw === 'object' && raw !== null ? (raw as { seq?: unknown }).seq : undefined;
  return Number.isSafeInteger(seq) ? (seq as number) : null;
}
