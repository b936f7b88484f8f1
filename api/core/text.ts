import { z } from 'zod';
import { render } from './messages/index.ts';

/** A NUL character, or a UTF-16 surrogate without its pair: neither can be stored nor shown as text. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding NUL is the point
const unsafe = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The marker the validation adapters read to give this failure its own bilingual message. */
export const unsafeTextKey = 'unsafe_text';

/** The issue's own message, for adapters that show zod's issues as they are (the MCP SDK): both languages. */
const message =
  `${render(unsafeTextKey, 'en', { field: 'this field' })} · ` +
  `${render(unsafeTextKey, 'it', { field: 'questo campo' })}`;

/** Whether `value` holds a NUL or a lone surrogate. */
export const isUnsafeText = (value: string) => unsafe.test(value);

/**
 * The one string schema of every text input (HTTP bodies and queries, MCP tools, bot and device payloads):
 * a string without NUL or lone surrogates, refused at validation with the field named, never in the database.
 * Chain the usual checks after it: `text().trim().min(1).max(200)`.
 */
export function text() {
  return z.string().refine((value) => !unsafe.test(value), { message, params: { key: unsafeTextKey } });
}
