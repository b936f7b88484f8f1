import { z } from '@hono/zod-openapi';
import { IdempotencyKey } from '../stock/schemas.ts';

/** Response shapes travel in JSON with timestamps as ISO strings and prices as decimal strings. */
export const Timestamp = z.string().openapi({ format: 'date-time', example: '2026-11-23T09:00:00.000Z' });
export const Decimal = z.string().openapi({ example: '0.0500' });

/** RFC 9457 problem details, with the failing fields and the error's context as extension members. */
export const Problem = z
  .object({
    type: z.string().openapi({ example: 'https://scorta.dev/problems/insufficient_stock' }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string().optional(),
    errors: z.array(z.object({ field: z.string().openapi({ example: 'lines.0.quantity' }), message: z.string() })),
  })
  .catchall(z.unknown())
  .openapi('Problem');

export const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: Problem } },
});

/** Errors any authenticated read may answer with. */
export const readErrors = {
  400: problem('Richiesta non valida · Invalid request (the failing fields are named)'),
  401: problem('Token mancante o non valido · Missing or invalid token'),
  403: problem('Non permesso a questo utente · Not allowed for this user'),
  404: problem('Non trovato · Not found'),
} as const;

/** Errors any write may answer with. */
export const writeErrors = {
  ...readErrors,
  409: problem(
    'Conflitto (giacenza insufficiente, duplicato, chiave di idempotenza riusata) · ' +
      'Conflict (insufficient stock, duplicate, reused idempotency key)',
  ),
  422: problem(
    'Impedito dallo stato (lotto richiamato, scaduto, in quarantena) · ' +
      'Refused by state (recalled, expired, quarantined lot)',
  ),
} as const;

export const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

/** The 200 of a write retried with a known idempotency key: the stored result, marked as a replay. */
export const replayed = <T extends z.ZodType>(schema: T) => ({
  ...json(
    schema,
    'Ripetizione con una chiave nota: il risultato registrato · ' +
      'A retry with a known idempotency key: the stored result',
  ),
  headers: {
    'Idempotent-Replayed': {
      description: 'Sempre `true` · Always `true`',
      schema: { type: 'string' as const, enum: ['true'] },
    },
  },
});

export const jsonBody = <T extends z.ZodType>(schema: T) => ({
  required: true,
  content: { 'application/json': { schema } },
});

/** A page of a list: `nextCursor` is passed back as `cursor` for the next page, null on the last. */
export const page = <T extends z.ZodType>(item: T) =>
  z.object({ data: z.array(item), nextCursor: z.string().nullable() });

/** A query-string boolean: exactly `true` or `false` (`z.coerce.boolean()` would read 'false' as true). */
export const QueryBoolean = z.stringbool({ truthy: ['true'], falsy: ['false'] }).openapi({ type: 'boolean' });

export const UuidParam = z.object({ id: z.uuid().openapi({ param: { name: 'id', in: 'path' } }) });

/**
 * The `Idempotency-Key` header of retried writes. It may also be sent as `idempotencyKey` in the body;
 * when both are sent they must be equal, otherwise the request is refused (400) rather than guessed.
 */
export const IdempotencyHeaders = z.object({
  'idempotency-key': IdempotencyKey.optional().openapi({
    description:
      'Chiave di idempotenza (in alternativa a `idempotencyKey` nel corpo; se entrambe, devono coincidere) · ' +
      'Idempotency key (or `idempotencyKey` in the body; if both, they ' +
      'must match). A retry returns 200 with `Idempotent-Replayed: true`.',
  }),
});

/** A number in the query string, checked by the core's own schema (its bounds and default stay there). */
export const queryNumber = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() !== '' ? Number(v) : v), schema);

/**
 * A list in the query string, comma-separated (`?ids=a,b`), repeated (`?ids=a&ids=b`) or both, checked by the core's
 * schema.
 */
export const queryList = <T extends z.ZodType>(schema: T) =>
  z.preprocess(
    (v) =>
      v === undefined
        ? v
        : [v]
            .flat()
            .flatMap((s) => String(s).split(','))
            .map((s) => s.trim())
            .filter(Boolean),
    schema,
  );

/** A printable document: a self-contained HTML page. */
export const htmlPage = (description: string) => ({ description, content: { 'text/html': { schema: z.string() } } });
