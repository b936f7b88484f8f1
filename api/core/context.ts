import type { Database } from '../../db/client.ts';
import type { Channel, LocationKind, Role } from '../../db/schema/index.ts';
import { DomainError } from './errors.ts';

/** A role the actor holds in an organisation, narrowed to a location subtree when `locationPath` is set. */
export interface Grant {
  role: Role;
  organisationId: string;
  locationId: string | null;
  locationPath: string | null;
}

/** Who is acting, through which channel. An assistant acts for `userId` with that user's grants only. */
export interface Actor {
  userId: string | null;
  organisationId: string;
  grants: Grant[];
  channel: Channel;
  via: 'user' | 'assistant' | 'system';
}

export interface LocationRef {
  id: string;
  organisationId: string;
  path: string;
  kind: LocationKind;
}

export interface Context {
  db: Database;
  actor: Actor;
  now: () => Date;
  /** True inside `withTransaction`: nested actions join the outer transaction. */
  inTransaction?: boolean;
  /** Runs `effect` once the outermost transaction commits (Slack posts, MQTT publishes); dropped on rollback. */
  afterCommit?: (effect: () => unknown) => void;
}

/** The internal actor of start-up jobs and the demo loader: an admin of one organisation. */
export function systemActor(organisationId: string, channel: Channel = 'system'): Actor {
  return {
    userId: null,
    organisationId,
    channel,
    via: 'system',
    grants: [{ role: 'admin', organisationId, locationId: null, locationPath: null }],
  };
}

const retryableCodes = new Set(['40001', '40P01']);
const maxAttempts = 4;

/** What a driver error (postgres.js, PGlite) or drizzle's wrapper around it may carry. */
export interface DriverError {
  code?: unknown;
  message?: unknown;
  constraint_name?: unknown;
  constraint?: unknown;
  cause?: unknown;
}

/** The SQLSTATE of a driver error, looking through drizzle's query-error wrapper. */
export function sqlState(error: unknown): string | undefined {
  for (let e = error as DriverError | undefined; e; e = e.cause as DriverError | undefined)
    if (typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)) return e.code;
  return undefined;
}

/** The constraint named by a driver error (unique and check violations), through drizzle's wrapper. */
export function constraintName(error: unknown): string | undefined {
  for (let e = error as DriverError | undefined; e; e = e.cause as DriverError | undefined) {
    const name = e.constraint_name ?? e.constraint;
    if (typeof name === 'string') return name;
  }
  return undefined;
}

/**
 * Runs `fn` in one transaction. Inside an outer transaction it simply joins it, so actions compose
 * (a reading → a reorder check → a request commit or fail together). Serialization failures and
 * deadlocks are retried a bounded number of times; effects queued with `afterCommit` run after the
 * outermost commit, never after a rollback.
 */
export async function withTransaction<T>(ctx: Context, fn: (tx: Context) => Promise<T>): Promise<T> {
  if (ctx.inTransaction) return fn(ctx);
  for (let attempt = 1; ; attempt++) {
    const effects: Array<() => unknown> = [];
    try {
      const result = await ctx.db.transaction((db) =>
        fn({
          ...ctx,
          db: db as unknown as Database,
          inTransaction: true,
          afterCommit: (effect) => effects.push(effect),
        }),
      );
      for (const effect of effects) {
        try {
          await effect();
        } catch (error) {
          console.error('after-commit effect failed', error);
        }
      }
      return result;
    } catch (error) {
      if (error instanceof DomainError || attempt >= maxAttempts || !retryableCodes.has(sqlState(error) ?? ''))
        throw error;
    }
  }
}

/**
 * Awaits statements of one transaction that were issued together, so that on PostgreSQL they travel pipelined
 * on its connection: one round trip instead of one each (PGlite runs them one after another). When any fails,
 * throws the failure that caused the rest: a statement after a failed one only reports the aborted
 * transaction (25P02).
 */
export async function together<T extends readonly unknown[]>(
  statements: T,
): Promise<{ -readonly [K in keyof T]: Awaited<T[K]> }> {
  const settled = await Promise.allSettled(statements);
  const failures = settled.flatMap((s) => (s.status === 'rejected' ? [s.reason as unknown] : []));
  if (failures.length) throw failures.find((e) => sqlState(e) !== '25P02') ?? failures[0];
  return settled.map((s) => (s as PromiseFulfilledResult<unknown>).value) as {
    -readonly [K in keyof T]: Awaited<T[K]>;
  };
}
