/**
 * The one home for LIKE patterns built from text a person typed: `%`, `_` and the escape character `\`
 * (PostgreSQL's default LIKE escape) are matched literally, so searching "%" finds a percent sign,
 * not every row.
 */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, '\\$&');
}

/** A LIKE pattern matching `text` anywhere. */
export const containsPattern = (text: string) => `%${escapeLike(text)}%`;

/** A LIKE pattern matching values that start with `text`. */
export const prefixPattern = (text: string) => `${escapeLike(text)}%`;
