import { linkChatAccount } from '../api/chat/link-codes.ts';
import { cancelProposal, confirmProposal } from '../api/chat/proposals.ts';
import type { Actor, Context } from '../api/core/context.ts';
import { DomainError } from '../api/core/errors.ts';
import { render } from '../api/core/messages/index.ts';
import { text } from '../api/core/text.ts';
import { parseInput } from '../api/core/validate.ts';
import { z } from 'zod';
import type { Database } from '../db/client.ts';
import { proposeLotStatus } from './conversation/lot-status.ts';
import { answerExpiring, answerTrace } from './conversation/lots.ts';
import { proposeOrder } from './conversation/order.ts';
import { say, type Reply } from './conversation/reply.ts';
import { answerOutOfScope, unknownPatient } from './conversation/scope.ts';
import { answerPatientSupplies, answerRequestStatus } from './conversation/status.ts';
import { answerStock } from './conversation/stock.ts';
import { helpSpeech, helpText } from './conversation/texts.ts';
import type { Turn } from './conversation/turn.ts';
import { loadNluCatalogue } from './nlu/catalogue.ts';
import { parseUtterance } from './nlu/parse.ts';
import type { Language, NluCatalogue, ParseResult } from './nlu/types.ts';

export type { Reply } from './conversation/reply.ts';

export interface ConversationDeps {
  db: Database;
  now?: () => Date;
  /** How long a user's catalogue snapshot is reused before it is read again. */
  catalogueTtlMs?: number;
}

/** The user a message comes from, as resolved by the channel (a linked Slack account, an Alexa token). */
export interface Speaker {
  actor: Actor;
  locale: Language;
}

/** What a person typed or said (Slack, voice), checked by the one string rule before anything reads it. */
const Message = z.object({ text: text(), followUp: text().optional() });

/** One exhaustive switch from core errors to what the user reads. */
function errorReply(error: unknown, l: Language): Reply {
  if (!(error instanceof DomainError)) {
    console.error('conversation failed', error);
    return say('refusal', l, render('error_internal', l));
  }
  switch (error.code) {
    case 'forbidden':
      return say('refusal', l, render('error_forbidden', l));
    case 'unauthorized':
    case 'not_found':
    case 'validation':
    case 'conflict':
    case 'precondition_failed':
    case 'internal':
      return say('refusal', l, error.localized(l), { refused: error.key });
  }
}

/**
 * The channel-neutral dialogue Slack and voice share: parse → resolve → answer a read, propose a write
 * (never write it), or ask. Confirmation and cancellation of proposals go through the core.
 */
