import { parseGs1 } from '../../api/catalogue/gs1.ts';
import type { CatalogueIndex } from './catalogue-index.ts';
import { fold } from './normalize.ts';
import { findPatientCode, findRequestNumber } from './extract-numbers.ts';
import type { Gs1Slot, NluItem } from './types.ts';

export interface Codes {
  /** The text with every recognised code blanked out, for the word-level steps. */
  rest: string;
  gs1?: Gs1Slot;
  requestNumber?: string;
  patientCode?: string;
  lotCode?: string;
  /** An item named by its code or GTIN (exact). */
  item?: NluItem;
}

const sizeLike =
  /^(\d+(?:[.,]\d+)?(ml|mg|mcg|g|gr|kg|l|lt|cm|mm|ui|iu|cc|fr|kcal|bar)|(ch|fr|ffp|u|p|n|nr|k2)-?\d+(?:[.,]\d+)?|\d+g|\d+(?:[.,]\d+)?x\d+(?:[.,]\d+)?)$/i;

/**
 * Whether a raw word looks like a lot code: letters and at least three digits, not a size, a patient or an item code.
 */
function lotLike(word: string): boolean {
  if (word.length < 5 || word.length > 20 || !/^[A-Za-z0-9]+(?:[-/][A-Za-z0-9]+)*$/.test(word)) return false;
  if (!/[A-Za-z]/.test(word) || (word.match(/\d/g) ?? []).length < 3) return false;
  return !sizeLike.test(word) && !/^RIC-?\d/i.test(word) && !/^(P|PZ|PAZ|PT)-?\d{1,6}$/i.test(word);
}

/** Finds a GS1 element string in the text (human-readable with parentheses, or raw starting with AI 01). */
function findGs1(text: string, now: Date): { span: string; slot: Gs1Slot } | null {
  const candidates = [
    ...text.matchAll(/(?:\](?:d2|C1|Q3))?(?:\(\d{2,4}\)[^\s()]+)+/g),
    // biome-ignore lint/suspicious/noControlCharactersInRegex: GS1's group separator is a control character
    ...text.matchAll(/(?:\](?:d2|C1|Q3))?01\d{14}[0-9A-Za-z\u001d]*/g),
  ];
  for (const m of candidates) {
    const parsed = parseGs1(m[0], now);
    if (parsed.ok && (parsed.data.gtin || parsed.data.lot)) {
      const d = parsed.data;
      return {
        span: m[0],
        slot: {
          ...(d.gtin ? { gtin: d.gtin } : {}),
          ...(d.lot ? { lot: d.lot } : {}),
          ...(d.expiry ? { expiry: d.expiry } : {}),
          ...(d.serial ? { serial: d.serial } : {}),
        },
      };
    }
  }
  return null;
}

/**
 * Pulls the codes out of the raw text before it is tokenised: GS1 strings, patient codes (P-003, "pz 3",
 * "paziente 3", PZ-0042), request numbers (RIC-2026-000123, "ric 2026 12", "RIC 123", "123/2026",
 * "richiesta 45", "#87"), item codes, GTINs and lot codes (after "lotto", "lot", "batch", or shaped like one).
 */
export function extractCodes(text: string, index: CatalogueIndex, now: Date): Codes {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: GS1's group separator is a control character
  let rest = text.replace(/\u001d/g, ' \u001d ').replace(/ \u001d /g, '\u001d');
  const out: Codes = { rest };
  const blank = (span: string) => {
    rest = rest.replace(span, ' ');
  };
  const gs1 = findGs1(rest, now);
  if (gs1) {
    out.gs1 = gs1.slot;
    if (gs1.slot.lot) out.lotCode = gs1.slot.lot;
    if (gs1.slot.gtin) out.item = index.byGtin.get(gs1.slot.gtin);
    blank(gs1.span);
  }
  const blankAt = (found: { start: number; end: number }) => {
    rest = `${rest.slice(0, found.start)} ${rest.slice(found.end)}`;
  };
  const patient = findPatientCode(rest, index);
  if (patient) {
    out.patientCode = patient.code;
    blankAt(patient);
  }
  const request = findRequestNumber(rest, index, now);
  if (request) {
    out.requestNumber = request.code;
    blankAt(request);
  }
  const words = rest
    .split(/[\s,;:!?()"]+/)
    .map((w) => w.replace(/^[.']+|[.'?]+$/g, '').replace(/'s$/i, ''))
    .filter(Boolean);
  for (const w of words) {
    const code = index.byCode.get(w.toLowerCase());
    if (code && !out.item) {
      out.item = code;
      blank(w);
    } else if (/^\d{8}$|^\d{12,14}$/.test(w) && index.byGtin.has(w.padStart(14, '0')) && !out.item) {
      out.item = index.byGtin.get(w.padStart(14, '0'));
      blank(w);
    }
  }
  if (!out.lotCode) {
    const keyword =
      /\b(?:lott[oi]|lots?|batch(?:es)?)\b\s*(?:(?:n\.?|no\.?|nr\.?|numero|number|#|:)\s*)?([A-Za-z0-9]+(?:[-/][A-Za-z0-9]+)*)/i.exec(
        rest,
      );
    const byKeyword = keyword && /\d/.test(keyword[1]!) ? keyword[1]! : undefined;
    const shaped = words.find((w) => lotLike(w) && rest.includes(w));
    const lot = byKeyword ?? shaped;
    if (lot) {
      out.lotCode = index.lots.get(fold(lot))?.lotCode ?? lot.toUpperCase();
      blank(lot);
    }
  }
  if (out.lotCode && !out.item) {
    const known = index.lots.get(fold(out.lotCode));
    if (known) out.item = index.byId.get(known.itemId);
  }
  out.rest = rest;
  return out;
}
