import { supplyContracts, wardBudgets } from '../db/schema/index.ts';
import type { Context } from '../api/core/context.ts';
import { localDate } from '../api/core/time.ts';
import { emitRequest } from '../api/requests/emit-request.ts';
import { evaluateLines } from '../api/requests/evaluate-lines.ts';
import { fulfilRequest } from '../api/requests/fulfil-request.ts';
import { takeInCharge } from '../api/requests/issue-notes.ts';

type Lookup = (code: string) => string;

/**
 * Today's request traffic of the demo hospital, through the core actions: ward budgets for the month and
 * contracts for pass-through items; a Cardiology request fulfilled and taken in charge, another issued and
 * awaiting the ward, an urgent Emergency Department request waiting for evaluation, and an ICU emergency
 * with a pass-through catheter on a planned purchase order.
 */
export async function demoRequests(ctx: Context, location: Lookup, item: Lookup, supplier: Lookup) {
  const now = ctx.now();
  const monthStart = localDate(new Date(now.getFullYear(), now.getMonth(), 1, 12));
  const monthEnd = localDate(new Date(now.getFullYear(), now.getMonth() + 1, 0, 12));
  await ctx.db.insert(wardBudgets).values(
    ['CARD', 'CHIR', 'PS', 'TI', 'MED'].map((ward) => ({
      locationId: location(ward),
      periodStart: monthStart,
      periodEnd: monthEnd,
      amount: ward === 'TI' ? '60000.00' : '25000.00',
    })),
  );
  const yearStart = `${now.getFullYear()}-01-01`;
  const yearEnd = `${now.getFullYear()}-12-31`;
  await ctx.db.insert(supplyContracts).values([
    {
      organisationId: ctx.actor.organisationId,
      supplierId: supplier('IMPLANTA'),
      itemId: item('DM-PICC-4F'),
      reference: `GARA-${now.getFullYear()}-014`,
      unitPrice: '182.0000',
      quantity: 120,
      validFrom: yearStart,
      validTo: yearEnd,
    },
    {
      organisationId: ctx.actor.organisationId,
      supplierId: supplier('IMPLANTA'),
      itemId: item('DM-STE-DES'),
      reference: `GARA-${now.getFullYear()}-009`,
      unitPrice: '415.0000',
      quantity: 300,
      validFrom: yearStart,
      validTo: yearEnd,
    },
  ]);
  const approveAll = async (request: { lines: { id: string }[] }) =>
    evaluateLines({
      ctx,
      input: { decisions: request.lines.map((l) => ({ lineId: l.id, decision: 'approve' as const })) },
    });

  const taken = await emitRequest({
    ctx,
    input: {
      destinationId: location('CARD'),
      note: 'Rifornimento settimanale',
      lines: [
        { itemId: item('DPI-GUA-NM'), quantity: 400 },
        { itemId: item('DM-SIR-010'), quantity: 200 },
      ],
    },
  });
  await approveAll(taken);
  const done = await fulfilRequest({ ctx, input: { requestId: taken.id } });
  for (const note of done.issueNotes) await takeInCharge({ ctx, input: { issueNoteId: note } });

  const awaiting = await emitRequest({
    ctx,
    input: {
      destinationId: location('CARD'),
      lines: [
        { itemId: item('DM-ELE-ECG'), quantity: 300 },
        { itemId: item('MEDIC-TRA-CVP'), quantity: 40 },
      ],
    },
  });
  await approveAll(awaiting);
  await fulfilRequest({ ctx, input: { requestId: awaiting.id } });

  await emitRequest({
    ctx,
    input: {
      destinationId: location('PS'),
      urgency: 'urgent',
      neededBy: new Date(now.getTime() + 6 * 3_600_000).toISOString(),
      note: 'Afflusso elevato in PS / high ER attendance',
      lines: [
        { itemId: item('DPI-MAS-FFP2'), quantity: 200 },
        { itemId: item('FARM-NACL-100'), quantity: 120 },
        { itemId: item('FARM-PCM-1G'), quantity: 60 },
      ],
      // Above the usual consumption of the ER on purpose: the demo shows an audited override.
      override: { reason: 'Afflusso elevato in PS / high ER attendance' },
    },
  });

  const icu = await emitRequest({
    ctx,
    input: {
      destinationId: location('TI'),
      urgency: 'emergency',
      note: 'Paziente in arrivo da sala operatoria',
      lines: [
        { itemId: item('DM-PICC-4F'), quantity: 2 },
        { itemId: item('FARM-EPA-5000'), quantity: 20 },
      ],
    },
  });
  await fulfilRequest({ ctx, input: { requestId: icu.id } });
}
