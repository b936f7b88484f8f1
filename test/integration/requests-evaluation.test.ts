import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateLines } from '../../api/requests/evaluate-lines.ts';
import { fulfilRequest } from '../../api/requests/fulfil-request.ts';
import { auditLog, supplyContracts, wardBudgets } from '../../db/schema/index.ts';
import { drivers, openTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { createPieceItem, today } from '../helpers/fixture.ts';
import { ledgerMismatches } from '../helpers/ledger.ts';
import {
  buildRequestsHospital,
  requestSteps,
  failsWithoutRequestTrace,
  requestSnapshot,
  type RequestsHospital,
} from '../helpers/requests.ts';
import { receiveAtWarehouse } from '../helpers/stock-moves.ts';

type Who = keyof RequestsHospital['actors'];
const missing = '00000000-0000-4000-8000-000000000000';

describe.each(drivers)('evaluating ward requests on %s', (driver) => {
  let t: TestDatabase;
  let h: RequestsHospital;
  beforeAll(async () => {
    t = await openTestDatabase(driver);
    h = await buildRequestsHospital(t.db, 'EVAL');
  });
  afterAll(() => t?.close());

  const { as, emit } = requestSteps(
    () => t.db,
    () => h,
  );
  const evaluate = (who: Who, input: Record<string, unknown>) => evaluateLines({ ctx: as(who), input });
  const auditsOf = (action: string) =>
    t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, action), eq(auditLog.organisationId, h.org.id)));

  describe('decisions', () => {
    it('approves, reduces with a reason and rejects with a reason, recording who and when', async () => {
      const request = await emit([
        [h.gloves.id, 100],
        [h.syringe.id, 40],
        [h.stent.id, 1],
      ]);
      const [gloves, syringes, stent] = request.lines.map((l) => l.id);
      const result = await evaluate('warehouse', {
        decisions: [
          { lineId: gloves, decision: 'approve' },
          { lineId: syringes, decision: 'reduce', quantity: 25, reason: 'consumo storico inferiore' },
          { lineId: stent, decision: 'reject', reason: 'non in prontuario di reparto' },
        ],
      });
      expect(result.replayed).toBe(false);
      const after = result.requests[0]!;
      expect(after.status).toBe('in_progress');
      const recorded = {
        evaluatedBy: h.actors.warehouse.userId,
        evaluatedAt: today.toISOString(),
        quantityIssued: 0,
        fulfilledBeforeEvaluation: false,
      };
      expect(after.lines).toEqual([
        expect.objectContaining({
          ...recorded,
          status: 'approved',
          quantityApproved: 100,
          decision: 'approved',
          decisionReason: null,
          outstanding: 100,
        }),
        expect.objectContaining({
          ...recorded,
          status: 'approved',
          quantityApproved: 25,
          decision: 'reduced',
          decisionReason: 'consumo storico inferiore',
          outstanding: 25,
        }),
        expect.objectContaining({
          ...recorded,
          status: 'rejected',
          quantityApproved: 0,
          decision: 'rejected',
          decisionReason: 'non in prontuario di reparto',
          outstanding: 0,
        }),
      ]);
      const [audit] = (await auditsOf('requests.evaluate')).filter((a) => a.entityId.includes(gloves!));
      expect(audit).toMatchObject({
        actorId: h.actors.warehouse.userId,
        entityType: 'request_line',
        detail: { decisions: expect.arrayContaining([expect.objectContaining({ lineId: stent, decision: 'reject' })]) },
      });

      // A line is evaluated once.
      const error = await failsWithoutRequestTrace(
        t.db,
        () => evaluate('warehouse', { decisions: [{ lineId: syringes, decision: 'approve' }] }),
        { code: 'conflict', key: 'invalid_transition', field: 'decisions.0.lineId' },
      );
      expect(error.params).toMatchObject({ entity: 'request line', from: 'reduced', to: 'approve' });
      // The fulfilment sends what was approved, nothing for the rejected line.
      const fulfilled = await fulfilRequest({ ctx: as('warehouse'), input: { requestId: request.id } });
      expect(fulfilled.request.lines.map((l) => [l.status, l.quantityIssued])).toEqual([
        ['issued', 100],
        ['issued', 25],
        ['rejected', 0],
      ]);
      expect(fulfilled.request.status).toBe('completed');
    });

    it('completes a request whose every line is rejected', async () => {
      const request = await emit([
        [h.gloves.id, 5],
        [h.syringe.id, 5],
      ]);
      const result = await evaluate('warehouse', {
        decisions: request.lines.map((l) => ({ lineId: l.id, decision: 'reject', reason: 'doppione' })),
      });
      expect(result.requests[0]!.status).toBe('completed');
      await failsWithoutRequestTrace(
        t.db,
        () => fulfilRequest({ ctx: as('warehouse'), input: { requestId: request.id } }),
        { code: 'conflict', key: 'nothing_to_fulfil' },
      );
    });

    it('evaluates lines of several requests in one go', async () => {
      const one = await emit([[h.gloves.id, 3]]);
      const two = await emit([[h.gloves.id, 4]]);
      const result = await evaluate('warehouse', {
        decisions: [one, two].map((r) => ({ lineId: r.lines[0]!.id, decision: 'approve' })),
      });
      expect(result.requests.map((r) => [r.id, r.status, r.lines[0]!.status])).toEqual(
        [
          [one.id, 'in_progress', 'approved'],
          [two.id, 'in_progress', 'approved'],
        ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
      );
    });

    it('replays a retried evaluation with the same key', async () => {
      const request = await emit([[h.gloves.id, 6]]);
      const input = {
        decisions: [{ lineId: request.lines[0]!.id, decision: 'approve' }],
        idempotencyKey: 'eval-retry-1',
      };
      const first = await evaluate('warehouse', input);
      const before = await requestSnapshot(t.db);
      expect(await evaluate('warehouse', input)).toEqual({ ...first, replayed: true });
      expect(await requestSnapshot(t.db)).toEqual(before);
    });

    it.each<[string, (line: string) => Record<string, unknown>, string, string]>([
      [
        'a reduction without a reason',
        (lineId) => ({ decisions: [{ lineId, decision: 'reduce', quantity: 2 }] }),
        'validation',
        'decisions.0.reason',
      ],
      [
        'a rejection without a reason',
        (lineId) => ({ decisions: [{ lineId, decision: 'reject' }] }),
        'validation',
        'decisions.0.reason',
      ],
      [
        'a reduction to what was requested',
        (lineId) => ({ decisions: [{ lineId, decision: 'reduce', quantity: 10, reason: 'x' }] }),
        'validation',
        'decisions.0.quantity',
      ],
      [
        'a reduction to zero',
        (lineId) => ({ decisions: [{ lineId, decision: 'reduce', quantity: 0, reason: 'x' }] }),
        'validation',
        'decisions.0.quantity',
      ],
      [
        'an unknown decision',
        (lineId) => ({ decisions: [{ lineId, decision: 'maybe' }] }),
        'validation',
        'decisions.0.decision',
      ],
      ['no decisions', () => ({ decisions: [] }), 'validation', 'decisions'],
    ])('refuses %s, naming the field, writing nothing', async (_, input, code, field) => {
      const request = await emit([[h.gloves.id, 10]]);
      await failsWithoutRequestTrace(t.db, () => evaluate('warehouse', input(request.lines[0]!.id)), {
        code: code as 'validation',
        field,
      });
    });

    it('refuses an unknown line as not found, writing nothing', async () => {
      const request = await emit([[h.gloves.id, 10]]);
      await failsWithoutRequestTrace(
        t.db,
        () =>
          evaluate('warehouse', {
            decisions: [
              { lineId: request.lines[0]!.id, decision: 'approve' },
              { lineId: missing, decision: 'approve' },
            ],
          }),
        { code: 'not_found' },
      );
    });

    it.each<[Who, 'gloves' | 'drug']>([
      ['nurse', 'gloves'],
      ['device', 'gloves'],
      ['pharmacist', 'gloves'],
      ['warehouse', 'drug'],
      ['homeCare', 'drug'],
    ])('forbids the %s to evaluate a %s line, writing nothing', async (who, item) => {
      const request = await emit([[h[item].id, 2]]);
      await failsWithoutRequestTrace(
        t.db,
        () => evaluate(who, { decisions: [{ lineId: request.lines[0]!.id, decision: 'approve' }] }),
        { code: 'forbidden' },
      );
    });

    it('forbids a decision spanning another section’s line, writing nothing for either', async () => {
      const request = await emit([
        [h.gloves.id, 2],
        [h.drug.id, 2],
      ]);
      await failsWithoutRequestTrace(
        t.db,
        () => evaluate('warehouse', { decisions: request.lines.map((l) => ({ lineId: l.id, decision: 'approve' })) }),
        { code: 'forbidden' },
      );
    });
  });

  describe('budget and contract checks', () => {
    beforeAll(async () => {
      // Home care may spend 10 € in November (nothing in October); surgery has no budget yet; cardiology none.
      await t.db.insert(wardBudgets).values([
        { locationId: h.homeCare.id, periodStart: '2026-11-01', periodEnd: '2026-11-30', amount: '10.00' },
        { locationId: h.homeCare.id, periodStart: '2026-10-01', periodEnd: '2026-10-31', amount: '0.00' },
      ]);
    });
    const forHome = (lines: Array<[string, number]>) => emit(lines, { who: 'homeCare', destinationId: h.home.id });

    it('refuses to approve beyond the ward budget, writing nothing, then approves with an audited override', async () => {
      const within = await forHome([[h.gloves.id, 100]]); // 5.00 €
      expect(
        (await evaluate('warehouse', { decisions: [{ lineId: within.lines[0]!.id, decision: 'approve' }] }))
          .requests[0]!.lines[0]!.status,
      ).toBe('approved');

      const beyond = await forHome([[h.gloves.id, 150]]); // 7.50 € against the 5.00 € left
      const decisions = [{ lineId: beyond.lines[0]!.id, decision: 'approve' }];
      const error = await failsWithoutRequestTrace(t.db, () => evaluate('warehouse', { decisions }), {
        code: 'precondition_failed',
        key: 'budget_exceeded',
        field: 'decisions.0',
      });
      expect(error.params).toEqual({ value: 7.5, remaining: 5 });
      expect(error.context.budget).toMatchObject({
        locationId: h.homeCare.id,
        periodStart: '2026-11-01',
        periodEnd: '2026-11-30',
        amount: 10,
        committed: 5,
        remaining: 5,
      });

      const overridden = await evaluate('warehouse', {
        decisions,
        override: { reason: 'urgenza clinica, autorizzato dal direttore' },
      });
      expect(overridden.requests[0]!.lines[0]).toMatchObject({
        status: 'approved',
        quantityApproved: 150,
        decision: 'approved',
      });
      const audit = (await auditsOf('requests.evaluate')).find((a) => a.entityId === beyond.lines[0]!.id)!;
      expect(audit.detail).toMatchObject({
        override: 'urgenza clinica, autorizzato dal direttore',
        exceeded: [{ field: 'decisions.0', message: expect.stringContaining('ward budget') }],
      });

      // The budget is overspent: even a reduction is refused; a rejection needs no budget.
      const more = await forHome([[h.gloves.id, 20]]);
      const again = await failsWithoutRequestTrace(
        t.db,
        () =>
          evaluate('warehouse', {
            decisions: [{ lineId: more.lines[0]!.id, decision: 'reduce', quantity: 1, reason: 'minimo' }],
          }),
        {
          code: 'precondition_failed',
          key: 'budget_exceeded',
        },
      );
      expect(again.params).toEqual({ value: 0.05, remaining: -2.5 });
      expect(
        (
          await evaluate('warehouse', {
            decisions: [{ lineId: more.lines[0]!.id, decision: 'reject', reason: 'budget esaurito' }],
          })
        ).requests[0]!.status,
      ).toBe('completed');
    });

    it('adds up the lines of one evaluation: the one that crosses the budget is named', async () => {
      const request = await emit(
        [
          [h.stent.id, 1],
          [h.syringe.id, 10],
        ],
        { who: 'otherNurse', destinationId: h.surgery.id },
      );
      // Surgery has no budget yet: any value passes.
      expect(
        (await evaluate('warehouse', { decisions: request.lines.map((l) => ({ lineId: l.id, decision: 'approve' })) }))
          .requests[0]!.status,
      ).toBe('in_progress');
      await t.db
        .insert(wardBudgets)
        .values({ locationId: h.surgery.id, periodStart: '2026-11-01', periodEnd: '2026-11-30', amount: '500.00' });
      const next = await emit(
        [
          [h.syringe.id, 10],
          [h.stent.id, 1],
        ],
        { who: 'otherNurse', destinationId: h.surgery.id },
      );
      // 450 € + 1.20 € are committed: 48.80 € left; the syringes (1.20 €) fit, the stent (450 €) does not.
      const error = await failsWithoutRequestTrace(
        t.db,
        () => evaluate('warehouse', { decisions: next.lines.map((l) => ({ lineId: l.id, decision: 'approve' })) }),
        { code: 'precondition_failed', key: 'budget_exceeded' },
      );
      expect(error.fields.map((f) => f.field)).toEqual(['decisions.1']);
      expect(error.params).toEqual({ value: 450, remaining: 47.6 });
    });

    it('refuses to approve beyond the contract in force, writing nothing; a reduction to what is left passes; an override passes', async () => {
      await t.db.insert(supplyContracts).values([
        {
          organisationId: h.org.id,
          supplierId: h.supplier.id,
          itemId: h.drug.id,
          reference: 'CONV-2026-07',
          unitPrice: '1.0000',
          quantity: 50,
          validFrom: '2026-01-01',
          validTo: '2026-12-31',
        },
        {
          organisationId: h.org.id,
          supplierId: h.supplier.id,
          itemId: h.drug.id,
          reference: 'CONV-2025-03',
          unitPrice: '0.9000',
          quantity: 1,
          validFrom: '2025-01-01',
          validTo: '2025-12-31',
        },
      ]);
      const first = await emit([[h.drug.id, 40]]);
      // Emitted while the contract is in force: valued at the contract price.
      expect(first.lines[0]!.unitPrice).toBe('1.0000');
      await evaluate('pharmacist', { decisions: [{ lineId: first.lines[0]!.id, decision: 'approve' }] });

      const second = await emit([[h.drug.id, 15]]);
      const error = await failsWithoutRequestTrace(
        t.db,
        () => evaluate('pharmacist', { decisions: [{ lineId: second.lines[0]!.id, decision: 'approve' }] }),
        {
          code: 'precondition_failed',
          key: 'contract_exceeded',
          field: 'decisions.0',
        },
      );
      expect(error.params).toEqual({ reference: 'CONV-2026-07', quantity: 15, remaining: 10 });
      expect(error.context.contract).toMatchObject({
        reference: 'CONV-2026-07',
        quantity: 50,
        committed: 40,
        remaining: 10,
      });
      const reduced = await evaluate('pharmacist', {
        decisions: [{ lineId: second.lines[0]!.id, decision: 'reduce', quantity: 10, reason: 'residuo di contratto' }],
      });
      expect(reduced.requests[0]!.lines[0]).toMatchObject({
        status: 'approved',
        quantityApproved: 10,
        decision: 'reduced',
      });

      const third = await emit([[h.drug.id, 5]]);
      await failsWithoutRequestTrace(
        t.db,
        () => evaluate('pharmacist', { decisions: [{ lineId: third.lines[0]!.id, decision: 'approve' }] }),
        { code: 'precondition_failed', key: 'contract_exceeded' },
      );
      const overridden = await evaluate('pharmacist', {
        decisions: [{ lineId: third.lines[0]!.id, decision: 'approve' }],
        override: { reason: 'nuova gara in corso' },
      });
      expect(overridden.requests[0]!.lines[0]!.status).toBe('approved');
      const audit = (await auditsOf('requests.evaluate')).find((a) => a.entityId === third.lines[0]!.id)!;
      expect(audit.detail).toMatchObject({
        override: 'nuova gara in corso',
        exceeded: [{ field: 'decisions.0', message: expect.stringContaining('CONV-2026-07') }],
      });
    });
  });

  describe('an emergency fulfilled before its evaluation', () => {
    let scarce: { id: string };
    beforeAll(async () => {
      scarce = await createPieceItem(h, 'DM-DRAIN', 'Drenaggio toracico', 'Chest drain', { referencePrice: 12 });
      await receiveAtWarehouse(h, [{ itemId: scarce.id, lotCode: 'DR-1', expiry: '2028-01-31', quantity: 4 }]);
    });

    it('records a later approval, reduction or rejection without changing a fully issued line', async () => {
      const request = await emit(
        [
          [h.gloves.id, 10],
          [h.syringe.id, 10],
          [h.stent.id, 1],
        ],
        { urgency: 'emergency' },
      );
      const [gloves, syringes] = request.lines.map((l) => l.id);
      const issued = await fulfilRequest({
        ctx: as('warehouse'),
        input: { requestId: request.id, lineIds: [gloves!, syringes!] },
      });
      expect(issued.request.lines.slice(0, 2).map((l) => [l.status, l.fulfilledBeforeEvaluation])).toEqual([
        ['issued', true],
        ['issued', true],
      ]);
      const result = await evaluate('warehouse', {
        decisions: [
          { lineId: gloves, decision: 'reduce', quantity: 6, reason: 'quantità eccessiva' },
          { lineId: syringes, decision: 'reject', reason: 'non necessarie' },
        ],
      });
      expect(
        result.requests[0]!.lines.slice(0, 2).map((l) => ({
          status: l.status,
          approved: l.quantityApproved,
          issued: l.quantityIssued,
          decision: l.decision,
          outstanding: l.outstanding,
        })),
      ).toEqual([
        { status: 'issued', approved: 6, issued: 10, decision: 'reduced', outstanding: 0 },
        { status: 'issued', approved: 0, issued: 10, decision: 'rejected', outstanding: 0 },
      ]);
    });

    it('reduced to what was issued, a partly issued line becomes issued; approved, it waits for the rest', async () => {
      const one = await emit([[scarce.id, 3]], { urgency: 'emergency' });
      const two = await emit([[scarce.id, 5]], { urgency: 'emergency' });
      const first = await fulfilRequest({ ctx: as('warehouse'), input: { requestId: one.id } });
      expect(first.request.lines[0]).toMatchObject({ status: 'issued', quantityIssued: 3 });
      const second = await fulfilRequest({ ctx: as('warehouse'), input: { requestId: two.id } });
      expect(second.backOrdered).toEqual([two.lines[0]!.id]);
      expect(second.request.lines[0]).toMatchObject({
        status: 'partially_issued',
        quantityIssued: 1,
        outstanding: 4,
        fulfilledBeforeEvaluation: true,
      });

      const reduced = await evaluate('warehouse', {
        decisions: [
          { lineId: two.lines[0]!.id, decision: 'reduce', quantity: 1, reason: 'sufficiente quanto inviato' },
        ],
      });
      expect(reduced.requests[0]!.lines[0]).toMatchObject({
        status: 'issued',
        quantityApproved: 1,
        decision: 'reduced',
        outstanding: 0,
      });
      expect(reduced.requests[0]!.status).toBe('completed');

      const three = await emit([[scarce.id, 5]], { urgency: 'emergency' });
      await receiveAtWarehouse(h, [{ itemId: scarce.id, lotCode: 'DR-2', expiry: '2028-02-29', quantity: 2 }]);
      await fulfilRequest({ ctx: as('warehouse'), input: { requestId: three.id } });
      const approved = await evaluate('warehouse', {
        decisions: [{ lineId: three.lines[0]!.id, decision: 'approve' }],
      });
      expect(approved.requests[0]!.lines[0]).toMatchObject({
        status: 'partially_issued',
        quantityApproved: 5,
        quantityIssued: 2,
        decision: 'approved',
        outstanding: 3,
      });
      await receiveAtWarehouse(h, [{ itemId: scarce.id, lotCode: 'DR-3', expiry: '2028-03-31', quantity: 10 }]);
      const rest = await fulfilRequest({ ctx: as('warehouse'), input: { requestId: three.id } });
      expect(rest.request.lines[0]).toMatchObject({ status: 'issued', quantityIssued: 5, outstanding: 0 });
      expect(rest.request.status).toBe('completed');
      expect(await ledgerMismatches(t.db)).toEqual([]);
    });

    it('a normal or urgent request is not fulfilled before its evaluation', async () => {
      for (const urgency of ['normal', 'urgent'] as const) {
        const request = await emit([[h.gloves.id, 1]], { urgency });
        await failsWithoutRequestTrace(
          t.db,
          () => fulfilRequest({ ctx: as('warehouse'), input: { requestId: request.id } }),
          { code: 'conflict', key: 'nothing_to_fulfil' },
        );
      }
    });
  });
});
