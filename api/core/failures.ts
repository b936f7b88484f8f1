import { type DriverError, sqlState } from './context.ts';
import { DomainError } from './errors.ts';

/**
 * SQLSTATE classes a retry can fix: connection, rollback (serialization, deadlock), resources, operator intervention,
 * system.
 */
const transientClasses = new Set(['08', '40', '53', '57', '58']);
/** Single SQLSTATEs a retry can fix outside those classes: lock not available, a transaction already aborted by one. */
const transientStates = new Set(['55P03', '25P02']);
/** Driver and socket errors of a database that cannot be reached (node, postgres.js). */
const transientCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
]);

/**
 * The one rule for a failed message: `transient` when a retry can succeed (the database unreachable or
 * restarting, a serialization failure or deadlock left after the transaction's own retries), so the message
 * stays unacknowledged and comes again; `permanent` for everything else — a domain refusal, a data or
 * constraint error of the database (SQLSTATE classes 22, 23…), a fault in our code — which no resend can fix,
 * so the message is answered with a rejection and acknowledged, never redelivered for ever.
 */
export function failureKind(error: unknown): 'transient' | 'permanent' {
  if (error instanceof DomainError) return 'permanent';
  const state = sqlState(error);
  if (state) return transientClasses.has(state.slice(0, 2)) || transientStates.has(state) ? 'transient' : 'permanent';
  for (let e = error as DriverError | undefined; e; e = e.cause as DriverError | undefined) {
    if (typeof e.code === 'string' && transientCodes.has(e.code)) return 'transient';
    if (typeof e.message === 'string' && /closed|terminat|not (yet )?ready|connect/i.test(e.message))
      return 'transient';
  }
  return 'permanent';
}
