import type { Context } from '../../api/core/context.ts';
import type { ItemCandidate, Language, NluCatalogue, NluItem, NluLocation, ParseResult } from '../nlu/types.ts';

/** One parsed message of a linked user, with what the answering functions need. */
export interface Turn {
  ctx: Context;
  text: string;
  parsed: ParseResult;
  catalogue: NluCatalogue;
  language: Language;
}

/** An item's name in the reply language. */
export const itemName = (t: Turn, item: Pick<ItemCandidate, 'name' | 'nameEn'>) =>
  t.language === 'it' ? item.name : item.nameEn || item.name;

/** A location's name in the reply language. */
export const locationName = (t: Turn, location: Pick<NluLocation, 'name'> & { nameEn?: string | null }) =>
  t.language === 'en' && location.nameEn ? location.nameEn : location.name;

export const catalogueItem = (t: Turn, id: string): NluItem | undefined => t.catalogue.items.find((i) => i.id === id);
export const catalogueLocation = (t: Turn, id: string): NluLocation | undefined =>
  t.catalogue.locations.find((l) => l.id === id);
