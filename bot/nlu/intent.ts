import { clinicalPatterns, injectionPatterns, intentCues, negatedRequest } from './lexicon.ts';
import { fold, type Token } from './normalize.ts';
import type { Intent } from './types.ts';

export interface Evidence {
  item: boolean;
  location: boolean;
  quantity: boolean;
  urgent: boolean;
  lotCode: boolean;
  lotWord: boolean;
  requestNumber: boolean;
  patientCode: boolean;
  horizon: boolean;
}

/** Whether the raw text tries to steer the assistant or asks for bulk destruction. */
export function looksLikeInjection(text: string): boolean {
  const folded = fold(text).replace(/\s+/g, ' ');
  return injectionPatterns.some((p) => p.test(folded));
}

/** Whether the raw text asks for clinical work (an exam to book, vital signs to read or record), not logistics. */
export function looksClinical(text: string): boolean {
  const folded = fold(text).replace(/[^a-z0-9]+/g, ' ');
  return clinicalPatterns.some((p) => p.test(folded));
}

const order: Intent[] = [
  'help',
  'recall_lot',
  'quarantine_lot',
  'trace_lot',
  'request_status',
  'patient_supplies',
  'expiring',
  'request_items',
  'stock_query',
  'out_of_scope',
];

/**
 * Scores each intent from its cue words and phrases and from the slots found (a lot code leans to tracing,
 * a request number to its status, a quantity with an item to a request), and returns the best.
 * Ties go to the earlier intent in `order`; with no evidence at all the text is out of scope.
 */
export function classify(tokens: readonly Token[], e: Evidence): { intent: Intent; scores: Record<Intent, number> } {
  const text = ` ${tokens.map((t) => t.norm).join(' ')} `;
  const words = new Set(tokens.map((t) => t.norm));
  const scores = Object.fromEntries(order.map((i) => [i, 0])) as Record<Intent, number>;
  for (const [intent, cues] of Object.entries(intentCues) as [Intent, Record<string, number>][]) {
    for (const [cue, weight] of Object.entries(cues)) {
      if (cue.includes(' ') ? text.includes(` ${cue} `) : words.has(cue)) scores[intent] += weight;
    }
  }
  if (negatedRequest.test(text)) scores.request_items = 0;
  if (!e.lotCode && !e.lotWord) {
    scores.recall_lot /= 2;
    scores.quarantine_lot /= 2;
    scores.trace_lot /= 2;
  }
  if (e.lotCode) scores.trace_lot += 2;
  if (e.requestNumber) scores.request_status += 4;
  if (e.patientCode) scores.patient_supplies += 1.5;
  if (e.horizon) scores.expiring += 1.5;
  if (e.item && e.quantity) scores.request_items += 2.5;
  if (e.urgent) scores.request_items += 1;
  const best = order.reduce((a, b) => (scores[b] > scores[a] ? b : a));
  if (scores[best] > 0) return { intent: best, scores };
  if (e.item || e.location) return { intent: 'stock_query', scores };
  return { intent: 'out_of_scope', scores };
}
