import { z } from 'zod';
import { text } from '../../api/core/text.ts';

/** The parts of an Alexa custom-skill request Scorta reads (the rest is ignored). */
export const AlexaRequestBody = z.object({
  version: text(),
  session: z
    .object({
      new: z.boolean().optional(),
      sessionId: text().optional(),
      attributes: z.record(text(), z.unknown()).optional(),
      application: z.object({ applicationId: text() }).optional(),
    })
    .optional(),
  context: z
    .object({
      System: z.object({
        application: z.object({ applicationId: text() }).optional(),
        user: z.object({ userId: text().optional(), accessToken: text().optional() }).optional(),
      }),
    })
    .optional(),
  request: z.object({
    type: text(),
    requestId: text().optional(),
    timestamp: text(),
    locale: text().default('it-IT'),
    intent: z
      .object({
        name: text(),
        slots: z.record(text(), z.object({ name: text().optional(), value: text().optional() })).optional(),
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
export function alexaResponse(
  ssml: string,
  options: { end: boolean; session?: VoiceSession; reprompt?: string; linkAccount?: boolean },
) {
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
