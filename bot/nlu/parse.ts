import { indexCatalogue, type CatalogueIndex } from './catalogue-index.ts';
import { extractCodes } from './extract.ts';
import { wordSimilarity } from './fuzzy.ts';
import { classify, looksClinical, looksLikeInjection } from './intent.ts';
import { detectLanguage } from './language.ts';
import { intentCues, measureWords, periodDays, stopWords, unitWords, urgencyWords } from './lexicon.ts';
import { matchItems, ambiguityMargin } from './match-items.ts';
import { matchLocation } from './match-locations.ts';
import { stem, tokenize, type Token } from './normalize.ts';
import { articles, readNumber } from './numbers.ts';
import { findHorizon, findQuantity, findQueriedUnit, findUrgency } from './slots.ts';
import {
  writeIntents,
  type Intent,
  type Language,
  type NluCatalogue,
  type ParseResult,
  type SlotIssue,
  type SlotName,
  type Slots,
} from './types.ts';
import { checkQuantity, severalLines } from './validate-slots.ts';

export interface ParseOptions {
  /** Reply language when the text does not tell (the user's profile). */
  fallbackLanguage?: Language;
  /** Anchors GS1 two-digit years. */
  now?: Date;
}

/** Lexicon words never read as typos of item names ("order" is not "ordine", "stock" not "stocking"). */
const protectedWords = new Set<string>([
  ...Object.values(intentCues)
    .flatMap((c) => Object.keys(c))
    .filter((w) => !w.includes(' ')),
  ...Object.keys(unitWords),
  ...measureWords,
  ...Object.keys(urgencyWords),
  ...Object.keys(periodDays),
  'lotto',
  'lotti',
  'lot',
  'lots',
  'batch',
  'reparto',
  'reparti',
  'ward',
  'wards',
  'prossimi',
  'prossime',
  'entro',
  'within',
  'next',
  'please',
  'urgente',
]);

const patientWords = new Set(['paziente', 'pazienti', 'patient', 'patients']);

/** Words that alone never name an item (a pack, a unit of measure). */
const weakWords = new Set<string>([...Object.keys(unitWords), ...measureWords]);

const required: Partial<Record<Intent, SlotName[]>> = {
  request_items: ['item', 'quantity', 'location'],
  trace_lot: ['lotCode'],
  recall_lot: ['lotCode'],
  quarantine_lot: ['lotCode'],
  patient_supplies: ['patientCode'],
};

function itemWordTest(index: CatalogueIndex) {
  const seen = new Map<string, boolean>();
  return (t: Token) => {
    if (stopWords.has(t.norm) && !/\d/.test(t.norm)) return false;
    const s = stem(t.norm);
    if (index.weights.has(s)) return true;
    if (protectedWords.has(t.norm) || s.length < 4 || /\d/.test(s)) return false;
    if (!seen.has(s))
      seen.set(
        s,
        index.vocabList.some((v) => wordSimilarity(s, v) > 0),
      );
    return seen.get(s)!;
  };
}

/** Number words used as sizes ("siringhe da dieci ml") become digits, so they match item names. */
function sizesAsDigits(tokens: Token[]): Token[] {
  return tokens.map((t, i) => {
    if (/\d/.test(t.norm) || !measureWords.has(tokens[i + 1]?.norm ?? '')) return t;
    const n = readNumber(tokens, i);
    return n && n.end === i + 1 ? { ...t, norm: String(n.value) } : t;
  });
}

/**
 * Turns an Italian or English utterance into an intent and its slots, resolved against the catalogue
 * snapshot. Pure and synchronous: it never writes; write intents come back as proposals to confirm.
 */
