import type { z } from 'zod';
import { DomainError } from './errors.ts';
import { render } from './messages/index.ts';
import { unsafeTextKey } from './text.ts';

/**
 * The validation error of failed zod issues, naming every failing field (`root` when the issue has no path).
 * Text with NUL or a lone surrogate gets its own message naming the field, in the reader's language.
 */
export function validationError(issues: readonly z.core.$ZodIssue[], root = '(body)'): DomainError {
  const isUnsafe = (issue: z.core.$ZodIssue) =>
    issue.code === 'custom' && (issue as { params?: { key?: string } }).params?.key === unsafeTextKey;
  const fields = issues.map((issue) => {
    const field = issue.path.join('.') || root;
    return { field, message: isUnsafe(issue) ? render(unsafeTextKey, 'en', { field }) : issue.message };
  });
  const unsafe = issues.findIndex(isUnsafe);
  if (unsafe >= 0)
    return new DomainError('validation', unsafeTextKey, { params: { field: fields[unsafe]!.field }, fields });
  return new DomainError('validation', 'validation', { fields });
}

/** Re-parses an action's input with its zod schema; a failure names every failing field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw validationError(result.error.issues);
}
