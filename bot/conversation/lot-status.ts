import { proposeWrite } from '../../api/chat/proposals.ts';
import { render } from '../../api/core/messages/index.ts';
import { lotStatusSentence } from './lot-words.ts';
import { proposalReply, type Reply } from './reply.ts';
import { resolveLot } from './lots.ts';
import { itemName, type Turn } from './turn.ts';

/**
 * "richiama il lotto ENX2291", "put batch ZX99812 on hold": a recall or quarantine proposal showing the lot,
 * its item and expiry and the action; the user's words are the recorded reason. Written only on confirmation.
 * A lot already in that status, or recalled, is refused by the core's check before anything is proposed.
 */
export async function proposeLotStatus(t: Turn, event: 'recall' | 'quarantine'): Promise<Reply> {
  const l = t.language;
  const resolved = await resolveLot(t);
  if ('reply' in resolved) return resolved.reply;
  const lot = resolved.lot;
  const action = render(event === 'recall' ? 'action_recall' : 'action_quarantine', l);
  const summary = {
    lot: lot.lotCode,
    item: `${lot.item.code} · ${itemName(t, lot.item)}`,
    expiry: lot.expiry ?? '—',
    action,
  };
  const proposal = await proposeWrite({
    ctx: t.ctx,
    input: {
      action: event === 'recall' ? 'recall_lot' : 'quarantine_lot',
      input: { lotId: lot.id, reason: `Chat: ${t.text}`.slice(0, 500) },
      summary,
    },
  });
  const lines = [
    { label: render('column_lot', l), value: summary.lot },
    { label: render('column_item', l), value: summary.item },
    { label: render('column_expiry', l), value: summary.expiry },
    { label: render('column_action', l), value: action },
  ];
  // Its status first when it is not plain available (a quarantined lot to recall, an expired one): the rest is the
  // proposal.
  const now =
    lot.status === 'available'
      ? ''
      : `${lotStatusSentence({ ...lot, reason: lot.statusReason }, itemName(t, lot.item), l, true)} `;
  const text = now + render('lot_action_confirm', l, { action, lotCode: lot.lotCode, item: summary.item });
  const speech =
    now + render('lot_action_confirm_speech', l, { action, lotCode: lot.lotCode, item: itemName(t, lot.item) });
  return proposalReply(l, { text, speech }, proposal, lines);
}
