import { stopWords } from './lexicon.ts';
import { fold, phraseWords, stem } from './normalize.ts';
import type { NluCatalogue, NluItem, NluLocation } from './types.ts';

export interface ItemEntry {
  item: NluItem;
  /** Each name and synonym as stems, stop words removed. */
  phrases: string[][];
  vocab: Set<string>;
}

export interface LocationEntry {
  location: NluLocation;
  /** Code, names and aliases as folded words (not stemmed: ward names are proper names). */
  phrases: string[][];
}

export interface CatalogueIndex {
  items: ItemEntry[];
  /** Stem → weight (inverse item frequency): rare words tell items apart, common ones ("ml") barely. */
  weights: Map<string, number>;
  vocabList: string[];
  byCode: Map<string, NluItem>;
  byGtin: Map<string, NluItem>;
  byId: Map<string, NluItem>;
  locations: LocationEntry[];
  locationWords: Set<string>;
  lots: Map<string, { lotCode: string; itemId: string }>;
  patients: Map<string, NluLocation>;
}

const cache = new WeakMap<NluCatalogue, CatalogueIndex>();

/** Words of a catalogue phrase as stems, stop words dropped (sizes and numbers kept). */
export function phraseStems(text: string): string[] {
  return phraseWords(text)
    .filter((w) => !stopWords.has(w) || /\d/.test(w))
    .map(stem);
}

/** The index of a catalogue, built once per snapshot object and cached (parsing stays allocation-light). */
export function indexCatalogue(catalogue: NluCatalogue): CatalogueIndex {
  const cached = cache.get(catalogue);
  if (cached) return cached;
  const items = catalogue.items.map((item) => {
    const phrases = [item.name, item.nameEn, ...item.synonyms].map(phraseStems).filter((p) => p.length > 0);
    return { item, phrases, vocab: new Set(phrases.flat()) };
  });
  const df = new Map<string, number>();
  for (const e of items) for (const w of e.vocab) df.set(w, (df.get(w) ?? 0) + 1);
  const n = Math.max(items.length, 1);
  const weights = new Map([...df].map(([w, d]) => [w, Math.log(1 + n / d)]));
  const locations = catalogue.locations
    .filter((l) => l.kind !== 'home' && l.kind !== 'transit')
    .map((location) => ({
      location,
      phrases: [location.code, location.name, location.nameEn ?? '', ...location.aliases]
        .map((p) => phraseWords(p))
        .map((words) => (words.length === 1 ? words : words.filter((w) => !stopWords.has(w) || /\d/.test(w))))
        .filter((p) => p.length > 0),
    }));
  const index: CatalogueIndex = {
    items,
    weights,
    vocabList: [...weights.keys()],
    byCode: new Map(catalogue.items.map((i) => [i.code.toLowerCase(), i])),
    byGtin: new Map(catalogue.items.filter((i) => i.gtin).map((i) => [i.gtin!.padStart(14, '0'), i])),
    byId: new Map(catalogue.items.map((i) => [i.id, i])),
    locations,
    locationWords: new Set(locations.flatMap((l) => l.phrases.flat())),
    lots: new Map((catalogue.lots ?? []).map((l) => [fold(l.lotCode), l])),
    patients: new Map(catalogue.locations.filter((l) => l.patientCode).map((l) => [l.patientCode!.toUpperCase(), l])),
  };
  cache.set(catalogue, index);
  return index;
}