export function createConversation(deps: ConversationDeps) {
  const now = deps.now ?? (() => new Date());
  const ttl = deps.catalogueTtlMs ?? 60_000;
  const catalogues = new Map<string, { at: number; catalogue: NluCatalogue }>();
  const contextOf = (actor: Actor): Context => ({ db: deps.db, actor, now });

  async function catalogueFor(ctx: Context): Promise<NluCatalogue> {
    const key = `${ctx.actor.userId}|${ctx.actor.channel}`;
    const cached = catalogues.get(key);
    if (cached && Date.now() - cached.at < ttl) return cached.catalogue;
    const catalogue = await loadNluCatalogue(ctx);
    catalogues.set(key, { at: Date.now(), catalogue });
    return catalogue;
  }

  /** The answer to an earlier question is read together with the question's message, unless it stands on its own. */
  function parse(
    text: string,
    followUp: string | undefined,
    catalogue: NluCatalogue,
    locale: Language,
  ): { text: string; parsed: ParseResult } {
    const options = { fallbackLanguage: locale, now: now() };
    const alone = parseUtterance(text, catalogue, options);
    if (!followUp || alone.injection) return { text, parsed: alone };
    const selfContained =
      alone.intent !== 'out_of_scope' &&
      alone.intent !== 'help' &&
      alone.missing.length === 0 &&
      alone.ambiguities.length === 0;
    if (selfContained) return { text, parsed: alone };
    const combined = `${followUp} ${text}`;
    return { text: combined, parsed: parseUtterance(combined, catalogue, options) };
  }

  async function route(t: Turn): Promise<Reply> {
    const unknown = unknownPatient(t);
    if (unknown) return unknown;
    switch (t.parsed.intent) {
      case 'stock_query':
        return answerStock(t);
      case 'request_items':
        return proposeOrder(t);
      case 'trace_lot':
        return answerTrace(t);
      case 'expiring':
        return answerExpiring(t);
      case 'request_status':
        return answerRequestStatus(t);
      case 'patient_supplies':
        return answerPatientSupplies(t);
      case 'recall_lot':
        return proposeLotStatus(t, 'recall');
      case 'quarantine_lot':
        return proposeLotStatus(t, 'quarantine');
      case 'help':
        return say('help', t.language, helpText(t.language), { speech: helpSpeech(t.language) });
      case 'out_of_scope':
        return answerOutOfScope(t);
    }
  }

  return {
    /** Answers one message of a linked user; `followUp` is the previous reply's `question.followUp`, if any. */
    async handle(speaker: Speaker, text: string, followUp?: string): Promise<Reply> {
      const ctx = contextOf(speaker.actor);
      let language = speaker.locale;
      try {
        parseInput(Message, { text, followUp });
        const catalogue = await catalogueFor(ctx);
        const { text: read, parsed } = parse(text.slice(0, 2000), followUp, catalogue, speaker.locale);
        language = parsed.language;
        return await route({ ctx, text: read, parsed, catalogue, language });
      } catch (error) {
        return errorReply(error, language);
      }
    },

    /** Confirms a proposal of the speaker: the write runs once, whatever the number of clicks. */
    async confirm(speaker: Speaker, proposalId: string): Promise<Reply> {
      const l = speaker.locale;
      try {
        const done = await confirmProposal({ ctx: contextOf(speaker.actor), input: { proposalId } });
        const what = Object.values(done.summary).join(' · ');
        const ref = done.result?.reference ?? '';
        const outcome =
          done.action === 'request_items'
            ? render('outcome_request', l, { reference: ref })
            : render('outcome_lot', l, {
                reference: ref,
                status: done.action === 'recall_lot' ? 'recalled' : 'quarantined',
              });
        const text = render(done.replayed ? 'confirmed_again' : 'confirmed', l, { outcome, what });
        const speech = render('confirmed_speech', l, { outcome: `${outcome[0]!.toUpperCase()}${outcome.slice(1)}` });
        return { kind: 'confirmed', language: l, text, speech };
      } catch (error) {
        return errorReply(error, l);
      }
    },

    /** Cancels a proposal of the speaker: nothing is written. */
    async cancel(speaker: Speaker, proposalId: string): Promise<Reply> {
      const l = speaker.locale;
      try {
        const done = await cancelProposal({ ctx: contextOf(speaker.actor), input: { proposalId } });
        const what = Object.values(done.summary).join(' · ');
        if (done.action !== 'request_items')
          return say('cancelled', l, render('cancelled_lot', l, { what }), {
            speech: render('cancelled_lot_speech', l),
          });
        return say('cancelled', l, render('cancelled_order', l, { what }), {
          speech: render('cancelled_order_speech', l),
        });
      } catch (error) {
        return errorReply(error, l);
      }
    },

    /** Redeems a link code for a chat account; the reply says who the account now acts as. */
    async link(
      account: { provider: 'slack' | 'voice'; workspace: string; externalUserId: string },
      code: string,
    ): Promise<Reply> {
      try {
        const user = await linkChatAccount({ ctx: { db: deps.db, now }, input: { ...account, code } });
        const l = user.locale;
        const params = { name: user.displayName, username: user.username, help: helpText(l) };
        return say('linked', l, render('linked', l, params));
      } catch (error) {
        const [it, en] = [errorReply(error, 'it'), errorReply(error, 'en')];
        return { ...it, text: `${it.text}\n${en.text}` };
      }
    },
  };
}

export type Conversation = ReturnType<typeof createConversation>;
