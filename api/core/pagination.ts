import { z } from 'zod';
import { invalid } from './errors.ts';

export const Limit = z.coerce.number().int().min(1).max(500).default(50);

/** Opaque cursors: base64url of a small JSON value (an offset, or the last id seen). */
export function encodeCursor(value: unknown): string {
  return btoa(JSON.stringify(value)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/**
 * The value of a cursor, or undefined without one; a cursor this server did not hand out is a validation error, never
 * page one.
 */
export function decodeCursor<T>(cursor: string | undefined, schema: z.ZodType<T>): T | undefined {
  if (!cursor) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(atob(cursor.replace(/-/g, '+').replace(/_/g, '/')));
  } catch {
    throw invalid('cursor', 'invalid_cursor');
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw invalid('cursor', 'invalid_cursor');
  return parsed.data;
}

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}
