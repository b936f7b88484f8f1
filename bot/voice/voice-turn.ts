import type { Conversation, Reply, Speaker } from '../conversation.ts';
import { isNo, isYes, tr } from '../conversation/texts.ts';
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

export const voiceHelp = (l: 'it' | 'en') =>
  tr(
    l,
    'Puoi chiedermi le giacenze, per esempio: quanti guanti M in cardiologia. Oppure ordinare: ordina 20 guanti M per cardiologia. Ti chiederò sempre conferma.',
    'You can ask me for stock, for example: how many M gloves in cardiology. Or order: order 20 M gloves for cardiology. I will always ask you to confirm.',
  );

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
      speech: tr(l, "Non c'è niente da confermare. Cosa ti serve?", 'There is nothing to confirm. What do you need?'),
      text: '',
      session: {},
      expectsAnswer: true,
    };
  if (!text.trim())
    return {
      speech: tr(l, 'Non ho capito. Ripeti, per favore.', 'I did not catch that. Please say it again.'),
      text: '',
      session,
      expectsAnswer: true,
    };
  return toVoice(await conversation.handle(speaker, text, session.followUp));
}
