import type { z } from 'zod';
import { loadItems } from '../catalogue/load-item.ts';
import type { Context } from '../core/context.ts';
import { stateLabel } from '../core/labels.ts';
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

/** A request: every line with the item's code, names and unit, the destination by name and code, the urgency — read from the database. */
async function describeRequest(ctx: Context, input: z.output<typeof EmitRequestInput>): Promise<ProposalDescription> {
  const destination = await loadLocation(ctx, input.destinationId);
  const items = await loadItems(
    ctx,
    input.lines.map((l) => l.itemId),
  );
  const lines = input.lines.map((l) => ({ ...l, item: items.get(l.itemId)! }));
  const [urgencyIt, urgencyEn] = [
    stateLabel('urgency', input.urgency, 'it'),
    stateLabel('urgency', input.urgency, 'en'),
  ];
  const where = `${destination.name} (${destination.code})`;
  const summary: Record<string, string> = { destination: cut(where), urgency: urgencyEn };
  lines.forEach(
    (l, i) =>
      (summary[`line ${i + 1}`] = cut(
        `${l.quantity} ${l.item.unit} · ${l.item.code} · ${l.item.name} / ${l.item.nameEn}`,
      )),
  );
  if (input.neededBy) summary.neededBy = input.neededBy;
  if (input.note) summary.note = cut(input.note);
  const list = (lang: 'it' | 'en') =>
    lines
      .map(
        (l) =>
          `${l.quantity} ${l.item.unit} ${l.item.code} (${lang === 'it' ? l.item.name : l.item.nameEn || l.item.name})`,
      )
      .join(', ');
  const by = input.neededBy
    ? { it: `, necessaria entro ${input.neededBy}`, en: `, needed by ${input.neededBy}` }
    : { it: '', en: '' };
  return {
    summary,
    text: {
      it: `Emetterò una richiesta per ${where}, urgenza ${urgencyIt}${by.it}: ${list('it')}. Non è ancora stato scritto niente: conferma per inviarla.`,
      en: `I will emit a request for ${where}, urgency ${urgencyEn}${by.en}: ${list('en')}. Nothing has been written yet: confirm to send it.`,
    },
  };
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
    const text =
      event === 'recall'
        ? {
            it: `Richiamerò il lotto ${lot.lotCode} di ${item.code} (${item.name}), scadenza ${expiry}: è definitivo, nessuno potrà più usarlo e potrà solo tornare al magazzino che lo ha ricevuto; i reparti che lo hanno saranno avvisati e i loro armadi bloccati. Motivo: ${input.reason}. Non è ancora stato scritto niente: conferma per procedere.`,
            en: `I will recall lot ${lot.lotCode} of ${item.code} (${item.nameEn || item.name}), expiry ${expiry}: final, nobody may use it any more and it may only go back to the store that received it; the wards holding it are notified and their cabinets locked. Reason: ${input.reason}. Nothing has been written yet: confirm to go ahead.`,
          }
        : {
            it: `Metterò in quarantena il lotto ${lot.lotCode} di ${item.code} (${item.name}), scadenza ${expiry}: nessuno potrà usarlo finché la quarantena non viene tolta; i reparti che lo hanno saranno avvisati e i loro armadi bloccati. Motivo: ${input.reason}. Non è ancora stato scritto niente: conferma per procedere.`,
            en: `I will put lot ${lot.lotCode} of ${item.code} (${item.nameEn || item.name}), expiry ${expiry}, in quarantine: nobody may use it until the quarantine is lifted; the wards holding it are notified and their cabinets locked. Reason: ${input.reason}. Nothing has been written yet: confirm to go ahead.`,
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
  (ctx: Context, input: any) => Promise<ProposalDescription>
> = {
  request_items: describeRequest,
  recall_lot: describeLotStatus('recall'),
  quarantine_lot: describeLotStatus('quarantine'),
};
