import { proposeWrite } from '../../api/chat/proposals.ts';
import { listLots } from '../../api/lots/list-lots.ts';
import { say, type Reply } from './reply.ts';
import { tr } from './texts.ts';
import { itemName, type Turn } from './turn.ts';

/**
 * "richiama il lotto ENX2291", "put batch ZX99812 on hold": a recall or quarantine proposal showing the lot,
 * its item and expiry and the action; the user's words are the recorded reason. Written only on confirmation.
 */
export async function proposeLotStatus(t: Turn, event: 'recall' | 'quarantine'): Promise<Reply> {
  const l = t.language;
  const code = t.parsed.slots.lotCode ?? t.parsed.slots.gs1?.lot;
  if (!code) return say('question', l, tr(l, 'Quale lotto? Dimmi il codice.', 'Which lot? Tell me its code.'), { question: { followUp: t.text, options: [] } });
  const found = (await listLots({ ctx: t.ctx, input: { lotCode: code, limit: 10 } })).data.filter((x) => !t.parsed.slots.item || x.itemId === t.parsed.slots.item.id);
  if (found.length === 0) return say('answer', l, tr(l, `Non trovo il lotto ${code}.`, `I cannot find lot ${code}.`));
  if (found.length > 1) {
    const options = found.map((x) => ({ label: `${x.item.code} · ${itemName(t, x.item)}`, text: `${t.text} ${x.item.code}` }));
    return say('question', l, tr(l, `Il lotto ${code} esiste per più articoli: quale?`, `Lot ${code} exists for several items: which one?`), { question: { followUp: t.text, options } });
  }
  const lot = found[0]!;
  const action = event === 'recall' ? tr(l, 'Richiamo (definitivo)', 'Recall (final)') : tr(l, 'Quarantena', 'Quarantine');
  const summary = { lot: lot.lotCode, item: `${lot.item.code} · ${itemName(t, lot.item)}`, expiry: lot.expiry ?? '—', action };
  const proposal = await proposeWrite({
    ctx: t.ctx,
    input: { action: event === 'recall' ? 'recall_lot' : 'quarantine_lot', input: { lotId: lot.id, reason: `Chat: ${t.text}`.slice(0, 500) }, summary },
  });
  const lines = [
    { label: tr(l, 'Lotto', 'Lot'), value: summary.lot },
    { label: tr(l, 'Articolo', 'Item'), value: summary.item },
    { label: tr(l, 'Scadenza', 'Expiry'), value: summary.expiry },
    { label: tr(l, 'Azione', 'Action'), value: action },
  ];
  const text = tr(l, `Confermi? ${action} del lotto ${lot.lotCode} di ${summary.item}: nessuno potrà più usarlo.`, `Confirm? ${action} of lot ${lot.lotCode} of ${summary.item}: nobody will be able to use it.`);
  const speech = tr(l, `${action} del lotto ${lot.lotCode} di ${itemName(t, lot.item)}. Confermi?`, `${action} of lot ${lot.lotCode} of ${itemName(t, lot.item)}. Shall I go ahead?`);
  return { kind: 'proposal', language: l, text, speech, proposal: { id: proposal.id, lines, expiresAt: proposal.expiresAt } };
}
