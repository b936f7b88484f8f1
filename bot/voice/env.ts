import { z } from 'zod';
import { amazonSignatureVerifier } from './amazon-signature.ts';
import type { AlexaOptions } from './verify.ts';

/** The Alexa skill's configuration (spread into server/env.ts `Env`, read and validated once at start). */
export const AlexaEnv = z.object({
  /** The skill id from the Alexa developer console; setting it turns on `POST /voice/alexa` (unset: 404). */
  ALEXA_SKILL_ID: z
    .string()
    .regex(/^amzn1\.ask\.skill\.[A-Za-z0-9-]{1,100}$/, 'a skill id, amzn1.ask.skill.…')
    .optional(),
  /** Signature and timestamp checks of every Alexa request; `false` only for local testing without Amazon. */
  ALEXA_VERIFY: z
    .enum(['true', 'false'], { error: 'true (the default) or false (local testing only)' })
    .transform((v) => v === 'true')
    .default(true),
});
export type AlexaEnv = z.infer<typeof AlexaEnv>;

/** The Alexa endpoint's options from the environment, or undefined (endpoint off) without a skill id. */
export function alexaOptions(env: AlexaEnv, verifier = amazonSignatureVerifier): AlexaOptions | undefined {
  if (!env.ALEXA_SKILL_ID) return undefined;
  return env.ALEXA_VERIFY
    ? { skillId: env.ALEXA_SKILL_ID, verify: verifier() }
    : { skillId: env.ALEXA_SKILL_ID, verify: 'skip', checkTimestamp: false };
}
