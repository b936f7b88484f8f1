import { readFileSync } from 'node:fs';
import { demoNluCatalogue } from '../../test/nlu/catalogue.ts';
import { evaluate, formatEvaluation, type LabelledUtterance } from './evaluation.ts';

/** `npm run nlu:eval`: scores the parser on the tune set and, separately, on the held-out set. */
const load = (name: string) => JSON.parse(readFileSync(new URL(`../../test/nlu/utterances.${name}.json`, import.meta.url), 'utf8')) as LabelledUtterance[];
const catalogue = demoNluCatalogue();
for (const name of ['tune', 'heldout', 'blind']) {
  console.log(formatEvaluation(name, evaluate(load(name), catalogue)));
  console.log();
}
