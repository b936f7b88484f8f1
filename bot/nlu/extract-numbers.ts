import type { CatalogueIndex } from './catalogue-index.ts';
import { measureWords, unitWords } from './lexicon.ts';
import { stem, tokenize } from './normalize.ts';
import { readNumber } from './numbers.ts';

/** A code found in the raw text: where it stands (to blank it) and its canonical form. */
export interface FoundCode {
  start: number;
  end: number;
  code: string;
}

/** Abbreviations people put before a patient's number: P-003, PZ-0042, "pz 3", "paz. 5", "pt 2". */
const patientShape = /(?<![\p{L}\p{N}-])(PAZ|PZ|PT|P)(-|\.\s?|\s+)?(\d{1,6})(?![\p{L}\p{N}]|[.,]\d)/giu;
/** Words that announce a patient's number: "paziente 42", "patient number 3", "patient #4". */
const patientWord = /(?<![\p{L}])(?:pazient[ei]|patients?)(?![\p{L}])/giu;
const numberMarker = /^\s*(?:(?:numero|number|num\.?|nr\.?|n\.|no\.)\s*|#\s*)?/iu;

/** Text ending with "lotto", "lot n.", "batch #": the code that follows is a lot's, whatever its shape. */
const afterLotWord = (before: string) =>
  /\b(lott[oi]|lots?|batch(es)?)\s*(n\.?|no\.?|nr\.?|numero|number|#|:)?\s*$/i.test(before);

/** The catalogue's patient code style (prefix, hyphen, digits), from its first patient; P-001 when it has none. */
function patientStyle(index: CatalogueIndex): { prefix: string; hyphen: string; width: number } {
  const first = [...index.patients.keys()].sort()[0] ?? 'P-001';
  const m = /^([A-Z]+)(-?)(\d+)$/.exec(first);
  return m ? { prefix: m[1]!, hyphen: m[2]!, width: m[3]!.length } : { prefix: 'P', hyphen: '-', width: 3 };
}

/**
 * The catalogue's code for a typed patient reference: the exact code, else the one patient with the same
 * number ("pz 3", "P3", "paziente 3" → P-003). An unknown number keeps its own prefix when it has another one
 * (PZ-0042) and otherwise takes the catalogue's style (P-77 → P-077), so the adapter can name it as unknown.
 */
export function resolvePatientCode(prefix: string | undefined, digits: string, index: CatalogueIndex): string {
  const typed = prefix ? `${prefix.toUpperCase()}-${digits}` : undefined;
  const exact = typed ? (index.patients.get(typed) ?? index.patients.get(typed.replace('-', ''))) : undefined;
  if (exact) return exact.patientCode!;
  const same = [...index.patients.values()].filter(
    (l) => Number(/(\d+)$/.exec(l.patientCode!)?.[1]) === Number(digits),
  );
  if (same.length === 1) return same[0]!.patientCode!;
  const style = patientStyle(index);
  if (typed && prefix!.toUpperCase() !== style.prefix) return typed;
  return `${style.prefix}${style.hyphen}${String(Number(digits)).padStart(style.width, '0')}`;
}

/**
 * A patient code typed as a code (P-003, PZ-0042, "pz 3") or as a number after "paziente"/"patient" (digits or words).
 */
export function findPatientCode(text: string, index: CatalogueIndex): FoundCode | null {
  for (const m of text.matchAll(patientShape)) {
    const [, prefix, separator, digits] = m;
    const upper = prefix!.toUpperCase();
    // "P 3" is too loose, and "20 pz 5 ml" is twenty pieces: the unit, not a patient.
    if (upper === 'P' && ((separator && separator.trim() !== '-') || (!separator && digits!.length > 4))) continue;
    if (afterLotWord(text.slice(0, m.index))) continue;
    if (upper !== 'P' && /\d\s*$/.test(text.slice(0, m.index))) continue;
    return { start: m.index, end: m.index + m[0].length, code: resolvePatientCode(prefix, digits!, index) };
  }
  for (const m of text.matchAll(patientWord)) {
    const after = m.index + m[0].length;
    const marker = numberMarker.exec(text.slice(after))![0];
    const from = after + marker.length;
    const words = [...text.slice(from).matchAll(/[\p{L}\p{N}]+/gu)].slice(0, 6);
    if (words.length === 0 || words[0]!.index !== 0) continue;
    const tokens = words.flatMap((w) =>
      tokenize(w[0])
        .slice(0, 1)
        .map((t) => ({ ...t, end: from + w.index + w[0].length })),
    );
    const n = readNumber(tokens, 0);
    if (!n || !Number.isInteger(n.value) || n.value <= 0 || n.value >= 1_000_000) continue;
    return { start: after, end: tokens[n.end - 1]!.end, code: resolvePatientCode(undefined, String(n.value), index) };
  }
  return null;
}

const requestNumber = (year: number | string, n: string) => `RIC-${year}-${String(Number(n)).padStart(6, '0')}`;

/**
 * Whether the words right after a number name an item, a unit or a size ("richiesta 20 guanti", "request 10
 * boxes", "request 10 5 ml syringes" are quantities, not request numbers). Punctuation right after ends it.
 */
function itemFollows(after: string, index: CatalogueIndex): boolean {
  if (/^\s*[?!.,;:]/.test(after)) return false;
  const next = tokenize(after.slice(0, 80));
  let k = ['di', 'of', 'da'].includes(next[0]?.norm ?? '') ? 1 : 0;
  if (/^\d/.test(next[k]?.norm ?? '')) k++;
  const word = next[k]?.norm;
  return word !== undefined && (Boolean(unitWords[word]) || measureWords.has(word) || index.weights.has(stem(word)));
}

/**
 * A ward request number as people type it: RIC-2026-000123, "ric 2026 12", "RIC 123", "ric123", "123/2026",
 * "richiesta 45", "request no. 45", "#87". Without a year it is this year's (`now`, UTC, as the numbering).
 */
export function findRequestNumber(text: string, index: CatalogueIndex, now: Date): FoundCode | null {
  const year = now.getUTCFullYear();
  const full = /\bRIC[\s\-_./]*(20\d{2})[\s\-_./]*(\d{1,6})\b/i.exec(text);
  if (full) return { start: full.index, end: full.index + full[0].length, code: requestNumber(full[1]!, full[2]!) };
  const short = /\bRIC[\s\-_./#]*(?:(?:n|nr|no|num)\.?\s*)?(\d{1,6})\b/i.exec(text);
  if (short) return { start: short.index, end: short.index + short[0].length, code: requestNumber(year, short[1]!) };
  const wordBefore = (at: number) =>
    /\b(richiest[ae]|requests?|req|ric|ordine|order|pratica)\W*$/i.test(text.slice(0, at));
  for (const m of text.matchAll(/(?<![\d/.,])(\d{1,6})\s*\/\s*(20\d{2})(?![\d/])/g)) {
    // "10/2026" may be a month: only a number past 12, or one after "richiesta"/"request", is a request.
    if (Number(m[1]) > 12 || wordBefore(m.index))
      return { start: m.index, end: m.index + m[0].length, code: requestNumber(m[2]!, m[1]!) };
  }
  for (const m of text.matchAll(
    /\b(?:richiesta|request|req)\.?(\s*(?:(?:n|nr|no|num|numero|number)\.?\s*|#\s*)?)(\d{1,6})\b(?![.,/]\d)/gi,
  )) {
    const end = m.index + m[0].length;
    if (itemFollows(text.slice(end), index)) continue;
    return { start: end - m[1]!.length - m[2]!.length, end, code: requestNumber(year, m[2]!) };
  }
  for (const m of text.matchAll(/(?<![\p{L}\p{N}#])#\s*(\d{1,6})(?![\p{L}\p{N}])/gu)) {
    if (afterLotWord(text.slice(0, m.index))) continue;
    return { start: m.index, end: m.index + m[0].length, code: requestNumber(year, m[1]!) };
  }
  return null;
}
