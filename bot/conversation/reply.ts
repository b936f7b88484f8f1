import type { MessageKey } from '../../api/core/messages/index.ts';
import type { Language } from '../nlu/types.ts';

/** A labelled value of a proposal, shown exactly as it will be written. */
export interface SummaryLine {
  label: string;
  value: string;
}

/**
 * What the dialogue answers, independent of the channel: Slack renders `table`, `timeline`, `proposal` and
 * `question` as Block Kit; voice says `speech` (short: numbers and units, no tables).
 */
export interface Reply {
  kind: 'answer' | 'question' | 'proposal' | 'refusal' | 'confirmed' | 'cancelled' | 'help' | 'unlinked' | 'linked';
  language: Language;
  /** The full answer as plain text, in the reply language. */
  text: string;
  /** A short sentence to say aloud. */
  speech: string;
  title?: string;
  table?: { columns: string[]; rows: string[][] };
  timeline?: { when: string; text: string }[];
  /** A write waiting for the user's confirmation: exactly these values will be written. */
  proposal?: { id: string; lines: SummaryLine[]; expiresAt: string };
  /**
   * A question the next message answers: `followUp` is what to put before the answer when parsing it
   * again; `options` are ready answers (buttons on Slack), each a complete text to send back.
   */
  question?: { followUp: string; options: { label: string; text: string }[] };
  /** Of a refusal: the core's message key (a channel may present `proposal_not_found` differently). */
  refused?: MessageKey;
}

/** A reply whose text is also what is spoken. */
export const say = (kind: Reply['kind'], language: Language, text: string, extra: Partial<Reply> = {}): Reply => ({
  kind,
  language,
  text,
  speech: text,
  ...extra,
});

/** A proposal waiting for the person's yes: what will be written (`lines`), said as text and as speech. */
export const proposalReply = (
  language: Language,
  words: { text: string; speech: string },
  proposal: { id: string; expiresAt: string },
  lines: SummaryLine[],
): Reply => ({
  kind: 'proposal',
  language,
  ...words,
  proposal: { id: proposal.id, lines, expiresAt: proposal.expiresAt },
});
