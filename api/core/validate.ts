import type { z } from 'zod';
import { DomainError } from './errors.ts';

/** Re-parses an action's input with its zod schema; a failure names every failing field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new DomainError('validation', 'validation', {
    fields: result.error.issues.map((issue) => ({ field: issue.path.join('.') || '(body)', message: issue.message })),
  });
}
