import { gtinCheckDigit } from './gtin.ts';
import { DomainError } from '../core/errors.ts';
import { render } from '../core/messages/index.ts';

/**
 * GS1 element strings as printed on medicine and device packs (GS1 DataMatrix `]d2`, GS1-128 `]C1`),
 * in human-readable form — `(01)08012345678907(17)281231(10)L123(21)S1` — or raw, where a variable-length
 * field ends with the group separator (FNC1, U+001D) or at the end of the string. RFID EPCs: `epc.ts`.
 *
 * Errors are data, not exceptions: every parser returns `{ ok: true, data }` or `{ ok: false, error }`, the
 * error naming its code, the AI at fault and a message in English and Italian. Channels that want an
 * exception wrap it with `gs1Failure` (a `DomainError('validation')` naming the field).
 */

type Format = 'check' | 'date' | 'n' | 'an';
interface AiSpec {
  format: Format;
  /** Exact length for predefined-length AIs, maximum otherwise. */
  length: number;
  /** Predefined length (GS1 General Specifications figure 7.8.5-2): needs no separator after it. */
  fixed: boolean;
}

const fixed = (format: Format, length: number): AiSpec => ({ format, length, fixed: true });
const variable = (format: Format, length: number): AiSpec => ({ format, length, fixed: false });

/** The application identifiers Scorta reads: what healthcare packs and logistic units carry. */
export const applicationIdentifiers: Record<string, AiSpec> = {
  '00': fixed('check', 18), // SSCC
  '01': fixed('check', 14), // GTIN
  '02': fixed('check', 14), // GTIN of contained trade items (with 37)
  '10': variable('an', 20), // batch / lot
  '11': fixed('date', 6), // production date
  '12': fixed('date', 6), // due date
  '13': fixed('date', 6), // packaging date
  '15': fixed('date', 6), // best before
  '16': fixed('date', 6), // sell by
  '17': fixed('date', 6), // expiry (use by)
  '20': fixed('n', 2), // internal product variant
  '21': variable('an', 20), // serial number
  '22': variable('an', 20), // consumer product variant
  '30': variable('n', 8), // variable count
  '37': variable('n', 8), // count of trade items contained
  '240': variable('an', 30), // additional product identification
  '241': variable('an', 30), // customer part number
  '250': variable('an', 30), // secondary serial number
  '710': variable('an', 20), // national healthcare reimbursement numbers (DE, FR, ES, BR, PT, US)
  '711': variable('an', 20),
  '712': variable('an', 20),
  '713': variable('an', 20),
  '714': variable('an', 20),
  '715': variable('an', 20),
};

