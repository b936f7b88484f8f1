import { render } from '../../api/core/messages/index.ts';
import { stateLabel } from '../../api/core/messages/labels.ts';
import { homeCareOverview } from '../../api/homecare/home-care-overview.ts';
import { getRequest } from '../../api/requests/get-request.ts';
import { listRequests } from '../../api/requests/queues.ts';
import { answerRunningOut, horizonSentence, overviewItemName } from './home-care.ts';
import { say, type Reply } from './reply.ts';
import { quantityText, urgencyText } from './texts.ts';
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
    if (rows.length === 0) return say('answer', l, render('requests_none', l));
    const speech = render('requests_latest', l, { number: recent[0]!.number, status: recent[0]!.status });
    return {
      kind: 'answer',
      language: l,
      title: render('requests_title', l),
      text: speech,
      speech,
      table: {
        columns: [
          render('column_number', l),
          render('column_ward', l),
          render('column_urgency', l),
          render('column_status', l),
        ],
        rows,
      },
    };
  }
  const found = recent.find((r) => r.number === number);
  if (!found) return say('answer', l, render('request_not_found', l, { number }));
  const request = await getRequest({ ctx: t.ctx, id: found.id });
  const lines = request.lines.map(
    (x) =>
      `${l === 'it' ? x.item.name : x.item.nameEn || x.item.name}: ` +
      `${quantityText(x.quantityIssued, x.item.unit, l)} / ` +
      `${quantityText(x.quantityApproved ?? x.quantityRequested, x.item.unit, l)}`,
  );
  const speech = render('request_status', l, {
    number,
    destination: request.destination.name,
    status: request.status,
  });
  const table = {
    columns: [render('column_item', l), render('column_line_status', l), render('column_issued_asked', l)],
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

/**
 * A home-care patient's supplies: days of cover, the first item to run out and, when asked, whether they last the
 * horizon; without a patient but with a horizon, who runs out within it.
 */
export async function answerPatientSupplies(t: Turn): Promise<Reply> {
  const l = t.language;
  const code = t.parsed.slots.patientCode;
  if (!code && t.parsed.slots.horizonDays !== undefined) return answerRunningOut(t, t.parsed.slots.horizonDays);
  if (!code) return say('question', l, render('patient_which', l), { question: { followUp: t.text, options: [] } });
  const overview = await homeCareOverview({ ctx: t.ctx, input: {} });
  const patient = overview.patients.find((p) => p.patientCode === code);
  if (!patient) return say('answer', l, render('patient_not_yours', l, { code }));
  const first = [...patient.items].sort((a, b) => (a.daysOfCover ?? Infinity) - (b.daysOfCover ?? Infinity))[0];
  const cover =
    patient.daysOfCover === null
      ? render('cover_none', l)
      : render('cover_days', l, { days: Math.floor(patient.daysOfCover) });
  const firstText =
    first && first.daysOfCover !== null
      ? ` ${render('patient_first_out', l, {
          item: overviewItemName(t, first),
          quantity: quantityText(first.available, first.unit, l),
        })}`
      : '';
  const speech = render('patient_cover', l, { code, cover }) + firstText + horizonSentence(t, patient.items);
  const table = {
    columns: [
      render('column_item', l),
      render('column_available', l),
      render('column_days', l),
      render('column_order_by', l),
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
    title: render('patient_title', l, { code }),
    text: speech,
    speech,
    table,
  };
}
