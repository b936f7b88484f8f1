import { proposeWrite } from '../../api/chat/proposals.ts';
import { permissions } from '../../api/auth/permissions.ts';
import { DomainError } from '../../api/core/errors.ts';
import type { NluLocation } from '../nlu/types.ts';
import { proposalReply, say, type Reply } from './reply.ts';
import { render, type CatalogueKey, type Params } from '../../api/core/messages/index.ts';
import { quantityText, urgencyText } from './texts.ts';
import { catalogueItem, catalogueLocation, itemName, locationName, type Turn } from './turn.ts';

const ask = (t: Turn, key: CatalogueKey, params: Params = {}, options: { label: string; text: string }[] = []) =>
  say('question', t.language, render(key, t.language, params), { question: { followUp: t.text, options } });
const refuse = (t: Turn, key: CatalogueKey, params: Params): Reply =>
  say('refusal', t.language, render(key, t.language, params));

/** The destination: the ward named, a patient's home by code, or else the user's only ward. */
function destinationOf(t: Turn): NluLocation | undefined {
  const { slots } = t.parsed;
  if (slots.location) return catalogueLocation(t, slots.location.id);
  if (slots.patientCode) return t.catalogue.locations.find((l) => l.patientCode === slots.patientCode);
  const mine = t.ctx.actor.grants.filter(
    (g) => g.locationId && (permissions['requests.emit'].roles as readonly string[]).includes(g.role),
  );
  return mine.length === 1 ? catalogueLocation(t, mine[0]!.locationId!) : undefined;
}

/**
 * A chat order: ambiguity and missing values are asked; what is left becomes a proposal showing exactly what
 * would be written. The request core refuses, when proposed, a destination that is not a ward or home and a
 * quantity far beyond the usual consumption (`checkRequestRules`), the same as on every channel. Nothing is written
 * here.
 */
export async function proposeOrder(t: Turn): Promise<Reply> {
  const { slots, issues, ambiguities, missing } = t.parsed;
  const l = t.language;
  if (issues.length) return say('refusal', l, `${issues[0]!.message[l]} ${render('nothing_ordered', l)}`);
  if (ambiguities.length) {
    const options = ambiguities[0]!.candidates.map((c) => ({ label: itemName(t, c), text: `${t.text} ${c.code}` }));
    return ask(t, 'order_which_of', { options: options.map((o) => o.label).join('; ') }, options);
  }
  const item = slots.item ? catalogueItem(t, slots.item.id) : undefined;
  if (!item || missing.includes('item')) return ask(t, 'order_which_item');
  if (slots.quantity === undefined) return ask(t, 'order_how_many', { item: itemName(t, item) });
  const destination = destinationOf(t);
  if (!destination) return ask(t, 'order_which_ward');
  const units = slots.unit === 'pack' ? slots.quantity * item.packSize : slots.quantity;

  const urgency = slots.urgency ?? 'normal';
  const quantity =
    slots.unit === 'pack'
      ? `${quantityText(slots.quantity, 'cf', l)} (${quantityText(units, item.unit, l)})`
      : quantityText(units, item.unit, l);
  const summary = {
    item: `${item.code} · ${itemName(t, item)}`,
    quantity,
    ward: `${locationName(t, destination)} (${destination.code})`,
    urgency: urgencyText(urgency, l),
  };
  const proposal = await proposeWrite({
    ctx: t.ctx,
    input: {
      action: 'request_items',
      input: {
        destinationId: destination.id,
        urgency,
        lines: [{ itemId: item.id, quantity: units }],
        note: render('order_note', l),
      },
      summary,
    },
  }).catch((error: unknown) => {
    if (!(error instanceof DomainError) || error.code !== 'validation') throw error;
    const capped = error.key === 'quantity_above_usual' || error.key === 'quantity_above_usual_no_history';
    return refuse(t, capped ? 'order_refused_capped' : 'order_refused', { error: error.localized(l) });
  });
  if ('kind' in proposal) return proposal;
  const lines = [
    { label: render('column_item', l), value: summary.item },
    { label: render('column_quantity', l), value: summary.quantity },
    { label: render('column_ward', l), value: summary.ward },
    { label: render('column_urgency', l), value: summary.urgency },
  ];
  const text = render('order_confirm', l, {
    quantity,
    item: summary.item,
    ward: summary.ward,
    urgency: summary.urgency,
  });
  const speech = render('order_confirm_speech', l, {
    quantity,
    item: itemName(t, item),
    ward: locationName(t, destination),
    urgency: summary.urgency,
  });
  return proposalReply(l, { text, speech }, proposal, lines);
}
