import type { Context as HonoContext } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ZodError } from 'zod';
import { DomainError, notFound, type ErrorCode } from '../core/errors.ts';
import { pickLocale, render, type CatalogueKey } from '../core/messages/index.ts';
import { validationError } from '../core/validate.ts';

/**
 * The one place a domain error code becomes an HTTP status and a problem title (a catalogue key). A refusal
 * because of state (a recalled or expired lot, a reversal of a reversal) is 422: the request is well formed, the
 * state of the ledger forbids it. 412 is left to conditional requests (If-Match), which we do not use.
 */
export function httpStatusOf(code: ErrorCode): { status: ContentfulStatusCode; title: CatalogueKey } {
  switch (code) {
    case 'validation':
      return { status: 400, title: 'problem_validation' };
    case 'unauthorized':
      return { status: 401, title: 'problem_unauthorized' };
    case 'forbidden':
      return { status: 403, title: 'problem_forbidden' };
    case 'not_found':
      return { status: 404, title: 'problem_not_found' };
    case 'conflict':
      return { status: 409, title: 'problem_conflict' };
    case 'precondition_failed':
      return { status: 422, title: 'problem_precondition_failed' };
    case 'internal':
      return { status: 500, title: 'problem_internal' };
    default: {
      const unhandled: never = code;
      throw new Error(`unmapped error code ${String(unhandled)}`);
    }
  }
}

const reserved = new Set(['type', 'title', 'status', 'detail', 'instance', 'errors']);

/** An RFC 9457 problem body in the reader's language (Accept-Language; Italian by default). */
export function problemBody(c: HonoContext, error: DomainError, status: number = httpStatusOf(error.code).status) {
  const locale = pickLocale(c.req.header('accept-language'));
  const extensions = Object.fromEntries(Object.entries(error.context).filter(([name]) => !reserved.has(name)));
  return {
    type: `https://scorta.dev/problems/${error.key}`,
    title: render(httpStatusOf(error.code).title, locale),
    status,
    detail: error.localized(locale),
    instance: c.req.path,
    errors: error.fields,
    ...extensions,
  };
}

export function problemHeaders(c: HonoContext, status: number): Record<string, string> {
  const headers: Record<string, string> = {
    'Content-Type': 'application/problem+json',
    'Content-Language': pickLocale(c.req.header('accept-language')),
    Vary: 'Accept-Language',
  };
  if (status === 401) headers['WWW-Authenticate'] = 'Bearer realm="scorta"';
  return headers;
}

/** A problem+json response for a domain error. */
export function problemResponse(c: HonoContext, error: DomainError): Response {
  const { status } = httpStatusOf(error.code);
  return c.json(problemBody(c, error, status), status, problemHeaders(c, status));
}

/** The `defaultHook` of every router: a zod failure in body, query, path or headers names its fields. */
export function validationHook(result: { success: boolean; target: string; error?: ZodError }): void {
  if (!result.success && result.error) {
    throw validationError(result.error.issues, result.target === 'json' ? '(body)' : `(${result.target})`);
  }
}

/** Errors hono raises itself (malformed JSON, wrong media type) as domain errors; anything else is null. */
function fromHttpException(error: HTTPException): DomainError | null {
  switch (error.status) {
    case 400:
      return new DomainError('validation', 'validation', {
        fields: [{ field: '(body)', message: error.message || 'Malformed request body.' }],
      });
    case 415:
      return new DomainError('validation', 'validation', {
        fields: [{ field: 'content-type', message: 'Send the body as application/json.' }],
      });
    case 401:
      return new DomainError('unauthorized', 'unauthorized');
    default:
      return null;
  }
}

/** `app.onError`: domain errors become problems; anything unexpected is logged and is a bare 500. */
export function handleError(error: Error, c: HonoContext): Response {
  const domain =
    error instanceof DomainError ? error : error instanceof HTTPException ? fromHttpException(error) : null;
  if (domain && domain.code !== 'internal') return problemResponse(c, domain);
  console.error(`${c.req.method} ${c.req.path} failed:`, error);
  return problemResponse(c, domain ?? new DomainError('internal', 'internal'));
}

/** `app.notFound`: an unknown route is a problem too. */
export const handleNotFound = (c: HonoContext): Response => problemResponse(c, notFound('route', c.req.path));
