import { proposeWrite } from '../../api/chat/proposals.ts';
import { permissions } from '../../api/auth/permissions.ts';
import { DomainError } from '../../api/core/errors.ts';
import type { NluLocation } from '../nlu/types.ts';
import { say, type Reply } from './reply.ts';
import { quantityText, tr, urgencyText } from './texts.ts';
import { catalogueItem, catalogueLocation, itemName, locationName, type Turn } from './turn.ts';

const ask = (t: Turn, it: string, en: string, options: { label: string; text: string }[] = []): Reply =>
  say('question', t.language, tr(t.language, it, en), { question: { followUp: t.text, options } });
const refuse = (t: Turn, it: string, en: string): Reply => say('refusal', t.language, tr(t.language, it, en));

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
 * quantity far beyond the usual consumption (`checkRequestRules`), the same as on every channel. Nothing is written here.
 */
export async function proposeOrder(t: Turn): Promise<Reply> {
  const { slots, issues, ambiguities, missing } = t.parsed;
  const l = t.language;
  if (issues.length)
    return say('refusal', l, `${issues[0]!.message[l]} ${tr(l, 'Non ho ordinato niente.', 'Nothing was ordered.')}`);
  if (ambiguities.length) {
    const options = ambiguities[0]!.candidates.map((c) => ({ label: itemName(t, c), text: `${t.text} ${c.code}` }));
    return ask(
      t,
      `Quale articolo intendi? ${options.map((o) => o.label).join('; ')}.`,
      `Which item do you mean? ${options.map((o) => o.label).join('; ')}.`,
      options,
    );
  }
  const item = slots.item ? catalogueItem(t, slots.item.id) : undefined;
  if (!item || missing.includes('item'))
    return ask(t, 'Quale articolo vuoi ordinare?', 'Which item do you want to order?');
  if (slots.quantity === undefined) return ask(t, `Quanti ${itemName(t, item)}?`, `How many ${itemName(t, item)}?`);
  const destination = destinationOf(t);
  if (!destination) return ask(t, 'Per quale reparto?', 'For which ward?');
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
        note: tr(l, 'Richiesta dalla chat', 'Request from chat'),
      },
      summary,
    },
  }).catch((error: unknown) => {
    if (!(error instanceof DomainError) || error.code !== 'validation') throw error;
    const capped = error.key === 'quantity_above_usual' || error.key === 'quantity_above_usual_no_history';
    return refuse(
      t,
      `${error.localized('it')} Non ho ordinato niente${capped ? ": chiedi una quantità più piccola o usa l'app Scorta" : ''}.`,
      `${error.localized('en')} Nothing was ordered${capped ? ': ask for less, or use the Scorta app' : ''}.`,
    );
  });
  if ('kind' in proposal) return proposal;
  const lines = [
    { label: tr(l, 'Articolo', 'Item'), value: summary.item },
    { label: tr(l, 'Quantità', 'Quantity'), value: summary.quantity },
    { label: tr(l, 'Reparto', 'Ward'), value: summary.ward },
    { label: tr(l, 'Urgenza', 'Urgency'), value: summary.urgency },
  ];
  const text = tr(
    l,
    `Confermi la richiesta? ${quantity} di ${summary.item} per ${summary.ward}, urgenza ${summary.urgency}.`,
    `Confirm this request? ${quantity} of ${summary.item} for ${summary.ward}, urgency ${summary.urgency}.`,
  );
  const speech = tr(
    l,
    `Ordino ${quantity} di ${itemName(t, item)} per ${locationName(t, destination)}, urgenza ${summary.urgency}. Confermi?`,
    `I'll order ${quantity} of ${itemName(t, item)} for ${locationName(t, destination)}, ${summary.urgency}. Shall I go ahead?`,
  );
  return {
    kind: 'proposal',
    language: l,
    text,
    speech,
    proposal: { id: proposal.id, lines, expiresAt: proposal.expiresAt },
  };
}
