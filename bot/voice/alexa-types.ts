import { z } from 'zod';

/** The parts of an Alexa custom-skill request Scorta reads (the rest is ignored). */
export const AlexaRequestBody = z.object({
  version: z.string(),
  session: z
    .object({
      new: z.boolean().optional(),
      sessionId: z.string().optional(),
      attributes: z.record(z.string(), z.unknown()).optional(),
      application: z.object({ applicationId: z.string() }).optional(),
    })
    .optional(),
  context: z
    .object({
      System: z.object({
        application: z.object({ applicationId: z.string() }).optional(),
        user: z.object({ userId: z.string().optional(), accessToken: z.string().optional() }).optional(),
      }),
    })
    .optional(),
  request: z.object({
    type: z.string(),
    requestId: z.string().optional(),
    timestamp: z.string(),
    locale: z.string().default('it-IT'),
    intent: z
      .object({
        name: z.string(),
        slots: z.record(z.string(), z.object({ name: z.string().optional(), value: z.string().optional() })).optional(),
      })
      .optional(),
  }),
});
export type AlexaRequestBody = z.infer<typeof AlexaRequestBody>;

/** What the skill keeps between turns of one Alexa session. */
export interface VoiceSession {
  /** The proposal waiting for "sì" / "no". */
  proposalId?: string;
  /** The message a pending question belongs to. */
  followUp?: string;
}

/** An Alexa response: SSML speech, an optional reprompt and card, the session attributes for the next turn. */
export function alexaResponse(ssml: string, options: { end: boolean; session?: VoiceSession; reprompt?: string; linkAccount?: boolean }) {
  return {
    version: '1.0',
    sessionAttributes: options.session ?? {},
    response: {
      outputSpeech: { type: 'SSML', ssml },
      ...(options.reprompt ? { reprompt: { outputSpeech: { type: 'SSML', ssml: options.reprompt } } } : {}),
      ...(options.linkAccount ? { card: { type: 'LinkAccount' } } : {}),
      shouldEndSession: options.end,
    },
  };
}