export function parseUtterance(text: string, catalogue: NluCatalogue, options: ParseOptions = {}): ParseResult {
  const index = indexCatalogue(catalogue);
  const input = text.slice(0, 500);
  const allTokens = tokenize(input);
  const language = detectLanguage(allTokens, options.fallbackLanguage ?? 'it');
  const base = { language, missing: [], ambiguities: [], issues: [], requiresConfirmation: false };
  if (looksLikeInjection(input)) return { ...base, intent: 'out_of_scope', slots: {}, injection: true };

  const codes = extractCodes(input, index, options.now ?? new Date());
  const tokens = sizesAsDigits(tokenize(codes.rest));
  const used = new Set<number>();
  const location = matchLocation(tokens, used, index);
  if (location) for (const p of location.positions) used.add(p);
  const urgency = findUrgency(tokens, used);
  const horizonDays = findHorizon(tokens, used);
  const isItemWord = itemWordTest(index);
  const quantity = findQuantity(tokens, used, isItemWord);
  const queriedUnit = quantity.quantity === undefined ? findQueriedUnit(tokens, used) : undefined;
  // A unit word after the quantity also names the item ("8 sacche urine", "2 bombole di ossigeno").
  const unitPositions = new Set(quantity.positions.filter((p) => unitWords[tokens[p]!.norm] && isItemWord(tokens[p]!)));
  const itemUsed = new Set([...used].filter((p) => !unitPositions.has(p)));
  const items = codes.item ? null : matchItems(tokens, itemUsed, index, protectedWords, weakWords, unitPositions);
  const candidates = items?.candidates ?? [];
  const top = candidates[0];
  const close = top ? candidates.filter((c) => c.score >= top.score - ambiguityMargin) : [];
  const ambiguous = close.length > 1;
  // Clinical work about a patient is out of scope, unless the text is an order (an item and a quantity).
  const patientNamed = Boolean(codes.patientCode) || tokens.some((t) => patientWords.has(t.norm));
  if (patientNamed && looksClinical(input) && !(quantity.quantity !== undefined && (codes.item || top))) {
    return { ...base, intent: 'out_of_scope', slots: {}, clinical: true };
  }

  const { intent } = classify(tokens, {
    item: Boolean(codes.item || top),
    location: Boolean(location),
    quantity: quantity.quantity !== undefined,
    urgent: urgency === 'urgent' || urgency === 'emergency',
    lotCode: Boolean(codes.lotCode || codes.gs1),
    lotWord: tokens.some((t) => ['lotto', 'lotti', 'lot', 'lots', 'batch'].includes(t.norm)),
    requestNumber: Boolean(codes.requestNumber),
    patientCode: Boolean(codes.patientCode),
    horizon: horizonDays !== undefined,
  });

  const slots: Slots = {};
  if (codes.item)
    slots.item = {
      id: codes.item.id,
      code: codes.item.code,
      name: codes.item.name,
      nameEn: codes.item.nameEn,
      score: 1,
    };
  else if (top && !ambiguous) slots.item = top;
  if (candidates.length) slots.itemCandidates = candidates.slice(0, 5);
  let qty = quantity.quantity;
  if (intent === 'request_items' && qty === undefined && slots.item && items) {
    const first = Math.min(...items.positions);
    if (articles.has(tokens[first - 1]?.norm ?? '') || tokens[first - 1]?.norm === 'one') qty = 1;
  }
  if (intent === 'request_items' && qty !== undefined) slots.quantity = qty;
  const unit = quantity.unit ?? queriedUnit;
  if (unit && (intent === 'request_items' || intent === 'stock_query' || intent === 'patient_supplies'))
    slots.unit = unit;
  if (location)
    slots.location = {
      id: location.location.id,
      code: location.location.code,
      name: location.location.name,
      kind: location.location.kind,
    };
  if (urgency) slots.urgency = urgency;
  if (codes.lotCode) slots.lotCode = codes.lotCode;
  if (codes.gs1) slots.gs1 = codes.gs1;
  if (codes.requestNumber) slots.requestNumber = codes.requestNumber;
  if (horizonDays !== undefined && (intent === 'expiring' || intent === 'patient_supplies'))
    slots.horizonDays = horizonDays;
  if (codes.patientCode) slots.patientCode = codes.patientCode;

  if (intent === 'out_of_scope' || intent === 'help') return { ...base, intent, slots: {} };
  const missing = (required[intent] ?? []).filter((s) => {
    if (s === 'item') return !slots.item && !ambiguous;
    if (s === 'location') return !slots.location && !slots.patientCode;
    return slots[s] === undefined;
  });
  if (intent === 'stock_query' && !slots.item && !slots.location && !ambiguous) missing.push('item');
  const issues: SlotIssue[] =
    intent === 'request_items' && slots.quantity !== undefined ? checkQuantity(slots.quantity) : [];
  if (intent === 'request_items' && quantity.others > 0) issues.push(severalLines);
  return {
    ...base,
    intent,
    slots,
    missing,
    ambiguities: ambiguous ? [{ slot: 'item', candidates: close }] : [],
    issues,
    requiresConfirmation: writeIntents.includes(intent),
  };
}
