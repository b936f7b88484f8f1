import { isCatalogueKey, render } from '../../api/core/messages/index.ts';
import { stateLabel } from '../../api/core/messages/labels.ts';
import type { Language, Urgency } from '../nlu/types.ts';

/** "20 pezzi", "1 vial": a quantity with its unit said in words where the catalogue knows the unit. */
export function quantityText(n: number, unit: string, language: Language): string {
  const key = `unit_${unit.toLowerCase()}`;
  return isCatalogueKey(key) ? render(key, language, { count: n }) : `${n} ${unit}`;
}

/** An urgency in words, from the one catalogue of state labels. */
export const urgencyText = (u: Urgency, l: Language) => stateLabel('urgency', u, l);

export const helpText = (l: Language) => render('help_text', l);

/** The help, short enough to say aloud. */
export const helpSpeech = (l: Language) => render('help_speech', l);

/** Told to a chat account that is not linked to a Scorta user yet (both languages: we do not know theirs). */
export const unlinkedText = `${render('unlinked', 'it')}\n${render('unlinked', 'en')}`;

/** "collega ABCD-1234", "link abcd1234": the code, or null when the text is not a link command. */
export function linkCommand(text: string): string | null {
  const m = /^\s*(?:collega|link)\s+([A-Za-z0-9]{4}-?[A-Za-z0-9]{4})\s*$/i.exec(text);
  return m ? m[1]! : null;
}

/** "sì", "yes", "conferma", "confirm": an explicit yes. */
export const isYes = (text: string) =>
  /^\s*(s[iì]|yes|yep|conferma|confermo|confirm|ok|va bene)\s*[.!]?\s*$/i.test(text);
/** "no", "annulla", "cancel": an explicit no. */
export const isNo = (text: string) => /^\s*(no|nope|annulla|cancel|stop|lascia stare)\s*[.!]?\s*$/i.test(text);
