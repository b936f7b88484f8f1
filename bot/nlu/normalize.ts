/** One word of an utterance: `norm` is lower case without accents; `raw` as typed (for case and codes). */
export interface Token {
  norm: string;
  raw: string;
  /** Typed in capitals (PS, TI, ER): short ward abbreviations count only then or after a preposition. */
  upper: boolean;
  /** Split off a glued size ("10ml" → "10" + "ml", "ch14" → "ch" + "14"): never a quantity. */
  glued: boolean;
  /** A minus sign stood right before it ("-5"). */
  negative: boolean;
}

const elided = new Set(['l', 'dell', 'all', 'nell', 'dall', 'sull', 'un', 'c', 'quest', 'quell', 'd', 'n', 'po']);
const clitics = new Set(['s', 't', 're', 'll', 've', 'm', 'd']);

/** Lower case with accents removed: "Disponibilità" → "disponibilita". */
export function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
}

/**
 * Singular-ish stem for matching Italian and English plurals: siringhe/siringa → siring, gloves/glove → glov, aghi/ago
 * → ag.
 */
export function stem(word: string): string {
  if (word.length <= 2 || !/^[a-z]+$/.test(word)) return word;
  let w = word;
  if (w.length > 3 && w.endsWith('s') && !w.endsWith('ss')) w = w.slice(0, -1);
  w = w.replace(/[aeiou]+$/, '');
  if (w.endsWith('h') && w.length > 2) w = w.slice(0, -1);
  return w.length >= 2 ? w : word;
}

function splitGlued(part: string, raw: string, negative: boolean, out: Token[]) {
  const upper = /[A-Z]/.test(raw) && raw === raw.toUpperCase();
  const numberFirst = /^(\d+(?:\.\d+)?)([a-z]+)$/.exec(part);
  const lettersFirst = /^([a-z]{2,})(\d+(?:\.\d+)?)$/.exec(part);
  const pieces = numberFirst
    ? [numberFirst[1]!, numberFirst[2]!]
    : lettersFirst
      ? [lettersFirst[1]!, lettersFirst[2]!]
      : null;
  if (!pieces) {
    out.push({ norm: part, raw, upper, glued: false, negative });
    return;
  }
  for (const p of pieces) out.push({ norm: p, raw, upper, glued: true, negative: negative && /^\d/.test(p) });
}

/**
 * Splits text into tokens: accents and case folded, decimal commas read as points ("2,5" → "2.5"),
 * thousands points dropped ("1.000" → "1000"), hyphens and slashes split ("3/0" → "3", "0"), glued sizes
 * split, elided articles dropped ("dell'ICU" → "ICU") and a leading minus kept as a flag.
 */
export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  const source = text
    .normalize('NFC')
    .replace(/[’`´]/g, "'")
    .replace(/\b([cC])'\s?[eèEÈ](?![\p{L}])/gu, '$1e');
  const pattern = /(-?)([\p{L}\p{N}]+(?:[.,][\p{N}]+)*)('?)/gu;
  let previousClitic = false;
  for (const m of source.matchAll(pattern)) {
    const [, minus, word, apostrophe] = m;
    const start = m.index;
    const before = start > 0 ? source[start - 1] : ' ';
    const negative = minus === '-' && /\d/.test(word![0]!) && (start === 0 || /[\s(:]/.test(before!));
    let norm = fold(word!);
    if (/^\d{1,3}(\.\d{3})+$/.test(norm)) norm = norm.replace(/\./g, '');
    norm = norm.replace(/(\d),(\d)/g, '$1.$2');
    if (apostrophe && elided.has(norm)) {
      previousClitic = true;
      continue;
    }
    if (previousClitic && clitics.has(norm)) {
      previousClitic = false;
      continue;
    }
    previousClitic = apostrophe === "'";
    if (/^[a-z]+$/.test(norm) && apostrophe && clitics.has(norm)) continue;
    for (const piece of norm.split(/,/).filter(Boolean)) splitGlued(piece, word!, negative, out);
  }
  return out;
}

/** Words of a catalogue phrase, tokenised like an utterance (for names, synonyms, aliases). */
export function phraseWords(text: string): string[] {
  return tokenize(text).map((t) => t.norm);
}
