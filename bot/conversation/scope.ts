import { say, type Reply } from './reply.ts';
import { render } from '../../api/core/messages/index.ts';
import { helpSpeech, helpText } from './texts.ts';
import type { Turn } from './turn.ts';

/**
 * Text the assistant does not handle: clinical work about a patient (booking an exam, vital signs) gets one
 * sentence saying it only does logistics; anything else gets the help.
 */
export function answerOutOfScope(t: Turn): Reply {
  const l = t.language;
  if (t.parsed.clinical) {
    return say('refusal', l, render('out_of_scope_clinical', l));
  }
  const sorry = render('out_of_scope', l);
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
  const check = example ? ` ${render('patient_check_code', l, { example })}` : '';
  const nothing = t.parsed.requiresConfirmation ? ` ${render('nothing_ordered', l)}` : '';
  return say('answer', l, render('patient_unknown', l, { code }) + nothing + check);
}
