import { authenticateToken } from '../../api/access/tokens.ts';
import { render } from '../../api/core/messages/index.ts';
import type { Database } from '../../db/client.ts';
import type { Conversation, Speaker } from '../conversation.ts';
import { alexaResponse, type AlexaRequestBody, type VoiceSession } from './alexa-types.ts';
import { toSsml } from './ssml.ts';
import { voiceHelp, voiceTurn } from './voice-turn.ts';

const sessionOf = (body: AlexaRequestBody): VoiceSession => {
  const a = body.session?.attributes ?? {};
  return {
    ...(typeof a.proposalId === 'string' ? { proposalId: a.proposalId } : {}),
    ...(typeof a.followUp === 'string' ? { followUp: a.followUp } : {}),
  };
};

/**
 * Answers one Alexa custom-skill request: Launch, the catch-all intent with its `utterance` slot, Yes / No for
 * the pending proposal, Help, Stop / Cancel, SessionEnded. The linked account's access token is a Scorta token.
 */
export async function handleAlexa(db: Database, conversation: Conversation, body: AlexaRequestBody) {
  const l = body.request.locale.toLowerCase().startsWith('it') ? 'it' : 'en';
  if (body.request.type === 'SessionEndedRequest') return { version: '1.0', response: {} };
  const token = body.context?.System.user?.accessToken ?? '';
  const actor = token ? await authenticateToken({ db }, token, 'voice') : null;
  if (!actor) return alexaResponse(toSsml(render('unlinked_speech', l)), { end: true, linkAccount: true });
  const speaker: Speaker = { actor, locale: l };
  const session = sessionOf(body);
  if (body.request.type === 'LaunchRequest') {
    return alexaResponse(toSsml(render('voice_launch', l)), {
      end: false,
      reprompt: toSsml(voiceHelp(l)),
    });
  }
  const intent = body.request.intent?.name ?? '';
  if (intent === 'AMAZON.HelpIntent') return alexaResponse(toSsml(voiceHelp(l)), { end: false, session });
  if (intent === 'AMAZON.StopIntent' || intent === 'AMAZON.CancelIntent') {
    if (session.proposalId) await conversation.cancel(speaker, session.proposalId);
    return alexaResponse(toSsml(render('voice_goodbye', l)), { end: true });
  }
  const decision = intent === 'AMAZON.YesIntent' ? 'yes' : intent === 'AMAZON.NoIntent' ? 'no' : undefined;
  const text = body.request.intent?.slots?.utterance?.value ?? '';
  const answer = await voiceTurn(conversation, speaker, text, session, decision);
  const reprompt = answer.session.proposalId ? toSsml(render('voice_confirm_prompt', l)) : undefined;
  return alexaResponse(toSsml(answer.speech), {
    end: !answer.expectsAnswer,
    session: answer.session,
    ...(reprompt ? { reprompt } : {}),
  });
}
