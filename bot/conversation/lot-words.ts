import { stateLabel } from '../../api/core/labels.ts';
import type { Language } from '../nlu/types.ts';
import { quantityText, tr } from './texts.ts';

/** Holders named in a written answer, and aloud; the others are counted ("e altri 3 luoghi"). */
export const writtenHolders = 10;
export const spokenHolders = 3;

/** A lot as an answer speaks of it: its effective status (expired by the local date) and why. */
export interface LotFacts {
  lotCode: string;
  status: string;
  expiry: string | null;
  reason?: string | null;
  reference?: string | null;
}

/** A lot's status in capitals, in the reader's language: "RICHIAMATO", "QUARANTINED". */
export const lotStatusWord = (status: string, l: Language) => stateLabel('lot', status, l).toUpperCase();

/**
 * The first sentence of every answer about a lot: its status, and for an unusable lot why ("Il lotto X di Y è
 * RICHIAMATO (motivo: …, rif. …)", "… è SCADUTO il 2026-11-30"). `short` leaves the reason out (said aloud).
 */
export function lotStatusSentence(lot: LotFacts, name: string, l: Language, short = false): string {
  const subject = tr(l, `Il lotto ${lot.lotCode} di ${name}`, `Lot ${lot.lotCode} of ${name}`);
  if (lot.status === 'available') {
    return lot.expiry
      ? tr(
          l,
          `${subject} è disponibile, scade il ${lot.expiry}.`,
          `${subject} is available, expiring on ${lot.expiry}.`,
        )
      : tr(l, `${subject} è disponibile.`, `${subject} is available.`);
  }
  const word = lotStatusWord(lot.status, l);
  if (lot.status === 'expired')
    return tr(
      l,
      `${subject} è ${word}${lot.expiry ? ` il ${lot.expiry}` : ''}.`,
      `${subject} is ${word}${lot.expiry ? ` on ${lot.expiry}` : ''}.`,
    );
  const why = [
    lot.reason ? tr(l, `motivo: ${lot.reason}`, `reason: ${lot.reason}`) : '',
    lot.reference ? tr(l, `rif. ${lot.reference}`, `ref. ${lot.reference}`) : '',
  ]
    .filter(Boolean)
    .join(', ');
  return tr(
    l,
    `${subject} è ${word}${!short && why ? ` (${why})` : ''}.`,
    `${subject} is ${word}${!short && why ? ` (${why})` : ''}.`,
  );
}

/** "A 6 pezzi, B 3 pezzi e altri 2 luoghi": the first `max` holders by name and quantity, then how many more. */
export function holdersText(
  holders: { name: string; onHand: number }[],
  unit: string,
  l: Language,
  max: number,
): string {
  const named = holders.slice(0, max).map((h) => `${h.name} ${quantityText(h.onHand, unit, l)}`);
  const rest = holders.length - named.length;
  if (rest <= 0)
    return named.length > 1
      ? `${named.slice(0, -1).join(', ')} ${tr(l, 'e', 'and')} ${named.at(-1)}`
      : (named[0] ?? '');
  return `${named.join(', ')} ${tr(l, rest === 1 ? 'e un altro luogo' : `e altri ${rest} luoghi`, rest === 1 ? 'and 1 more location' : `and ${rest} more locations`)}`;
}

/** "in 1 luogo", "in 6 places". */
export const placesText = (n: number, l: Language) =>
  tr(l, n === 1 ? 'in un luogo' : `in ${n} luoghi`, n === 1 ? 'at one location' : `at ${n} locations`);
