import { z, type RouteConfig } from '@hono/zod-openapi';
import { json, problem } from '../../api/http/schemas.ts';

/* How the voice endpoints appear in /openapi.json and /docs (tag `voice`). */

const VoiceAnswer = z
  .object({
    speech: z.string().openapi({
      description: 'Da dire: breve, numeri e unità, niente tabelle · To speak: short, numbers and units, no tables',
    }),
    text: z.string(),
    state: z
      .object({ proposalId: z.uuid().optional(), followUp: z.string().optional() })
      .openapi({ description: 'Da rimandare con la frase seguente · Send it back with the next sentence' }),
    expectsAnswer: z.boolean(),
  })
  .openapi('VoiceAnswer');

export const askResponses = {
  200: json(VoiceAnswer, 'La risposta da dire · The answer to speak'),
  400: problem('Corpo non valido · Invalid body (the failing fields are named)'),
  401: problem('Token mancante o non valido · Missing or invalid token'),
  413: problem('Corpo oltre 1 MiB · Body over 1 MiB'),
} as const;

const AlexaEnvelope = z
  .object({
    version: z.string(),
    session: z.object({}).passthrough().optional(),
    context: z.object({}).passthrough().optional(),
    request: z.object({ type: z.string(), timestamp: z.string(), locale: z.string().optional() }).passthrough(),
  })
  .passthrough()
  .openapi('AlexaRequest', {
    description: 'Il JSON di una skill personalizzata Alexa · The Alexa custom-skill request JSON',
  });

/**
 * `POST /voice/alexa`: documented here, served by a plain handler (the signature is over the raw body, read untouched).
 */
export const alexaRouteDoc: RouteConfig = {
  method: 'post',
  path: '/alexa',
  operationId: 'handleAlexaRequest',
  tags: ['voice'],
  security: [],
  summary: 'Endpoint della skill Alexa · Alexa skill endpoint',
  description:
    'Attivo con ALEXA_SKILL_ID; firma (SignatureCertChainUrl, Signature-256) e orario ' +
    "verificati salvo ALEXA_VERIFY=false. L'utente è il token Scorta del collegamento account · " +
    'On with ALEXA_SKILL_ID; signature (SignatureCertChainUrl, Signature-256) and timestamp checked ' +
    'unless ALEXA_VERIFY=false. The user is the Scorta token of the account link. See docs/voice.md.',
  externalDocs: {
    description: 'Alexa: request and response JSON reference',
    url: 'https://developer.amazon.com/en-US/docs/alexa/custom-skills/request-and-response-json-reference.html',
  },
  request: {
    headers: z.object({ signaturecertchainurl: z.string().optional(), 'signature-256': z.string().optional() }),
    body: { required: true, content: { 'application/json': { schema: AlexaEnvelope } } },
  },
  responses: {
    200: json(
      z
        .object({
          version: z.literal('1.0'),
          sessionAttributes: z.record(z.string(), z.unknown()).optional(),
          response: z.object({}).passthrough(),
        })
        .openapi('AlexaResponse'),
      'Risposta Alexa (SSML), anche per un account non collegato · ' +
        'An Alexa response (SSML), an unlinked account included',
    ),
    400: problem(
      'Non una richiesta Alexa, orario fuori tolleranza, altra skill, firma non valida · ' +
        'Not an Alexa request, stale timestamp, another skill, bad signature',
    ),
    404: problem('Skill non configurata (ALEXA_SKILL_ID) · Skill not configured (ALEXA_SKILL_ID)'),
    413: problem('Corpo oltre 1 MiB · Body over 1 MiB'),
  },
};
