import {
  measureWords,
  notUrgentPhrases,
  periodDays,
  sizeMarkers,
  unitWords,
  urgencyPhrases,
  urgencyWords,
} from './lexicon.ts';
import type { Token } from './normalize.ts';
import { articles, readNumber } from './numbers.ts';
import type { QuantityUnit, Urgency } from './types.ts';

const joined = (tokens: readonly Token[]) => ` ${tokens.map((t) => t.norm).join(' ')} `;

/** The urgency asked for: "non urgente" → normal, "urgente"/"asap" → urgent, "emergenza"/"stat" → emergency. */
export function findUrgency(tokens: readonly Token[], used: Set<number>): Urgency | undefined {
  const text = joined(tokens.filter((_, i) => !used.has(i)));
  if (notUrgentPhrases.some((p) => text.includes(` ${p} `))) return 'normal';
  for (const [phrase, urgency] of Object.entries(urgencyPhrases)) if (text.includes(` ${phrase} `)) return urgency;
  let found: Urgency | undefined;
  tokens.forEach((t, i) => {
    const u = urgencyWords[t.norm];
    if (u && !used.has(i) && found !== 'emergency') {
      found = u;
      used.add(i);
    }
  });
  return found;
}

const periodLead = new Set([
  'questo',
  'questa',
  'this',
  'fine',
  'end',
  'prossimo',
  'prossima',
  'next',
  'entro',
  'within',
  'coming',
]);

/**
 * The horizon in days: "entro 30 giorni", "nelle prossime due settimane", "next 2 weeks", "within a month",
 * "questo mese"/"this month" (30), "questa settimana" (7), "oggi"/"today" (0), "scaduti"/"expired" (0).
 */
export function findHorizon(tokens: readonly Token[], used: Set<number>): number | undefined {
  for (let i = 0; i < tokens.length; i++) {
    if (used.has(i)) continue;
    const n = articles.has(tokens[i]!.norm) ? { value: 1, end: i + 1 } : readNumber(tokens, i);
    const period = n ? periodDays[tokens[n.end]?.norm ?? ''] : undefined;
    if (n && period !== undefined && n.value >= 0) {
      for (let k = i; k <= n.end; k++) used.add(k);
      return n.value * period;
    }
  }
  for (let i = 0; i < tokens.length; i++) {
    const period = periodDays[tokens[i]!.norm];
    if (period === undefined || used.has(i)) continue;
    for (let back = 1; back <= 3; back++) {
      if (periodLead.has(tokens[i - back]?.norm ?? '')) {
        used.add(i);
        return period === 1 ? 1 : period;
      }
    }
  }
  const word = tokens.findIndex((t, i) => !used.has(i) && ['oggi', 'today'].includes(t.norm));
  if (word >= 0) return 0;
  if (tokens.some((t) => ['domani', 'tomorrow'].includes(t.norm))) return 1;
  if (tokens.some((t) => /^(scadut[ioae]|expired)$/.test(t.norm))) return 0;
  return undefined;
}

export interface QuantityMatch {
  quantity?: number;
  unit?: QuantityUnit;
  positions: number[];
  /** Other numbers that also read as quantities ("10 siringhe e 5 scatole di guanti"): more than one line. */
  others: number;
}

const unitAfter = (tokens: readonly Token[], end: number): [QuantityUnit, number] | null => {
  const direct = unitWords[tokens[end]?.norm ?? ''];
  if (direct) return [direct, end];
  const via = ['di', 'of'].includes(tokens[end]?.norm ?? '') ? unitWords[tokens[end + 1]?.norm ?? ''] : undefined;
  return via ? [via, end + 1] : null;
};

/**
 * The quantity asked for and its unit. A number followed by a pack or unit word wins ("20 confezioni",
 * "a dozen boxes", "una scatola"); a number followed by a measure ("10 ml"), after a size marker ("da 10",
 * "CH 14") or right after an item word ("siringa 10") is a size, not a quantity. `isItemWord` tells item words.
 */
export function findQuantity(
  tokens: readonly Token[],
  used: Set<number>,
  isItemWord: (t: Token) => boolean,
): QuantityMatch {
  const candidates: { value: number; positions: number[]; unit?: QuantityUnit; rank: number }[] = [];
  for (let i = 0; i < tokens.length; i++) {
    if (used.has(i) || tokens[i]!.glued) continue;
    const t = tokens[i]!;
    const n =
      readNumber(tokens, i) ??
      (articles.has(t.norm) && unitAfter(tokens, i + 1) ? { value: 1, end: i + 1, digits: false } : null);
    if (!n) continue;
    const span = Array.from({ length: n.end - i }, (_, k) => i + k);
    if (span.some((k) => used.has(k))) continue;
    const unit = unitAfter(tokens, n.end);
    if (unit) {
      candidates.push({
        value: n.value,
        positions: [...span, ...Array.from({ length: unit[1] - n.end + 1 }, (_, k) => n.end + k)],
        unit: unit[0],
        rank: 3,
      });
      i = n.end;
      continue;
    }
    const next = tokens[n.end];
    const previous = tokens[i - 1];
    // "12 CH16": a measure glued to its own number ("ch" of "CH16") does not make 12 a size.
    const gluedToOwnNumber =
      next?.glued === true && /^\d/.test(tokens[n.end + 1]?.norm ?? '') && tokens[n.end + 1]!.raw === next.raw;
    const isSize =
      (next && measureWords.has(next.norm) && !gluedToOwnNumber) ||
      (previous && sizeMarkers.has(previous.norm) && previous.norm !== 'n') ||
      (previous && !used.has(i - 1) && isItemWord(previous) && !unitWords[previous.norm]) ||
      (previous?.norm === 'e' && /^\d/.test(tokens[i - 2]?.norm ?? '')) ||
      (next?.norm === 'x' && /^\d/.test(tokens[n.end + 1]?.norm ?? ''));
    if (isSize) continue;
    candidates.push({ value: n.value, positions: span, rank: next && isItemWord(next) ? 2 : 1 });
    i = n.end - 1;
  }
  candidates.sort((a, b) => b.rank - a.rank);
  const best = candidates[0];
  if (!best) return { positions: [], others: 0 };
  for (const p of best.positions) used.add(p);
  const others = candidates.slice(1).filter((c) => c.rank >= 2).length;
  return { quantity: best.value, ...(best.unit ? { unit: best.unit } : {}), positions: best.positions, others };
}

/** A unit asked about without a number: "quante scatole", "how many boxes". */
export function findQueriedUnit(tokens: readonly Token[], used: Set<number>): QuantityUnit | undefined {
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!.norm;
    const asks =
      ['quante', 'quanti', 'quanta', 'quanto'].includes(t) || (t === 'many' && tokens[i - 1]?.norm === 'how');
    const unit = asks ? unitWords[tokens[i + 1]?.norm ?? ''] : undefined;
    if (unit && !used.has(i + 1)) {
      used.add(i + 1);
      return unit;
    }
  }
  return undefined;
}
