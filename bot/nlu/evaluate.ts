import { readFileSync } from 'node:fs';
import { demoNluCatalogue } from '../../test/nlu/catalogue.ts';
import { evaluate, formatEvaluation, type LabelledUtterance } from './evaluation.ts';

/**
 * `npm run nlu:eval`: scores the parser on the tune set, the held-out set and the blind set, the blind set
 * also split into its first batch (`blind-old`) and the utterances of issue #16 (`blind-new`).
 */
const load = (name: string) =>
  JSON.parse(
    readFileSync(new URL(`../../test/nlu/utterances.${name}.json`, import.meta.url), 'utf8'),
  ) as LabelledUtterance[];
const catalogue = demoNluCatalogue();
const blind = load('blind');
const sets: [string, LabelledUtterance[]][] = [
  ['tune', load('tune')],
  ['heldout', load('heldout')],
  ['blind-old', blind.filter((u) => !u.batch)],
  ['blind-new', blind.filter((u) => u.batch === 'issue-16')],
  ['blind (all)', blind],
];
const results = sets.map(([name, set]) => [name, evaluate(set, catalogue)] as const);
for (const [name, e] of results) {
  console.log(formatEvaluation(name, e));
  console.log();
}
const pct = (a: number, b: number) => `${((100 * a) / Math.max(b, 1)).toFixed(1)} %`;
console.log('set           intent                slots');
for (const [name, e] of results) {
  const intents = `${pct(e.intentCorrect, e.total)} (${e.intentCorrect}/${e.total})`;
  console.log(
    `${name.padEnd(14)}${intents.padEnd(22)}${pct(e.slotCorrect, e.slotTotal)} (${e.slotCorrect}/${e.slotTotal})`,
  );
}
