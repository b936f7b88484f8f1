import { proposeWrite } from '../../api/chat/proposals.ts';
import { permissions } from '../../api/auth/permissions.ts';
import { stockCover } from '../../api/replenishment/stock-cover.ts';
import type { NluItem, NluLocation } from '../nlu/types.ts';
import { say, type Reply } from './reply.ts';
import { quantityText, tr, urgencyText } from './texts.ts';
import { catalogueItem, catalogueLocation, itemName, locationName, type Turn } from './turn.ts';

/** A chat order above this many times the destination's usual weekly consumption is refused with the reason. */
export const maxWeeksOfDemand = 4;
/** Without any consumption in the history window, a chat order may hold at most this many packs (and at least 50 units). */
export const maxPacksWithoutHistory = 5;
const orderableKinds = new Set(['ward', 'ward_store', 'cabinet', 'home']);

const ask = (t: Turn, it: string, en: string, options: { label: string; text: string }[] = []): Reply =>
  say('question', t.language, tr(t.language, it, en), { question: { followUp: t.text, options } });
const refuse = (t: Turn, it: string, en: string): Reply => say('refusal', t.language, tr(t.language, it, en));

/** The destination: the ward named, a patient's home by code, or else the user's only ward. */
function destinationOf(t: Turn): NluLocation | undefined {
  const { slots } = t.parsed;
  if (slots.location) return catalogueLocation(t, slots.location.id);
  if (slots.patientCode) return t.catalogue.locations.find((l) => l.patientCode === slots.patientCode);
  const mine = t.ctx.actor.grants.filter((g) => g.locationId && (permissions['requests.emit'].roles as readonly string[]).includes(g.role));
  return mine.length === 1 ? catalogueLocation(t, mine[0]!.locationId!) : undefined;
}

/** The most a chat order may ask for, with the reason shown when it is exceeded. */
async function ceiling(t: Turn, item: NluItem, destination: NluLocation) {
  const [cover] = await stockCover({ ctx: t.ctx, input: { locationId: destination.id, itemIds: [item.id] } });
  const weekly = cover?.weeklyDemand ?? 0;
  const l = t.language;
  if (weekly > 0) {
    const max = Math.ceil(maxWeeksOfDemand * weekly);
    const why = tr(l, `è più di ${maxWeeksOfDemand} volte il consumo abituale di ${locationName(t, destination)} (${quantityText(Math.round(weekly * 10) / 10, item.unit, l)} a settimana nelle ultime 8 settimane)`, `is more than ${maxWeeksOfDemand} times the usual consumption of ${locationName(t, destination)} (${quantityText(Math.round(weekly * 10) / 10, item.unit, l)} a week over the last 8 weeks)`);
    return { max, why };
  }
  const max = Math.max(maxPacksWithoutHistory * item.packSize, 50);
  const why = tr(l, `è molto per un articolo che ${locationName(t, destination)} non ha consumato nelle ultime 8 settimane (massimo ${quantityText(max, item.unit, l)} dalla chat)`, `is a lot for an item ${locationName(t, destination)} has not used in the last 8 weeks (at most ${quantityText(max, item.unit, l)} from chat)`);
  return { max, why };
}

/**
 * The write-safety rules of a chat order, in one place for every channel: ambiguity and missing values are
 * asked, unusable quantities and quantities far beyond the usual consumption are refused with the reason,
 * and what is left becomes a proposal showing exactly what would be written. Nothing is written here.
 */
export async function proposeOrder(t: Turn): Promise<Reply> {
  const { slots, issues, ambiguities, missing } = t.parsed;
  const l = t.language;
  if (issues.length) return say('refusal', l, `${issues[0]!.message[l]} ${tr(l, 'Non ho ordinato niente.', 'Nothing was ordered.')}`);
  if (ambiguities.length) {
    const options = ambiguities[0]!.candidates.map((c) => ({ label: itemName(t, c), text: `${t.text} ${c.code}` }));
    return ask(t, `Quale articolo intendi? ${options.map((o) => o.label).join('; ')}.`, `Which item do you mean? ${options.map((o) => o.label).join('; ')}.`, options);
  }
  const item = slots.item ? catalogueItem(t, slots.item.id) : undefined;
  if (!item || missing.includes('item')) return ask(t, 'Quale articolo vuoi ordinare?', 'Which item do you want to order?');
  if (slots.quantity === undefined) return ask(t, `Quanti ${itemName(t, item)}?`, `How many ${itemName(t, item)}?`);
  const destination = destinationOf(t);
  if (!destination) return ask(t, 'Per quale reparto?', 'For which ward?');
  if (!orderableKinds.has(destination.kind)) return refuse(t, `Dalla chat si ordina per un reparto o un domicilio, non per ${destination.name}.`, `From chat you order for a ward or a home, not for ${locationName(t, destination)}.`);
  const units = slots.unit === 'pack' ? slots.quantity * item.packSize : slots.quantity;
  const { max, why } = await ceiling(t, item, destination);
  if (units > max) return refuse(t, `${quantityText(units, item.unit, l)} di ${itemName(t, item)} ${why}. Non ho ordinato niente: chiedi una quantità più piccola o usa l'app Scorta.`, `${quantityText(units, item.unit, l)} of ${itemName(t, item)} ${why}. Nothing was ordered: ask for less, or use the Scorta app.`);

  const urgency = slots.urgency ?? 'normal';
  const quantity = slots.unit === 'pack' ? `${quantityText(slots.quantity, 'cf', l)} (${quantityText(units, item.unit, l)})` : quantityText(units, item.unit, l);
  const summary = { item: `${item.code} · ${itemName(t, item)}`, quantity, ward: `${locationName(t, destination)} (${destination.code})`, urgency: urgencyText(urgency, l) };
  const proposal = await proposeWrite({ ctx: t.ctx, input: { action: 'request_items', input: { destinationId: destination.id, urgency, lines: [{ itemId: item.id, quantity: units }], note: tr(l, 'Richiesta dalla chat', 'Request from chat') }, summary } });
  const lines = [
    { label: tr(l, 'Articolo', 'Item'), value: summary.item },
    { label: tr(l, 'Quantità', 'Quantity'), value: summary.quantity },
    { label: tr(l, 'Reparto', 'Ward'), value: summary.ward },
    { label: tr(l, 'Urgenza', 'Urgency'), value: summary.urgency },
  ];
  const text = tr(l, `Confermi la richiesta? ${quantity} di ${summary.item} per ${summary.ward}, urgenza ${summary.urgency}.`, `Confirm this request? ${quantity} of ${summary.item} for ${summary.ward}, urgency ${summary.urgency}.`);
  const speech = tr(l, `Ordino ${quantity} di ${itemName(t, item)} per ${locationName(t, destination)}, urgenza ${summary.urgency}. Confermi?`, `I'll order ${quantity} of ${itemName(t, item)} for ${locationName(t, destination)}, ${summary.urgency}. Shall I go ahead?`);
  return { kind: 'proposal', language: l, text, speech, proposal: { id: proposal.id, lines, expiresAt: proposal.expiresAt } };
}
