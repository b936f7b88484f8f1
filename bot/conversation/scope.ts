import { say, type Reply } from './reply.ts';
import { helpSpeech, helpText, tr } from './texts.ts';
import type { Turn } from './turn.ts';

/**
 * Text the assistant does not handle: clinical work about a patient (booking an exam, vital signs) gets one
 * sentence saying it only does logistics; anything else gets the help.
 */
export function answerOutOfScope(t: Turn): Reply {
  const l = t.language;
  if (t.parsed.clinical) {
    return say(
      'refusal',
      l,
      tr(
        l,
        'Mi occupo di logistica: non posso prenotare esami o registrare parametri clinici.',
        'I handle logistics: I cannot book exams or record clinical parameters.',
      ),
    );
  }
  const sorry = tr(l, 'Non posso aiutarti con questo.', "I can't help with that.");
  return say('help', l, `${sorry} ${helpText(l)}`, { speech: `${sorry} ${helpSpeech(l)}` });
}

/**
 * A patient code that none of the user's homes has: answered as an unknown patient (nothing is looked up or
 * proposed) instead of being dropped, so an order never goes to the user's ward by default.
 */
export function unknownPatient(t: Turn): Reply | undefined {
  const code = t.parsed.slots.patientCode;
  if (!code || t.catalogue.locations.some((x) => x.patientCode === code)) return undefined;
  const l = t.language;
  const example = t.catalogue.locations.flatMap((x) => (x.patientCode ? [x.patientCode] : [])).sort()[0];
  const check = example
    ? tr(l, ` Controlla il codice (per esempio ${example}).`, ` Check the code (for example ${example}).`)
    : '';
  const nothing = t.parsed.requiresConfirmation ? tr(l, ' Non ho ordinato niente.', ' Nothing was ordered.') : '';
  return say('answer', l, tr(l, `Paziente ${code} sconosciuto.`, `Unknown patient ${code}.`) + nothing + check);
}
