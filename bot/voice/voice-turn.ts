import type { Conversation, Reply, Speaker } from '../conversation.ts';
import { render } from '../../api/core/messages/index.ts';
import { isNo, isYes } from '../conversation/texts.ts';
import type { VoiceSession } from './alexa-types.ts';
import { shorten } from './ssml.ts';

export interface VoiceAnswer {
  speech: string;
  text: string;
  /** What the next turn needs (a pending proposal or question); empty when the dialogue is over. */
  session: VoiceSession;
  /** True when the user is expected to answer (a confirmation or a question). */
  expectsAnswer: boolean;
}

/** Voice replies: the short speech, and the session the next turn continues from. */
function toVoice(reply: Reply): VoiceAnswer {
  const session: VoiceSession = reply.proposal
    ? { proposalId: reply.proposal.id }
    : reply.question
      ? { followUp: reply.question.followUp }
      : {};
  return {
    speech: shorten(reply.speech),
    text: reply.text,
    session,
    expectsAnswer: Boolean(reply.proposal || reply.question),
  };
}

export const voiceHelp = (l: 'it' | 'en') => render('voice_help', l);

/**
 * One spoken turn: "sì" / "no" decide the pending proposal (and only an explicit yes confirms it); anything
 * else goes through the shared dialogue, continuing a pending question.
 */
export async function voiceTurn(
  conversation: Conversation,
  speaker: Speaker,
  text: string,
  session: VoiceSession,
  decision?: 'yes' | 'no',
): Promise<VoiceAnswer> {
  const l = speaker.locale;
  const answer = decision ?? (isYes(text) ? 'yes' : isNo(text) ? 'no' : undefined);
  if (answer && session.proposalId) {
    const reply =
      answer === 'yes'
        ? await conversation.confirm(speaker, session.proposalId)
        : await conversation.cancel(speaker, session.proposalId);
    return { ...toVoice(reply), session: {}, expectsAnswer: false };
  }
  if (answer)
    return {
      speech: render('voice_nothing_to_confirm', l),
      text: '',
      session: {},
      expectsAnswer: true,
    };
  if (!text.trim())
    return {
      speech: render('voice_not_understood', l),
      text: '',
      session,
      expectsAnswer: true,
    };
  return toVoice(await conversation.handle(speaker, text, session.followUp));
}
