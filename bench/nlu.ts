import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { indexCatalogue } from '../bot/nlu/catalogue-index.ts';
import type { LabelledUtterance } from '../bot/nlu/evaluation.ts';
import { parseUtterance } from '../bot/nlu/parse.ts';
import { demoNluCatalogue } from '../test/nlu/catalogue.ts';

/**
 * `npm run bench:nlu`: parse time per utterance over every labelled utterance (tune, held-out, blind), after
 * the catalogue snapshot is loaded and indexed (timed apart). Prints p50, p99 and max over all rounds.
 */
const rounds = Number(process.env.ROUNDS ?? 20);
const load = (name: string) =>
  JSON.parse(
    readFileSync(new URL(`../test/nlu/utterances.${name}.json`, import.meta.url), 'utf8'),
  ) as LabelledUtterance[];
const texts = ['tune', 'heldout', 'blind'].flatMap((name) => load(name).map((u) => u.text));
const catalogue = demoNluCatalogue();

const indexStart = performance.now();
indexCatalogue(catalogue);
const indexMs = performance.now() - indexStart;

for (const text of texts) parseUtterance(text, catalogue); // warm-up: JIT
const times: number[] = [];
const cpu: number[] = [];
const best = new Array<number>(texts.length).fill(Infinity);
for (let r = 0; r < rounds; r++) {
  texts.forEach((text, i) => {
    const start = performance.now();
    const startCpu = process.cpuUsage();
    parseUtterance(text, catalogue);
    const ms = performance.now() - start;
    const used = process.cpuUsage(startCpu);
    cpu.push((used.user + used.system) / 1000);
    times.push(ms);
    best[i] = Math.min(best[i]!, ms);
  });
}
const quantile = (values: number[], q: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(q * values.length))]!;
const fmt = (ms: number) => `${ms.toFixed(3)} ms`;
console.log(
  `NLU parse: ${texts.length} utterances × ${rounds} rounds, catalogue ${catalogue.items.length} items / ${catalogue.locations.length} locations`,
);
console.log(
  `  Node ${process.version}, ${cpus().length} CPUs, load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
console.log(`  catalogue index build (once per snapshot): ${fmt(indexMs)}`);
console.log(
  `  every parse:          p50 ${fmt(quantile(times, 0.5))}  p99 ${fmt(quantile(times, 0.99))}  max ${fmt(Math.max(...times))}  mean ${fmt(times.reduce((a, b) => a + b, 0) / times.length)}`,
);
console.log(
  `  CPU time per parse:   p50 ${fmt(quantile(cpu, 0.5))}  p99 ${fmt(quantile(cpu, 0.99))}  max ${fmt(Math.max(...cpu))}  (time on CPU: excludes waiting for one)`,
);
console.log(
  `  best of rounds/utt.:  p50 ${fmt(quantile(best, 0.5))}  p99 ${fmt(quantile(best, 0.99))}  max ${fmt(Math.max(...best))}  (filters out preemption and GC pauses)`,
);
console.log(
  `  target < 5 ms per utterance: p99 of every parse ${quantile(times, 0.99) < 5 ? 'met' : 'NOT met'}; slowest utterance (best of rounds) ${Math.max(...best) < 5 ? 'met' : 'NOT met'}`,
);
