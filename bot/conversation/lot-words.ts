import { render } from '../../api/core/messages/index.ts';
import { stateLabel } from '../../api/core/messages/labels.ts';
import type { Language } from '../nlu/types.ts';
import { quantityText } from './texts.ts';

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
  const subject = render('lot_subject', l, { lotCode: lot.lotCode, name });
  if (lot.status === 'available') {
    return lot.expiry
      ? render('lot_available_until', l, { subject, expiry: lot.expiry })
      : render('lot_available', l, { subject });
  }
  const word = lotStatusWord(lot.status, l);
  if (lot.status === 'expired')
    return lot.expiry
      ? render('lot_expired_on', l, { subject, word, expiry: lot.expiry })
      : render('lot_in_status', l, { subject, word });
  const why = [
    lot.reason ? render('lot_reason', l, { reason: lot.reason }) : '',
    lot.reference ? render('lot_reference', l, { reference: lot.reference }) : '',
  ]
    .filter(Boolean)
    .join(', ');
  return !short && why
    ? render('lot_in_status_why', l, { subject, word, why })
    : render('lot_in_status', l, { subject, word });
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
      ? render('list_and', l, { list: named.slice(0, -1).join(', '), last: named.at(-1)! })
      : (named[0] ?? '');
  return `${named.join(', ')} ${render('holders_more', l, { count: rest })}`;
}

/** "in 1 luogo", "in 6 places". */
export const placesText = (n: number, l: Language) => render('places', l, { count: n });
