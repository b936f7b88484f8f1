import { languageMarkers } from './lexicon.ts';
import type { Token } from './normalize.ts';
import type { Language } from './types.ts';

/**
 * The language to reply in: the one with more marker words (function words, common verbs, domain words).
 * Mixed input goes to the dominant language; a tie goes to `fallback` (the user's profile language).
 */
export function detectLanguage(tokens: readonly Token[], fallback: Language = 'it'): Language {
  let it = 0;
  let en = 0;
  for (const t of tokens) {
    if (languageMarkers.it.has(t.norm)) it++;
    if (languageMarkers.en.has(t.norm)) en++;
  }
  if (it === en) return fallback;
  return it > en ? 'it' : 'en';
}
