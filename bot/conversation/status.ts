import { stateLabel } from '../../api/core/labels.ts';
import { homeCareOverview } from '../../api/homecare/home-care-overview.ts';
import { getRequest } from '../../api/requests/get-request.ts';
import { listRequests } from '../../api/requests/queues.ts';
import { answerRunningOut, horizonSentence, overviewItemName } from './home-care.ts';
import { say, type Reply } from './reply.ts';
import { quantityText, tr, urgencyText } from './texts.ts';
import type { Turn } from './turn.ts';

const statusText = (s: string, t: Turn) => stateLabel('request', s, t.language);

/** Where a request stands (by number), or the user's wards' latest requests. */
export async function answerRequestStatus(t: Turn): Promise<Reply> {
  const l = t.language;
  // listRequests has no number filter yet: the number is looked for among the 500 most recent requests in scope.
  const recent = (await listRequests({ ctx: t.ctx, input: { limit: 500 } })).data;
  const number = t.parsed.slots.requestNumber;
  if (!number) {
    const rows = recent
      .slice(0, 10)
      .map((r) => [r.number, r.destination.code, urgencyText(r.urgency, l), statusText(r.status, t)]);
    if (rows.length === 0)
      return say('answer', l, tr(l, 'Nessuna richiesta dei tuoi reparti.', 'No requests from your wards.'));
    const speech = tr(
      l,
      `L'ultima richiesta, ${rows[0]![0]}, è ${rows[0]![3]}.`,
      `The latest request, ${rows[0]![0]}, is ${rows[0]![3]}.`,
    );
    return {
      kind: 'answer',
      language: l,
      title: tr(l, 'Ultime richieste', 'Latest requests'),
      text: speech,
      speech,
      table: {
        columns: [
          tr(l, 'Numero', 'Number'),
          tr(l, 'Reparto', 'Ward'),
          tr(l, 'Urgenza', 'Urgency'),
          tr(l, 'Stato', 'Status'),
        ],
        rows,
      },
    };
  }
  const found = recent.find((r) => r.number === number);
  if (!found)
    return say(
      'answer',
      l,
      tr(
        l,
        `Non trovo la richiesta ${number} tra quelle dei tuoi reparti.`,
        `I cannot find request ${number} among your wards' requests.`,
      ),
    );
  const request = await getRequest({ ctx: t.ctx, id: found.id });
  const lines = request.lines.map(
    (x) =>
      `${l === 'it' ? x.item.name : x.item.nameEn || x.item.name}: ${quantityText(x.quantityIssued, x.item.unit, l)} / ${quantityText(x.quantityApproved ?? x.quantityRequested, x.item.unit, l)}`,
  );
  const speech = tr(
    l,
    `La richiesta ${number} per ${request.destination.name} è ${statusText(request.status, t)}.`,
    `Request ${number} for ${request.destination.name} is ${statusText(request.status, t)}.`,
  );
  const table = {
    columns: [
      tr(l, 'Articolo', 'Item'),
      tr(l, 'Stato riga', 'Line status'),
      tr(l, 'Evaso / richiesto', 'Issued / asked'),
    ],
    rows: request.lines.map((x, i) => [
      x.item.code,
      stateLabel('request line', x.status, l),
      lines[i]!.split(': ')[1]!,
    ]),
  };
  return {
    kind: 'answer',
    language: l,
    title: `${number} · ${urgencyText(request.urgency, l)}`,
    text: `${speech}\n${lines.join('\n')}`,
    speech,
    table,
  };
}

/** A home-care patient's supplies: days of cover, the first item to run out and, when asked, whether they last the horizon; without a patient but with a horizon, who runs out within it. */
export async function answerPatientSupplies(t: Turn): Promise<Reply> {
  const l = t.language;
  const code = t.parsed.slots.patientCode;
  if (!code && t.parsed.slots.horizonDays !== undefined) return answerRunningOut(t, t.parsed.slots.horizonDays);
  if (!code)
    return say(
      'question',
      l,
      tr(
        l,
        'Di quale paziente? Dimmi il codice, per esempio P-003.',
        'Which patient? Tell me the code, for example P-003.',
      ),
      { question: { followUp: t.text, options: [] } },
    );
  const overview = await homeCareOverview({ ctx: t.ctx, input: {} });
  const patient = overview.patients.find((p) => p.patientCode === code);
  if (!patient)
    return say('answer', l, tr(l, `Il paziente ${code} non è tra i tuoi.`, `Patient ${code} is not one of yours.`));
  const first = [...patient.items].sort((a, b) => (a.daysOfCover ?? Infinity) - (b.daysOfCover ?? Infinity))[0];
  const cover =
    patient.daysOfCover === null
      ? tr(l, 'nessun consumo registrato', 'no recorded use')
      : tr(
          l,
          `scorte per ${Math.floor(patient.daysOfCover)} giorni`,
          `supplies for ${Math.floor(patient.daysOfCover)} days`,
        );
  const firstText =
    first && first.daysOfCover !== null
      ? tr(
          l,
          ` Il primo a finire: ${overviewItemName(t, first)}, ${quantityText(first.available, first.unit, l)}.`,
          ` First to run out: ${overviewItemName(t, first)}, ${quantityText(first.available, first.unit, l)}.`,
        )
      : '';
  const speech =
    tr(l, `Paziente ${code}: ${cover}.`, `Patient ${code}: ${cover}.`) + firstText + horizonSentence(t, patient.items);
  const table = {
    columns: [
      tr(l, 'Articolo', 'Item'),
      tr(l, 'Disponibile', 'Available'),
      tr(l, 'Giorni', 'Days'),
      tr(l, 'Ordinare entro', 'Order by'),
    ],
    rows: patient.items.map((i) => [
      overviewItemName(t, i),
      quantityText(i.available, i.unit, l),
      i.daysOfCover === null ? '—' : String(Math.floor(i.daysOfCover)),
      i.orderBy ?? '—',
    ]),
  };
  return {
    kind: 'answer',
    language: l,
    title: tr(l, `Forniture del paziente ${code}`, `Supplies of patient ${code}`),
    text: speech,
    speech,
    table,
  };
}
