import type { TestProject } from 'vitest/node';
import { testSeed } from './seed.ts';

/** Once per run: decide the seed, print it, and hand it to every test file. */
export default function setup(project: TestProject) {
  const seed = testSeed();
  console.log(`Random tests: seed ${seed} (replay with SCORTA_TEST_SEED=${seed})`);
  project.provide('scortaTestSeed', seed);
}
