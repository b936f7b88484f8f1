import type { Context as HonoContext } from 'hono';
import { pickLocale, type Locale } from '../core/messages/index.ts';

/** Printable pages carry no scripts and load nothing: only their inline style may apply. */
export const documentPolicy = "default-src 'none'; style-src 'unsafe-inline'";

/** A printable document rendered in the reader's language (Accept-Language; Italian by default). */
export function printed(c: HonoContext, render: (locale: Locale) => string): Response {
  const locale = pickLocale(c.req.header('accept-language'));
  return c.html(render(locale), 200, {
    'Content-Security-Policy': documentPolicy,
    'Content-Language': locale,
    Vary: 'Accept-Language',
  });
}