export const groupSeparator = '\u001d';
const leadingSeparators = new RegExp(`^${groupSeparator}+`);
/** GS1 DataMatrix, GS1-128, GS1 QR, GS1 DataBar and EAN/UPC symbology identifiers a scanner may prefix. */
const symbologyPrefix = /^\](d2|C1|Q3|e0|E0)/;
/** GS1 AI encodable character set 82. */
const charset82 = /^[!"%&'()*+,\-./0-9:;<=>?A-Z_a-z]+$/;

export const gs1ErrorCodes = [
  'empty',
  'syntax',
  'unknown_ai',
  'wrong_length',
  'missing_separator',
  'not_numeric',
  'invalid_characters',
  'bad_check_digit',
  'bad_date',
  'duplicate_ai',
  'no_gtin',
  'not_epc',
  'bad_epc',
] as const;
export type Gs1ErrorCode = (typeof gs1ErrorCodes)[number];

export interface Gs1Error {
  code: Gs1ErrorCode;
  /** The application identifier at fault, when there is one. */
  ai: string | null;
  message: string;
  messageIt: string;
}

/** A GS1 parsing error with its message in English and Italian. */
export function gs1Error(
  code: Gs1ErrorCode,
  ai: string | null,
  params: Record<string, string | number> = {},
): Gs1Error {
  const values = { ...params, ai: ai ?? '' };
  return { code, ai, message: render(`gs1_${code}`, 'en', values), messageIt: render(`gs1_${code}`, 'it', values) };
}

export interface Gs1Element {
  ai: string;
  value: string;
}

/** What a pack's code says, with dates as ISO calendar dates (day 00 resolved to the month's last day). */
export interface Gs1Data {
  elements: Gs1Element[];
  sscc?: string;
  gtin?: string;
  content?: string;
  lot?: string;
  serial?: string;
  expiry?: string;
  productionDate?: string;
  count?: number;
}

export type Gs1Result = { ok: true; data: Gs1Data } | { ok: false; error: Gs1Error };

/**
 * The year of a two-digit GS1 year, by the sliding window of the General Specifications (7.12): relative to
 * the reference year, 51–99 years ahead means the previous century, 50–99 years behind the next one.
 */
export function gs1Year(yy: number, referenceYear: number): number {
  const current = referenceYear % 100;
  const century = referenceYear - current;
  const difference = yy - current;
  if (difference >= 51) return century - 100 + yy;
  if (difference <= -50) return century + 100 + yy;
  return century + yy;
}

/** A YYMMDD field as an ISO date, or null when it is not a date. Day 00 is the last day of the month. */
export function gs1Date(yymmdd: string, referenceYear: number): string | null {
  if (!/^\d{6}$/.test(yymmdd)) return null;
  const [yy, mm, dd] = [0, 2, 4].map((i) => Number(yymmdd.slice(i, i + 2))) as [number, number, number];
  if (mm < 1 || mm > 12) return null;
  const year = gs1Year(yy, referenceYear);
  const last = new Date(Date.UTC(year, mm, 0)).getUTCDate();
  if (dd > last) return null;
  return `${year}-${String(mm).padStart(2, '0')}-${String(dd === 0 ? last : dd).padStart(2, '0')}`;
}

function checkValue(ai: string, spec: AiSpec, value: string, year: number): Gs1Error | null {
  if (spec.fixed && value.length !== spec.length)
    return gs1Error('wrong_length', ai, { found: value.length, expected: spec.length });
  if (!spec.fixed && value.length === 0)
    return gs1Error('wrong_length', ai, { found: 0, expected: `1–${spec.length}` });
  if (!spec.fixed && value.length > spec.length) return gs1Error('missing_separator', ai, { max: spec.length });
  if (spec.format === 'an') return charset82.test(value) ? null : gs1Error('invalid_characters', ai, { value });
  if (!/^\d+$/.test(value)) return gs1Error('not_numeric', ai, { value });
  if (spec.format === 'check' && gtinCheckDigit(value.slice(0, -1)) !== Number(value.at(-1))) {
    return gs1Error('bad_check_digit', ai, { value, expected: gtinCheckDigit(value.slice(0, -1)) });
  }
  if (spec.format === 'date' && gs1Date(value, year) === null) return gs1Error('bad_date', ai, { value });
  return null;
}

function specAt(s: string, pos: number): [string, AiSpec] | null {
  for (const n of [2, 3, 4]) {
    const ai = s.slice(pos, pos + n);
    const spec = applicationIdentifiers[ai];
    if (spec) return [ai, spec];
  }
  return null;
}

function splitRaw(s: string): Gs1Element[] | Gs1Error {
  const out: Gs1Element[] = [];
  let pos = 0;
  while (pos < s.length) {
    if (s[pos] === groupSeparator) {
      pos++;
      continue;
    }
    const found = specAt(s, pos);
    if (!found) return gs1Error('unknown_ai', null, { value: s.slice(pos, pos + 4) });
    const [ai, spec] = found;
    pos += ai.length;
    const end = spec.fixed
      ? Math.min(pos + spec.length, s.length)
      : s.indexOf(groupSeparator, pos) === -1
        ? s.length
        : s.indexOf(groupSeparator, pos);
    const value = s.slice(pos, end);
    if (spec.fixed && value.includes(groupSeparator))
      return gs1Error('wrong_length', ai, { found: value.indexOf(groupSeparator), expected: spec.length });
    out.push({ ai, value });
    pos = end;
  }
  return out;
}

function splitReadable(s: string): Gs1Element[] | Gs1Error {
  const out: Gs1Element[] = [];
  const pattern = /\((\d{2,4})\)([^()]*)/y;
  for (let pos = 0; pos < s.length; pos = pattern.lastIndex) {
    pattern.lastIndex = pos;
    const match = pattern.exec(s);
    if (!match) return gs1Error('syntax', null, { position: pos + 1 });
    if (!applicationIdentifiers[match[1]!]) return gs1Error('unknown_ai', null, { value: `(${match[1]})` });
    out.push({ ai: match[1]!, value: match[2]! });
  }
  return out;
}

/**
 * Parses a GS1 element string (human-readable with parentheses, or raw with group separators and an
 * optional symbology identifier). `reference` anchors two-digit years (GS1 sliding window).
 */
export function parseGs1(input: string, reference: Date): Gs1Result {
  const s = input.trim().replace(symbologyPrefix, '').replace(leadingSeparators, '');
  if (s.length === 0) return { ok: false, error: gs1Error('empty', null) };
  const split = s.startsWith('(')
    ? splitReadable(s)
    : /^\d/.test(s)
      ? splitRaw(s)
      : gs1Error('syntax', null, { position: 1 });
  if (!Array.isArray(split)) return { ok: false, error: split };
  const year = reference.getUTCFullYear();
  const data: Gs1Data = { elements: [] };
  for (const { ai, value } of split) {
    const error = checkValue(ai, applicationIdentifiers[ai]!, value, year);
    if (error) return { ok: false, error };
    const seen = data.elements.find((e) => e.ai === ai);
    if (seen && seen.value !== value) return { ok: false, error: gs1Error('duplicate_ai', ai) };
    if (seen) continue;
    data.elements.push({ ai, value });
    if (ai === '00') data.sscc = value;
    if (ai === '01') data.gtin = value;
    if (ai === '02') data.content = value;
    if (ai === '10') data.lot = value;
    if (ai === '21') data.serial = value;
    if (ai === '17') data.expiry = gs1Date(value, year)!;
    if (ai === '11') data.productionDate = gs1Date(value, year)!;
    if (ai === '30' || ai === '37') data.count = Number(value);
  }
  return { ok: true, data };
}

/** The human-readable form of elements, in AI order: one spelling per pack, whatever the scanner sent. */
export function formatGs1(elements: Gs1Element[]): string {
  return [...elements]
    .sort((a, b) => a.ai.localeCompare(b.ai))
    .map((e) => `(${e.ai})${e.value}`)
    .join('');
}

/** A GS1 error as the core's validation error naming `field` (for actions that throw); both texts in `context`. */
export function gs1Failure(error: Gs1Error, field: string): DomainError {
  return new DomainError('validation', 'validation', {
    fields: [{ field, message: error.message }],
    context: { gs1: error },
  });
}
