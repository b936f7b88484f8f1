import fc from 'fast-check';
import { inject } from 'vitest';
import './seed.ts';

// Every fast-check property in every file runs from the run's printed seed (see seed.ts).
fc.configureGlobal({ ...fc.readConfigureGlobal(), seed: inject('scortaTestSeed') });
