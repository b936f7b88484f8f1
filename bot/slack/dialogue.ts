import { resolveChatActor } from '../../api/chat/resolve-actor.ts';
import { render } from '../../api/core/messages/index.ts';
import type { Database } from '../../db/client.ts';
import type { Conversation, Reply } from '../conversation.ts';
import type { Language } from '../nlu/types.ts';
import { isNo, isYes, linkCommand, unlinkedText } from '../conversation/texts.ts';
import { renderReply } from './blocks.ts';

/** Who wrote, where: a Slack user of a workspace in a channel (DM or public). */
export interface SlackOrigin {
  team: string;
  user: string;
  channel: string;
}

const followUpTtlMs = 10 * 60_000;

/** Said to whoever clicks Confirm or Cancel under someone else's proposal (only the clicker sees it). */
const notYours = (l: Language, confirmed: boolean) =>
  render(confirmed ? 'slack_not_yours_confirm' : 'slack_not_yours_cancel', l);

/** The acknowledgement of a slash command whose answer follows through `response_url`. */
export const workingText = `⏳ ${render('slack_working', 'it')} / ${render('slack_working', 'en')}`;

/** The answer when something unexpected failed (logged). */
export const failedText = {
  text: `${render('error_internal', 'it')}\n${render('error_internal', 'en')}`,
};

/**
 * The Slack side of a dialogue: links accounts, resolves the linked Scorta user (unlinked users are told
 * how to link), remembers the open question of each user in each channel, and renders replies as blocks.
 */
export function slackDialogue(db: Database, conversation: Conversation) {
  const questions = new Map<string, { followUp: string; at: number }>();
  const key = (o: SlackOrigin) => `${o.team}|${o.user}|${o.channel}`;

  async function speaker(o: Pick<SlackOrigin, 'team' | 'user'>) {
    const linked = await resolveChatActor({ db }, { provider: 'slack', workspace: o.team, externalUserId: o.user });
    return linked ? { actor: linked.actor, locale: linked.user.locale } : null;
  }

  async function reply(o: SlackOrigin, rawText: string, fresh: boolean): Promise<Reply> {
    const text = rawText.replace(/<@[A-Z0-9]+>/g, ' ').trim();
    const code = linkCommand(text);
    if (code) return conversation.link({ provider: 'slack', workspace: o.team, externalUserId: o.user }, code);
    const who = await speaker(o);
    if (!who) return { kind: 'unlinked', language: 'it', text: unlinkedText, speech: unlinkedText };
    // On Slack only the buttons decide a proposal: a typed "sì" is never taken as a confirmation.
    if (isYes(text) || isNo(text))
      return {
        kind: 'help',
        language: who.locale,
        text: render('slack_use_buttons', who.locale),
        speech: '',
      };
    const open = fresh ? undefined : questions.get(key(o));
    const answer = await conversation.handle(
      who,
      text,
      open && Date.now() - open.at < followUpTtlMs ? open.followUp : undefined,
    );
    if (answer.question) questions.set(key(o), { followUp: answer.question.followUp, at: Date.now() });
    else questions.delete(key(o));
    return answer;
  }

  return {
    speaker,
    /**
     * The answer to a message, a mention or a slash command, as Slack text and blocks; `fresh`: a complete text, not an
     * answer to the open question.
     */
    answer: async (o: SlackOrigin, text: string, fresh = false) => renderReply(await reply(o, text, fresh)),
    /**
     * Confirms or cancels a proposal for the user who clicked. `foreign`: the click is not the author's (unlinked,
     * or the core does not find the proposal among the clicker's): the reply is for the clicker alone and the
     * proposal's message must stay as it is for its author.
     */
    decide: async (o: Pick<SlackOrigin, 'team' | 'user'>, proposalId: string, confirmed: boolean) => {
      const who = await speaker(o);
      if (!who)
        return {
          foreign: true,
          reply: { text: `${notYours('it', confirmed)}\n${notYours('en', confirmed)}\n\n${unlinkedText}` },
        };
      const reply = confirmed
        ? await conversation.confirm(who, proposalId)
        : await conversation.cancel(who, proposalId);
      if (reply.refused === 'proposal_not_found')
        return { foreign: true, reply: { text: notYours(who.locale, confirmed) } };
      return { foreign: false, reply: renderReply(reply) };
    },
  };
}

export type SlackDialogue = ReturnType<typeof slackDialogue>;
