import { Hono } from 'hono';
import { z } from 'zod';
import { authenticateToken } from '../../api/access/tokens.ts';
import type { Database } from '../../db/client.ts';
import { createConversation, type Conversation } from '../conversation.ts';
import { handleAlexa } from './alexa.ts';
import { AlexaRequestBody } from './alexa-types.ts';
import { checkAlexaRequest, type AlexaOptions } from './verify.ts';
import { voiceTurn } from './voice-turn.ts';
import { text } from '../../api/core/text.ts';

export interface VoiceDeps {
  db: Database;
  now?: () => Date;
  /** The Alexa skill endpoint's checks; without it `/voice/alexa` answers 404. */
  alexa?: AlexaOptions;
  /** Share one dialogue (and its catalogue cache) with other channels. */
  conversation?: Conversation;
}

const AskBody = z.object({
  text: text().max(2000),
  locale: text().max(20).default('it-IT'),
  /** The `state` of the previous answer: a pending proposal or question. */
  state: z.object({ proposalId: z.uuid().optional(), followUp: text().max(2000).optional() }).default({}),
});

const bearer = /^Bearer[ ]+(\S+)[ ]*$/i;

/**
 * Voice endpoints: `POST /alexa` speaks the Alexa custom-skill format; `POST /ask` takes `{text, locale, state}`
 * with a bearer token and answers `{speech, text, state, expectsAnswer}` for any other voice front end.
 * Mount with `app.route('/voice', voiceRoutes(deps))`.
 */
export function voiceRoutes(deps: VoiceDeps) {
  const conversation = deps.conversation ?? createConversation({ db: deps.db, ...(deps.now ? { now: deps.now } : {}) });
  const app = new Hono();

  app.post('/alexa', async (c) => {
    if (!deps.alexa) return c.json({ error: 'alexa_not_configured' }, 404);
    const rawBody = await c.req.text();
    const parsed = AlexaRequestBody.safeParse((() => { try { return JSON.parse(rawBody); } catch { return null; } })());
    if (!parsed.success) return c.json({ error: 'not_an_alexa_request' }, 400);
    const body = parsed.data;
    const refused = await checkAlexaRequest(deps.alexa, { rawBody, headers: c.req.header(), timestamp: body.request.timestamp, applicationId: body.context?.System.application?.applicationId ?? body.session?.application?.applicationId });
    if (refused) return c.json({ error: refused }, 400);
    return c.json(await handleAlexa(deps.db, conversation, body));
  });

  app.post('/ask', async (c) => {
    const token = bearer.exec(c.req.header('authorization') ?? '')?.[1];
    const actor = token ? await authenticateToken({ db: deps.db }, token, 'voice') : null;
    if (!actor) return c.json({ error: 'unauthorized', speech: 'Serve un token API valido.', text: 'A valid API token is required.' }, 401);
    const parsed = AskBody.safeParse(await c.req.json().catch(() => null));
    if (!parsed.success) return c.json({ error: 'validation', fields: parsed.error.issues.map((i) => ({ field: i.path.join('.'), message: i.message })) }, 400);
    const { text, locale, state } = parsed.data;
    const answer = await voiceTurn(conversation, { actor, locale: locale.toLowerCase().startsWith('en') ? 'en' : 'it' }, text, state);
    return c.json({ speech: answer.speech, text: answer.text, state: answer.session, expectsAnswer: answer.expectsAnswer });
  });
  return app;
}
