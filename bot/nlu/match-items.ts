import type { CatalogueIndex } from './catalogue-index.ts';
import { wordSimilarity } from './fuzzy.ts';
import { stopWords } from './lexicon.ts';
import { stem, type Token } from './normalize.ts';
import type { ItemCandidate } from './types.ts';

/** Below this score nothing is taken as an item. */
export const itemThreshold = 0.5;
/** Candidates this close to the best one make the item ambiguous: ask, do not guess. */
export const ambiguityMargin = 0.1;
/** The utterance must cover at least this share of one of the item's names or synonyms. */
export const minPhraseCover = 0.3;

/**
 * A word that can name an item on its own: three letters or more, or letters with digits ("o2", "d5w"); not "m", "ev"
 * or "20".
 */
const namesSomething = (word: string) =>
  /^[a-z]+$/.test(word) ? word.length >= 3 : /[a-z]/.test(word) && word.length >= 2;

interface WordMatch {
  position: number;
  /** Matched vocabulary stems with their quality (1 exact, 0.8 within the typo budget). */
  stems: Map<string, number>;
  weight: number;
}

export interface ItemMatch {
  candidates: ItemCandidate[];
  /** Token positions that matched the best candidate. */
  positions: number[];
}

function wordMatches(
  t: Token,
  position: number,
  index: CatalogueIndex,
  protectedWords: ReadonlySet<string>,
): WordMatch | null {
  if (stopWords.has(t.norm) && !/\d/.test(t.norm)) return null;
  const s = stem(t.norm);
  const exact = index.weights.get(s);
  if (exact !== undefined) return { position, stems: new Map([[s, 1]]), weight: exact };
  if (protectedWords.has(t.norm) || s.length < 4 || /\d/.test(s)) return null;
  const stems = new Map<string, number>();
  let weight = 0;
  for (const v of index.vocabList) {
    const q = wordSimilarity(s, v);
    if (q > 0) {
      stems.set(v, q);
      weight = Math.max(weight, index.weights.get(v)! * q);
    }
  }
  return stems.size ? { position, stems, weight } : null;
}

/**
 * Scores every item against the words left in the utterance: how much of the utterance the item explains
 * and how much of its best name or synonym the utterance covers, both weighted by word rarity (a size like
 * "10" or "M" weighs more than "ml"). Returns candidates above the threshold, best first.
 */
export function matchItems(
  tokens: readonly Token[],
  used: ReadonlySet<number>,
  index: CatalogueIndex,
  protectedWords: ReadonlySet<string>,
  weakWords: ReadonlySet<string>,
  optional: ReadonlySet<number> = new Set(),
): ItemMatch {
  const words: WordMatch[] = [];
  tokens.forEach((t, i) => {
    if (used.has(i)) return;
    const m = wordMatches(t, i, index, protectedWords);
    if (m) words.push(m);
  });
  if (words.length === 0) return { candidates: [], positions: [] };
  // Optional words (a unit word after the quantity) count for an item that has them and against none.
  const total = words.reduce((sum, w) => sum + (optional.has(w.position) ? 0 : w.weight), 0);
  const scored: { candidate: ItemCandidate; positions: number[] }[] = [];
  for (const entry of index.items) {
    let explained = 0;
    let extra = 0;
    let strong = false;
    const positions: number[] = [];
    const matched = new Map<string, number>();
    for (const w of words) {
      let best = 0;
      for (const [s, q] of w.stems) {
        if (!entry.vocab.has(s)) continue;
        best = Math.max(best, q);
        matched.set(s, Math.max(matched.get(s) ?? 0, q));
      }
      if (best > 0) {
        explained += w.weight * best;
        if (optional.has(w.position)) extra += w.weight;
        if (!weakWords.has(tokens[w.position]!.norm) && namesSomething(tokens[w.position]!.norm)) strong = true;
        positions.push(w.position);
      }
    }
    if (explained === 0 || !strong) continue;
    let phraseCover = 0;
    for (const phrase of entry.phrases) {
      let have = 0;
      let all = 0;
      for (const s of phrase) {
        const weight = index.weights.get(s)!;
        all += weight;
        have += weight * (matched.get(s) ?? 0);
      }
      phraseCover = Math.max(phraseCover, all ? have / all : 0);
    }
    // A word or two of a long name ("uso" in "… per uso endovenoso") is not a mention of the item.
    if (phraseCover < minPhraseCover) continue;
    const score = 0.55 * (explained / Math.max(total + extra, 1e-9)) + 0.45 * phraseCover;
    const { id, code, name, nameEn } = entry.item;
    scored.push({ candidate: { id, code, name, nameEn, score: Math.round(score * 1000) / 1000 }, positions });
  }
  scored.sort((a, b) => b.candidate.score - a.candidate.score || a.candidate.code.localeCompare(b.candidate.code));
  const kept = scored.filter((s) => s.candidate.score >= itemThreshold).slice(0, 6);
  return { candidates: kept.map((s) => s.candidate), positions: kept[0]?.positions ?? [] };
}
