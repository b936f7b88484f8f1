import { render, type Locale, type MessageKey } from './messages/index.ts';

/** The closed set of error codes every channel maps in one exhaustive switch. */
export const errorCodes = [
  'validation',
  'not_found',
  'conflict',
  'precondition_failed',
  'unauthorized',
  'forbidden',
  'internal',
] as const;
export type ErrorCode = (typeof errorCodes)[number];

export interface FieldIssue {
  /** Dotted path of the failing field, e.g. `lines.0.quantity`. */
  field: string;
  message: string;
}

/**
 * A domain error: a code, a message key with its parameters (rendered in Italian or English by each
 * channel), the failing fields, and context for machines (`InsufficientStock` carries lot, requested,
 * available).
 */
export class DomainError extends Error {
  readonly code: ErrorCode;
  readonly key: MessageKey;
  readonly params: Record<string, string | number>;
  readonly fields: FieldIssue[];
  readonly context: Record<string, unknown>;

  constructor(
    code: ErrorCode,
    key: MessageKey,
    options: {
      params?: Record<string, string | number>;
      fields?: FieldIssue[];
      context?: Record<string, unknown>;
    } = {},
  ) {
    const params = options.params ?? {};
    const fields = options.fields ?? [];
    super(
      render(key, 'en', params) +
        (fields.length ? ` (${fields.map((f) => `${f.field}: ${f.message}`).join('; ')})` : ''),
    );
    this.name = 'DomainError';
    this.code = code;
    this.key = key;
    this.params = params;
    this.fields = fields;
    this.context = options.context ?? {};
  }

  /** The message in the reader's language. */
  localized(locale: Locale): string {
    return render(this.key, locale, this.params);
  }
}

export const notFound = (entity: string, id: string) =>
  new DomainError('not_found', 'not_found', { params: { entity, id }, context: { entity, id } });

export const forbidden = (
  action: string,
  key: 'forbidden' | 'forbidden_platform' | 'forbidden_assistant' = 'forbidden',
) => new DomainError('forbidden', key, { params: { action }, context: { action } });

/**
 * A move the actor may make from its source but not into `location` (another ward, another organisation, in-transit).
 */
export const forbiddenDestination = (action: string, location: { id: string; code: string }) =>
  new DomainError('forbidden', 'forbidden_destination', {
    params: { action, location: location.code },
    fields: [{ field: 'toLocationId', message: `You are not allowed to ${action} into ${location.code}.` }],
    context: { action, toLocationId: location.id },
  });

export const invalid = (field: string, key: MessageKey, params: Record<string, string | number> = {}) =>
  new DomainError('validation', key, { params, fields: [{ field, message: render(key, 'en', params) }] });

export function insufficientStock(context: {
  lotId?: string;
  itemId: string;
  locationId: string;
  requested: number;
  available: number;
}) {
  return new DomainError('conflict', 'insufficient_stock', {
    params: { requested: context.requested, available: context.available },
    fields: [{ field: 'quantity', message: render('insufficient_stock', 'en', context) }],
    context,
  });
}
