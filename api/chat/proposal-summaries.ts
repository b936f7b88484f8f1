import type { z } from 'zod';
import { loadItems } from '../catalogue/load-item.ts';
import type { Context } from '../core/context.ts';
import { render } from '../core/messages/index.ts';
import { stateLabel } from '../core/messages/labels.ts';
import { loadLocation } from '../locations/load-location.ts';
import { loadLot } from '../lots/load-lot.ts';
import type { LotStatusChange } from '../lots/set-lot-status.ts';
import type { EmitRequestInput } from '../requests/schemas.ts';
import type { ProposalActionName } from './proposal-actions.ts';

/** What a proposal would do, in the words a person reads: labelled facts and one sentence, in Italian and English. */
export interface ProposalDescription {
  summary: Record<string, string>;
  text: { it: string; en: string };
}

const cut = (value: string) => (value.length > 300 ? `${value.slice(0, 299)}…` : value);

/**
 * A request: every line with the item's code, names and unit, the destination by name and code, the urgency — read from
 * the database.
 */
async function describeRequest(ctx: Context, input: z.output<typeof EmitRequestInput>): Promise<ProposalDescription> {
  const destination = await loadLocation(ctx, input.destinationId);
  const items = await loadItems(
    ctx,
    input.lines.map((l) => l.itemId),
  );
  const lines = input.lines.map((l) => ({ ...l, item: items.get(l.itemId)! }));
  const urgencyEn = stateLabel('urgency', input.urgency, 'en');
  const where = `${destination.name} (${destination.code})`;
  const summary: Record<string, string> = { destination: cut(where), urgency: urgencyEn };
  for (const [i, l] of lines.entries())
    summary[`line ${i + 1}`] = cut(`${l.quantity} ${l.item.unit} · ${l.item.code} · ${l.item.name} / ${l.item.nameEn}`);
  if (input.neededBy) summary.neededBy = input.neededBy;
  if (input.note) summary.note = cut(input.note);
  const list = (lang: 'it' | 'en') =>
    lines
      .map(
        (l) =>
          `${l.quantity} ${l.item.unit} ${l.item.code} (${lang === 'it' ? l.item.name : l.item.nameEn || l.item.name})`,
      )
      .join(', ');
  const text = (lang: 'it' | 'en') =>
    render('proposal_request', lang, {
      destination: where,
      urgency: input.urgency,
      neededBy: input.neededBy ? render('proposal_needed_by', lang, { date: input.neededBy }) : '',
      lines: list(lang),
    });
  return { summary, text: { it: text('it'), en: text('en') } };
}

/** A quarantine or recall: the lot's code, item, expiry and current status, and what the change means. */
function describeLotStatus(event: 'recall' | 'quarantine') {
  return async (ctx: Context, input: z.output<typeof LotStatusChange>): Promise<ProposalDescription> => {
    const lot = await loadLot(ctx, input.lotId);
    const item = (await loadItems(ctx, [lot.itemId])).get(lot.itemId)!;
    const what = `${lot.lotCode} · ${item.code} · ${item.name} / ${item.nameEn}`;
    const expiry = lot.expiry ?? '—';
    const summary: Record<string, string> = {
      action: event === 'recall' ? 'recall (final)' : 'quarantine',
      lot: cut(what),
      expiry,
      status: lot.status,
      reason: cut(input.reason),
    };
    if (input.reference) summary.reference = input.reference;
    const key = event === 'recall' ? 'proposal_recall' : 'proposal_quarantine';
    const params = { lotCode: lot.lotCode, item: item.code, expiry, reason: input.reason };
    const text = {
      it: render(key, 'it', { ...params, name: item.name }),
      en: render(key, 'en', { ...params, name: item.nameEn || item.name }),
    };
    return { summary, text };
  };
}

/**
 * How each proposal is described to the person who must confirm it, from the database (codes, names, quantities),
 * never from the words of whoever asked for it. Unknown ids fail here as `not_found`, before anything is recorded.
 */
export const proposalDescriptions: Record<
  ProposalActionName,
  // biome-ignore lint/suspicious/noExplicitAny: the payload its action's schema parsed; each describer types it
  (ctx: Context, input: any) => Promise<ProposalDescription>
> = {
  request_items: describeRequest,
  recall_lot: describeLotStatus('recall'),
  quarantine_lot: describeLotStatus('quarantine'),
};
