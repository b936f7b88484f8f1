import type { CatalogueIndex } from './catalogue-index.ts';
import { wordSimilarity } from './fuzzy.ts';
import { locationPrepositions, stopWords } from './lexicon.ts';
import { stem, type Token } from './normalize.ts';
import type { NluLocation } from './types.ts';

/** Words close to a ward's name that mean something else ("farmaci" are drugs, not the pharmacy). */
const notLocations = new Set([
  'farmaci',
  'farmaco',
  'farmacie',
  'medici',
  'medico',
  'medical',
  'chirurgica',
  'chirurgico',
  'chirurgiche',
  'chirurgici',
  'surgical',
]);

export interface LocationMatch {
  location: NluLocation;
  positions: number[];
  score: number;
}

function tokenMatches(t: Token, word: string, index: CatalogueIndex, short: boolean): number {
  if (t.norm === word) return 1;
  if (short || notLocations.has(t.norm) || t.norm.length < 6 || /\d/.test(t.norm)) return 0;
  if (index.weights.has(stem(t.norm)) && !index.locationWords.has(t.norm)) return 0;
  return wordSimilarity(t.norm, word);
}

/**
 * Finds the ward or store named in the text by code, Italian or English name or alias, allowing small
 * typos on longer words. Short abbreviations (PS, TI, ER) count only in capitals or after a preposition
 * ("nel ps", "for icu"). The longest match wins; a tie goes to the later one (the destination).
 */
export function matchLocation(
  tokens: readonly Token[],
  used: Set<number>,
  index: CatalogueIndex,
): LocationMatch | null {
  let best: LocationMatch | null = null;
  for (const entry of index.locations) {
    for (const phrase of entry.phrases) {
      const short = phrase.length === 1 && phrase[0]!.length <= 4;
      for (let i = 0; i < tokens.length; i++) {
        if (used.has(i)) continue;
        const positions: number[] = [];
        let quality = 0;
        let j = i;
        for (const word of phrase) {
          while (
            positions.length > 0 &&
            j < tokens.length &&
            !used.has(j) &&
            stopWords.has(tokens[j]!.norm) &&
            tokens[j]!.norm !== word
          )
            j++;
          const t = tokens[j];
          if (!t || used.has(j)) break;
          const q = tokenMatches(t, word, index, short);
          if (q === 0) break;
          positions.push(j);
          quality += q;
          j++;
        }
        if (positions.length !== phrase.length) continue;
        if (short) {
          const t = tokens[i]!;
          const previous = tokens[i - 1]?.norm;
          if (!t.upper && !(previous && locationPrepositions.has(previous))) continue;
        }
        const score = phrase.length * 2 + quality;
        if (!best || score > best.score || (score === best.score && i > best.positions[0]!))
          best = { location: entry.location, positions, score };
      }
    }
  }
  return best;
}
