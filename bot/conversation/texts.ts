import { stateLabel } from '../../api/core/labels.ts';
import type { Language, Urgency } from '../nlu/types.ts';

const unitNames: Record<string, { it: [string, string]; en: [string, string] }> = {
  pz: { it: ['pezzo', 'pezzi'], en: ['piece', 'pieces'] },
  fl: { it: ['fiala', 'fiale'], en: ['vial', 'vials'] },
  conf: { it: ['confezione', 'confezioni'], en: ['pack', 'packs'] },
  fiala: { it: ['fiala', 'fiale'], en: ['ampoule', 'ampoules'] },
  cf: { it: ['confezione', 'confezioni'], en: ['pack', 'packs'] },
  paio: { it: ['paio', 'paia'], en: ['pair', 'pairs'] },
  l: { it: ['litro', 'litri'], en: ['litre', 'litres'] },
  ui: { it: ['unità', 'unità'], en: ['unit', 'units'] },
  sacca: { it: ['sacca', 'sacche'], en: ['bag', 'bags'] },
  flacone: { it: ['flacone', 'flaconi'], en: ['bottle', 'bottles'] },
  cpr: { it: ['compressa', 'compresse'], en: ['tablet', 'tablets'] },
  rotolo: { it: ['rotolo', 'rotoli'], en: ['roll', 'rolls'] },
  bombola: { it: ['bombola', 'bombole'], en: ['cylinder', 'cylinders'] },
};

/** "20 pezzi", "1 vial": a quantity with its unit said in words where the unit is known. */
export function quantityText(n: number, unit: string, language: Language): string {
  const names = unitNames[unit.toLowerCase()]?.[language];
  return `${n} ${names ? names[n === 1 ? 0 : 1] : unit}`;
}

/** An urgency in words, from the one catalogue of state labels. */
export const urgencyText = (u: Urgency, l: Language) => stateLabel('urgency', u, l);

/** Picks the Italian or the English text. */
export const tr = (l: Language, it: string, en: string) => (l === 'it' ? it : en);

export const helpText = (l: Language) =>
  tr(
    l,
    'Posso dirti le giacenze ("quanti guanti M in cardiologia?"), ordinare per il tuo reparto ("ordina 20 guanti M per cardiologia, urgente": ti chiedo sempre conferma), tracciare un lotto ("dov\'è il lotto A23B117?"), dirti cosa scade ("cosa scade entro 30 giorni in cardiologia?") e a che punto è una richiesta ("RIC-2026-000123").',
    'I can tell you stock ("how many M gloves in cardiology?"), order for your ward ("order 20 M gloves for cardiology, urgent": I always ask you to confirm), trace a lot ("where is lot A23B117?"), tell you what expires ("what expires in 30 days in cardiology?") and where a request stands ("RIC-2026-000123").',
  );

/** The help, short enough to say aloud. */
export const helpSpeech = (l: Language) =>
  tr(
    l,
    'Posso dirti le giacenze, ordinare per il tuo reparto con la tua conferma, tracciare un lotto, dirti cosa scade e a che punto è una richiesta.',
    'I can tell you stock, order for your ward once you confirm, trace a lot, tell you what expires and where a request stands.',
  );

/** Told to a chat account that is not linked to a Scorta user yet (both languages: we do not know theirs). */
export const unlinkedText =
  "Non sei ancora collegato a Scorta. Chiedi un codice di collegamento (all'amministratore, o `npm run cli -- chat-link-code --user <utente>`) e scrivimi `collega CODICE`.\n" +
  'You are not linked to Scorta yet. Ask for a link code (from your administrator, or `npm run cli -- chat-link-code --user <username>`) and send me `link CODE`.';

export const unlinkedSpeech = {
  it: "Non sei ancora collegato a Scorta. Collega il tuo account nell'app Alexa.",
  en: 'You are not linked to Scorta yet. Link your account in the Alexa app.',
};

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
