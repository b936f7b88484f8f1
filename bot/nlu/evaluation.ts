import { parseUtterance } from './parse.ts';
import { intents, type Intent, type NluCatalogue, type ParseResult } from './types.ts';

/** One labelled utterance of the evaluation set. */
export interface LabelledUtterance {
  text: string;
  lang: 'it' | 'en';
  intent: Intent;
  slots: {
    itemCode?: string;
    quantity?: number;
    unit?: string;
    locationCode?: string;
    urgency?: string;
    lotCode?: string;
    horizonDays?: number;
    requestNumber?: string;
    patientCode?: string;
  };
  ambiguous?: true;
  /**
   * Which batch of a set it was written in (the blind set grew: `issue-16` was written before the parser changes it
   * measures).
   */
  batch?: string;
}

/** The day the labels assume: a request number typed without its year ("RIC 123") is read in this year. */
export const evaluationDay = new Date('2026-06-15T09:00:00Z');

export interface Failure {
  text: string;
  expected: string;
  got: string;
}

export interface Evaluation {
  total: number;
  intentCorrect: number;
  slotCorrect: number;
  slotTotal: number;
  languageCorrect: number;
  unconfirmedWrites: number;
  confusion: Record<Intent, Record<Intent, number>>;
  failures: Failure[];
}

/** The labelled slots as the parser reports them (item and location by code). */
export function predictedSlots(r: ParseResult): Record<string, unknown> {
  const s = r.slots;
  return {
    itemCode: s.item?.code,
    quantity: s.quantity,
    unit: s.unit,
    locationCode: s.location?.code,
    urgency: s.urgency,
    lotCode: s.lotCode,
    horizonDays: s.horizonDays,
    requestNumber: s.requestNumber,
    patientCode: s.patientCode,
  };
}

const alwaysWriteSlots = ['quantity', 'unit', 'urgency', 'lotCode'];
const writeTargets = ['itemCode', 'locationCode'];

/**
 * Scores the parser on a labelled set. Slot accuracy: every expected slot must come back exactly (an
 * expected ambiguity counts as one slot, right when the parser asks instead of choosing); every value of a
 * write slot the label does not have (quantity, unit, urgency, lot; and item and location in write
 * intents) counts as one more slot, wrong.
 */
export function evaluate(
  set: readonly LabelledUtterance[],
  catalogue: NluCatalogue,
  now: Date = evaluationDay,
): Evaluation {
  const confusion = Object.fromEntries(
    intents.map((a) => [a, Object.fromEntries(intents.map((b) => [b, 0]))]),
  ) as Evaluation['confusion'];
  const e: Evaluation = {
    total: set.length,
    intentCorrect: 0,
    slotCorrect: 0,
    slotTotal: 0,
    languageCorrect: 0,
    unconfirmedWrites: 0,
    confusion,
    failures: [],
  };
  for (const u of set) {
    const r = parseUtterance(u.text, catalogue, { now });
    confusion[u.intent][r.intent]++;
    if (r.intent === u.intent) e.intentCorrect++;
    if (r.language === u.lang) e.languageCorrect++;
    if (['request_items', 'recall_lot', 'quarantine_lot'].includes(r.intent) && !r.requiresConfirmation)
      e.unconfirmedWrites++;
    const got = predictedSlots(r);
    const wrong: string[] = [];
    for (const [k, v] of Object.entries(u.slots)) {
      e.slotTotal++;
      if (got[k] === v) e.slotCorrect++;
      else wrong.push(`${k}=${JSON.stringify(got[k])}≠${JSON.stringify(v)}`);
    }
    if (u.ambiguous) {
      e.slotTotal++;
      if (r.ambiguities.some((a) => a.slot === 'item') && !r.slots.item) e.slotCorrect++;
      else wrong.push(`ambiguity missed (item=${r.slots.item?.code})`);
    }
    const spurious = [
      ...alwaysWriteSlots,
      ...(['request_items', 'recall_lot', 'quarantine_lot'].includes(u.intent) ? writeTargets : []),
    ];
    for (const k of spurious) {
      if (got[k] !== undefined && !(k in u.slots)) {
        e.slotTotal++;
        wrong.push(`spurious ${k}=${JSON.stringify(got[k])}`);
      }
    }
    if (r.intent !== u.intent || wrong.length) {
      e.failures.push({
        text: u.text,
        expected: u.intent,
        got: `${r.intent}${r.intent === u.intent ? '' : ' ✗'} ${wrong.join(' ')}`.trim(),
      });
    }
  }
  return e;
}

/** The report the `nlu:eval` command prints: accuracies, confusion table (rows expected, columns parsed), failures. */
export function formatEvaluation(name: string, e: Evaluation): string {
  const pct = (a: number, b: number) => `${((100 * a) / Math.max(b, 1)).toFixed(1)} %`;
  const short = (i: string) =>
    i
      .replace('request_', 'req_')
      .replace('_query', '')
      .replace('quarantine', 'quar')
      .replace('patient_supplies', 'patient')
      .replace('out_of_scope', 'oos')
      .replace('_lot', '');
  const lines = [
    `== ${name}: ${e.total} utterances ==`,
    `intent accuracy   ${pct(e.intentCorrect, e.total)} (${e.intentCorrect}/${e.total})`,
    `slot accuracy     ${pct(e.slotCorrect, e.slotTotal)} (${e.slotCorrect}/${e.slotTotal})`,
    `reply language    ${pct(e.languageCorrect, e.total)}`,
    `writes without confirmation: ${e.unconfirmedWrites}`,
    '',
    `${'expected \\ parsed'.padEnd(18)}${intents.map((i) => short(i).padStart(11)).join('')}`,
    ...intents.map(
      (a) => `${short(a).padEnd(18)}${intents.map((b) => String(e.confusion[a][b] || '·').padStart(11)).join('')}`,
    ),
    '',
    ...(e.failures.length
      ? ['failures:', ...e.failures.map((f) => `  [${f.expected}] ${JSON.stringify(f.text)} → ${f.got}`)]
      : ['no failures']),
  ];
  return lines.join('\n');
}
