import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { authenticateToken } from '../../api/access/tokens.ts';
import type { Actor } from '../../api/core/context.ts';
import { DomainError } from '../../api/core/errors.ts';
import { text } from '../../api/core/text.ts';
import { handleError, handleNotFound, validationHook } from '../../api/http/problem.ts';
import type { Database } from '../../db/client.ts';
import { createConversation, type Conversation } from '../conversation.ts';
import { handleAlexa } from './alexa.ts';
import { AlexaRequestBody } from './alexa-types.ts';
import { alexaRouteDoc, askResponses } from './openapi.ts';
import { checkAlexaRequest, type AlexaOptions } from './verify.ts';
import { voiceTurn } from './voice-turn.ts';

export interface VoiceDeps {
  db: Database;
  now?: () => Date;
  /**
   * The Alexa skill endpoint's checks (server: ALEXA_SKILL_ID, ALEXA_VERIFY); without it `/voice/alexa` answers 404.
   */
  alexa?: AlexaOptions;
  /** Share one dialogue (and its catalogue cache) with other channels. */
  conversation?: Conversation;
}

export const AskBody = z
  .object({
    text: text().max(2000),
    locale: text().max(20).default('it-IT'),
    /** The `state` of the previous answer: a pending proposal or question. */
    state: z.object({ proposalId: z.uuid().optional(), followUp: text().max(2000).optional() }).default({}),
  })
  .openapi('VoiceAsk');

const bearer = /^Bearer[ ]+(\S+)[ ]*$/i;

const ask = createRoute({
  method: 'post',
  path: '/ask',
  operationId: 'askVoice',
  tags: ['voice'],
  summary: 'Una frase, una risposta da dire · One sentence, one answer to speak',
  description:
    'Per qualunque front end vocale: testo in, `speech` breve out; ' +
    'una scrittura solo dopo un sì esplicito con lo `state` ricevuto · ' +
    'For any voice front end: text in, short `speech` out; a write only ' +
    'after an explicit yes carrying the `state` received. See docs/voice.md.',
  request: { body: { content: { 'application/json': { schema: AskBody } }, required: true } },
  responses: askResponses,
});

const parseAlexa = (rawBody: string) => {
  try {
    return AlexaRequestBody.safeParse(JSON.parse(rawBody));
  } catch {
    return null;
  }
};

/**
 * Voice endpoints: `POST /alexa` speaks the Alexa custom-skill format; `POST /ask` takes `{text, locale, state}`
 * with a bearer token and answers `{speech, text, state, expectsAnswer}` for any other voice front end. Every
 * refusal is application/problem+json (api/http/problem.ts); a request Alexa may be answered gets a 200 with an
 * Alexa response, an unlinked account included. Mount with `app.route('/voice', voiceRoutes(deps))`.
 */
export function voiceRoutes(deps: VoiceDeps) {
  const conversation = deps.conversation ?? createConversation({ db: deps.db, ...(deps.now ? { now: deps.now } : {}) });
  const app = new OpenAPIHono<{ Variables: { actor: Actor } }>({ defaultHook: validationHook });
  app.onError(handleError);
  app.notFound(handleNotFound);

  app.openAPIRegistry.registerPath(alexaRouteDoc);
  app.post('/alexa', async (c) => {
    if (!deps.alexa) throw new DomainError('not_found', 'alexa_not_configured');
    const rawBody = await c.req.text();
    const parsed = parseAlexa(rawBody);
    if (!parsed?.success) {
      const fields = parsed
        ? parsed.error.issues.map((i) => ({ field: i.path.join('.') || '(body)', message: i.message }))
        : [{ field: '(body)', message: 'Malformed JSON.' }];
      throw new DomainError('validation', 'alexa_not_a_request', { fields });
    }
    const body = parsed.data;
    const applicationId = body.context?.System.application?.applicationId ?? body.session?.application?.applicationId;
    // The request's timestamp against the real clock (not deps.now, which may be a test's business date).
    await checkAlexaRequest(deps.alexa, {
      rawBody,
      headers: c.req.header(),
      timestamp: body.request.timestamp,
      applicationId,
    });
    return c.json(await handleAlexa(deps.db, conversation, body));
  });

  // The token before the body: without one, nothing about the body is answered.
  app.use('/ask', async (c, next) => {
    const token = bearer.exec(c.req.header('authorization') ?? '')?.[1];
    const actor = token ? await authenticateToken({ db: deps.db }, token, 'voice') : null;
    if (!actor) throw new DomainError('unauthorized', 'unauthorized');
    c.set('actor', actor);
    await next();
  });
  app.openapi(ask, async (c) => {
    const actor = c.get('actor');
    const { text, locale, state } = c.req.valid('json');
    const answer = await voiceTurn(
      conversation,
      { actor, locale: locale.toLowerCase().startsWith('en') ? 'en' : 'it' },
      text,
      state,
    );
    return c.json(
      { speech: answer.speech, text: answer.text, state: answer.session, expectsAnswer: answer.expectsAnswer },
      200,
    );
  });
  return app;
}
