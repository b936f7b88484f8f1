import type { Context as HonoContext } from 'hono';
import { DomainError } from '../core/errors.ts';

/**
 * The body of a retried write with its idempotency key, taken from the `Idempotency-Key` header or the
 * body's `idempotencyKey`. Both may be sent only if equal: a mismatch is refused, never guessed.
 */
export function withIdempotencyKey<T extends { idempotencyKey?: string | undefined }>(
  body: T,
  header: string | undefined,
): T {
  if (header === undefined) return body;
  if (body.idempotencyKey !== undefined && body.idempotencyKey !== header) {
    throw new DomainError('validation', 'validation', {
      fields: [
        { field: 'idempotencyKey', message: 'differs from the Idempotency-Key header; send one, or the same in both' },
      ],
    });
  }
  return { ...body, idempotencyKey: header };
}

// biome-ignore lint/suspicious/noExplicitAny: any route's env and path; only the validated body and header matter
type Keyed<B> = HonoContext<any, any, { out: { json: B; header: { 'idempotency-key'?: string | undefined } } }>;

/** The validated body of a write route, with the idempotency key of its header merged in. */
export const keyedBody = <B extends { idempotencyKey?: string | undefined }>(c: Keyed<B>): B =>
  withIdempotencyKey(c.req.valid('json'), c.req.valid('header')['idempotency-key']);

/** A write's answer: 201 with the result, or 200 with `Idempotent-Replayed: true` and the stored result on a retry. */
export function written<T extends { replayed: boolean }>(c: HonoContext, { replayed, ...result }: T) {
  if (!replayed) return c.json(result, 201);
  c.header('Idempotent-Replayed', 'true');
  return c.json(result, 200);
}
