import fc from 'fast-check';
import { describe, expect, inject, it } from 'vitest';
import { defaultSeed, seededRandom, testSeed } from '../helpers/seed.ts';

describe('the seed of random tests', () => {
  it('is SCORTA_TEST_SEED when set, else a constant, and refuses a non-integer', () => {
    expect(testSeed({})).toBe(defaultSeed);
    expect(testSeed({ SCORTA_TEST_SEED: '' })).toBe(defaultSeed);
    expect(testSeed({ SCORTA_TEST_SEED: '42' })).toBe(42);
    expect(() => testSeed({ SCORTA_TEST_SEED: 'abc' })).toThrow(/SCORTA_TEST_SEED/);
  });

  it('drives every fast-check property of this run: the same values each time, reported with the seed', () => {
    const seed = inject('scortaTestSeed');
    expect(seed).toBe(testSeed());
    expect(fc.readConfigureGlobal().seed).toBe(seed);
    const seen: number[][] = [[], []];
    for (const run of [0, 1]) {
      const details = fc.check(
        fc.property(fc.integer(), (n) => {
          seen[run]!.push(n);
        }),
        { numRuns: 20 },
      );
      expect(details.seed).toBe(seed);
    }
    expect(seen[1]).toEqual(seen[0]);
    // A failure names the seed, so CI's failure replays locally.
    expect(() => fc.assert(fc.property(fc.nat(), (n) => n < 0))).toThrow(new RegExp(`seed: ${seed}`));
  });

  it('gives tests that need plain random numbers a repeatable sequence', () => {
    const a = seededRandom(7);
    const b = seededRandom(7);
    const xs = Array.from({ length: 5 }, a);
    expect(Array.from({ length: 5 }, b)).toEqual(xs);
    for (const x of xs) expect(x >= 0 && x < 1).toBe(true);
  });
});
