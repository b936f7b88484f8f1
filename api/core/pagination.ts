import { z } from 'zod';

export const Limit = z.coerce.number().int().min(1).max(500).default(50);

/** Opaque cursors: base64url of a small JSON value (an offset, or the last id seen). */
export function encodeCursor(value: unknown): string {
  return btoa(JSON.stringify(value)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function decodeCursor<T>(cursor: string | undefined, schema: z.ZodType<T>): T | undefined {
  if (!cursor) return undefined;
  try {
    return schema.parse(JSON.parse(atob(cursor.replace(/-/g, '+').replace(/_/g, '/'))));
  } catch {
    return undefined;
  }
}

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}
