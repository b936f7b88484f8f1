import type { types } from '@slack/bolt';
import type { Reply } from '../conversation.ts';
import { render } from '../../api/core/messages/index.ts';

type KnownBlock = types.KnownBlock;

export const confirmAction = 'scorta_confirm';
export const cancelAction = 'scorta_cancel';
/** Prefix of the buttons that answer a question (one action id per button, as Slack requires). */
export const answerAction = 'scorta_answer';

const maxRows = 25;
const maxTimeline = 20;
const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
const escapeText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A table as a monospace block: aligned columns, at most 25 rows, long cells clipped. */
export function monospaceTable(columns: string[], rows: string[][]): string {
  const cells = [columns, ...rows.slice(0, maxRows)].map((r) => r.map((c) => clip(c, 38)));
  const widths = columns.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => (/^\d/.test(c) && i > 0 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  const more = rows.length > maxRows ? `\n… +${rows.length - maxRows}` : '';
  return (
    '```\n' +
    escapeText([line(cells[0]!), widths.map((w) => '─'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n')) +
    more +
    '\n```'
  );
}

const section = (text: string): KnownBlock => ({ type: 'section', text: { type: 'mrkdwn', text: clip(text, 3000) } });

/** Block Kit for a dialogue reply: stock tables, trace timelines, proposals with confirm / cancel, question buttons. */
export function renderReply(reply: Reply): { text: string; blocks: KnownBlock[] } {
  const l = reply.language;
  const blocks: KnownBlock[] = [];
  if (reply.title) blocks.push({ type: 'header', text: { type: 'plain_text', text: clip(reply.title, 150) } });
  if (reply.proposal) {
    blocks.push(section(`*${escapeText(render('slack_confirm_heading', l))}*`));
    blocks.push({
      type: 'section',
      fields: reply.proposal.lines.map((x) => ({
        type: 'mrkdwn' as const,
        text: `*${escapeText(x.label)}*\n${escapeText(x.value)}`,
      })),
    });
    blocks.push({
      type: 'actions',
      block_id: 'scorta_proposal',
      elements: [
        {
          type: 'button',
          action_id: confirmAction,
          style: 'primary',
          value: reply.proposal.id,
          text: { type: 'plain_text', text: render('slack_confirm_button', l) },
        },
        {
          type: 'button',
          action_id: cancelAction,
          style: 'danger',
          value: reply.proposal.id,
          text: { type: 'plain_text', text: render('slack_cancel_button', l) },
        },
      ],
    });
    blocks.push({
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: render('slack_proposal_expiry', l, { time: reply.proposal.expiresAt.slice(11, 16) }),
        },
      ],
    });
    return { text: reply.text, blocks };
  }
  blocks.push(section(escapeText(reply.text)));
  if (reply.table) blocks.push(section(monospaceTable(reply.table.columns, reply.table.rows)));
  for (const m of (reply.timeline ?? []).slice(0, maxTimeline))
    blocks.push({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: `*${escapeText(m.when)}*  ${escapeText(m.text)}` }],
    });
  if (reply.question?.options.length) {
    blocks.push({
      type: 'actions',
      block_id: 'scorta_question',
      elements: reply.question.options.slice(0, 5).map((o, i) => ({
        type: 'button' as const,
        action_id: `${answerAction}_${i}`,
        value: clip(o.text, 2000),
        text: { type: 'plain_text' as const, text: clip(o.label, 75) },
      })),
    });
  }
  return { text: reply.text, blocks };
}
