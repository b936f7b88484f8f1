import { and, eq, sql } from 'drizzle-orm';
import { idempotencyKeys } from '../../db/schema/index.ts';
import type { Context } from './context.ts';
import { DomainError } from './errors.ts';

/**
 * JSON with object keys sorted, so equal payloads hash equally whatever their key order. Keys are
 * compared by code unit, not `localeCompare`: a collation depends on the runtime's locale and calls
 * some distinct keys equal, which would let key order leak into the hash.
 */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_, v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export type Replayable<T> = T & { replayed: boolean };

/**
 * Runs a retried write once per idempotency key (scoped to the acting user). Must run inside the
 * action's transaction: the key is claimed first (a concurrent retry waits on it), the action runs,
 * and its result is stored with the key. A rollback releases the key, so a failed write can be retried.
 * The same key with a different payload is a conflict, never a silent replay.
 */
export async function onceForKey<T extends object>(
  ctx: Context,
  action: string,
  key: string | undefined,
  input: unknown,
  run: () => Promise<T>,
): Promise<Replayable<T>> {
  if (!key) return { ...(await run()), replayed: false };
  const scope = ctx.actor.userId ? `user:${ctx.actor.userId}` : `system:${ctx.actor.organisationId}`;
  const requestHash = await sha256Hex(`${action}\n${stableJson(input)}`);
  const claimed = await ctx.db
    .insert(idempotencyKeys)
    .values({ scope, key, action, requestHash, result: sql`'null'::jsonb` })
    .onConflictDoNothing()
    .returning({ key: idempotencyKeys.key });
  if (claimed.length === 0) {
    const [previous] = await ctx.db
      .select()
      .from(idempotencyKeys)
      .where(and(eq(idempotencyKeys.scope, scope), eq(idempotencyKeys.key, key)));
    if (!previous || previous.requestHash !== requestHash || previous.action !== action) {
      throw new DomainError('conflict', 'idempotency_mismatch', {
        params: { key },
        fields: [
          { field: 'idempotencyKey', message: `Idempotency key ${key} was already used for a different request.` },
        ],
      });
    }
    return { ...(previous.result as T), replayed: true };
  }
  const result = await run();
  await ctx.db
    .update(idempotencyKeys)
    .set({ result: result as unknown as Record<string, unknown> })
    .where(and(eq(idempotencyKeys.scope, scope), eq(idempotencyKeys.key, key)));
  return { ...result, replayed: false };
}
