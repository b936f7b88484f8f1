import type { z } from 'zod';
import { render } from './messages/index.ts';

/**
 * The one rule for a period given as two ISO dates or timestamps: its start may not come after its end.
 * `schema.superRefine(rangeInOrder('from', 'to'))`; an open end (either side omitted) is always in order.
 */
export function rangeInOrder<const F extends string, const T extends string>(from: F, to: T) {
  return (value: { [K in F | T]?: string | undefined }, ctx: z.RefinementCtx) => {
    const start = value[from];
    const end = value[to];
    if (start === undefined || end === undefined) return;
    if (Date.parse(start) > Date.parse(end)) {
      ctx.addIssue({
        code: 'custom',
        path: [from],
        message: render('range_inverted', 'en', { from, to }),
        input: start,
      });
    }
  };
}
