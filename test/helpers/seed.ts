/**
 * The one seed of every randomised test (fast-check properties and any other random choice a test makes):
 * SCORTA_TEST_SEED when set, else a constant, so a run is repeatable and a failure replays with
 * `SCORTA_TEST_SEED=<seed> npx vitest run <file>`. The seed is printed once per run (test/helpers/seed-global.ts)
 * and applied to fast-check in every test file (test/helpers/seed-setup.ts).
 */
export const defaultSeed = 20_261_115;

export function testSeed(env: Record<string, string | undefined> = process.env): number {
  const raw = env.SCORTA_TEST_SEED;
  if (raw === undefined || raw === '') return defaultSeed;
  const seed = Number(raw);
  if (!Number.isSafeInteger(seed)) throw new Error(`SCORTA_TEST_SEED must be an integer, got ${JSON.stringify(raw)}`);
  return seed | 0;
}

/**
 * A small seeded generator for tests that need random numbers outside fast-check: the one of the demo and the
 * benchmarks.
 */
export { seededRandom } from '../../demo/random.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    scortaTestSeed: number;
  }
}
