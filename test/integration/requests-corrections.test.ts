import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  advancePurchaseOrder,
  markOverdueOrders,
  purchaseOrderView,
  receivePurchaseOrder,
} from '../../api/orders/purchase-orders.ts';
import { cancelRequest } from '../../api/requests/cancel-request.ts';
import { fulfilRequest } from '../../api/requests/fulfil-request.ts';
import { getRequest } from '../../api/requests/get-request.ts';
import { issueNoteView, reverseIssueNote, takeInCharge } from '../../api/requests/issue-notes.ts';
import { cancelPickingList, confirmPickingList } from '../../api/requests/picking-lists.ts';
import { receiveGoods } from '../../api/stock/receive-goods.ts';
import { drivers, openTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { createPieceItem, today } from '../helpers/fixture.ts';
import { balanceOf, ledgerMismatches, lotByCode, setLotStatus } from '../helpers/ledger.ts';
import {
  buildRequestsHospital,
  contextAt,
  failsWithoutRequestTrace,
  movementsOf,
  pickingListOf,
  requestSteps,
  transitOf,
  type RequestsHospital,
} from '../helpers/requests.ts';
import { receiveAtWarehouse } from '../helpers/stock-moves.ts';

type Who = keyof RequestsHospital['actors'];

describe.each(drivers)('correcting ward requests on %s', (driver) => {
  let t: TestDatabase;
  let h: RequestsHospital;
  beforeAll(async () => {
    t = await openTestDatabase(driver);
    h = await buildRequestsHospital(t.db, 'CORR');
  });
  afterAll(() => t?.close());

  const { as, emit, approve } = requestSteps(
    () => t.db,
    () => h,
  );
  /** Emits a request and has each line approved by its section. */
  const approved = async (lines: Array<[string, number]>) => {
    const request = await emit(lines);
    for (const line of request.lines) await approve(line.itemId === h.drug.id ? 'pharmacist' : 'warehouse', [line.id]);
    return request;
  };
  const fulfil = (who: Who, requestId: string) => fulfilRequest({ ctx: as(who), input: { requestId } });
  const view = (id: string) => getRequest({ ctx: as('admin'), id });
  const statuses = async (id: string) => {
    const r = await view(id);
    return { request: r.status, lines: r.lines.map((l) => [l.status, l.quantityIssued, l.outstanding]) };
  };

  describe('cancelling', () => {
    it('cancels a whole request while nothing is issued, picked or ordered', async () => {
      const request = await emit([
        [h.gloves.id, 5],
        [h.drug.id, 3],
      ]);
      await approve('warehouse', [request.lines[0]!.id]);
      const cancelled = await cancelRequest({
        ctx: as('nurse'),
        input: { requestId: request.id, reason: 'paziente dimesso' },
      });
      expect(cancelled.status).toBe('cancelled');
      expect(cancelled.lines.map((l) => [l.status, l.outstanding, l.decisionReason])).toEqual([
        ['cancelled', 0, 'paziente dimesso'],
        ['cancelled', 0, 'paziente dimesso'],
      ]);
      await failsWithoutRequestTrace(t.db, () => fulfil('warehouse', request.id), {
        code: 'conflict',
        key: 'nothing_to_fulfil',
      });
      await failsWithoutRequestTrace(
        t.db,
        () => cancelRequest({ ctx: as('nurse'), input: { requestId: request.id, reason: 'di nuovo' } }),
        { code: 'conflict', key: 'nothing_to_fulfil' },
      );
    });

    it('cancels one line and lets the rest go on; section staff cancel the lines they process', async () => {
      const request = await emit([
        [h.gloves.id, 5],
        [h.syringe.id, 5],
        [h.drug.id, 2],
      ]);
      const [gloves, syringes, drug] = request.lines.map((l) => l.id);
      const one = await cancelRequest({
        ctx: as('nurse'),
        input: { requestId: request.id, lineIds: [syringes!], reason: 'già disponibili' },
      });
      expect(one.lines.map((l) => l.status)).toEqual(['routed', 'cancelled', 'routed']);
      expect(one.status).toBe('submitted'); // the cancelled line counts for nothing: the rest still awaits evaluation
      await failsWithoutRequestTrace(
        t.db,
        () =>
          cancelRequest({
            ctx: as('warehouse'),
            input: { requestId: request.id, lineIds: [drug!], reason: 'non di competenza' },
          }),
        { code: 'forbidden' },
      );
      const two = await cancelRequest({
        ctx: as('pharmacist'),
        input: { requestId: request.id, lineIds: [drug!], reason: 'farmaco sostituito' },
      });
      expect(two.lines.map((l) => l.status)).toEqual(['routed', 'cancelled', 'cancelled']);
      await approve('warehouse', [gloves!]);
      expect((await fulfil('warehouse', request.id)).request.status).toBe('completed');
    });

    it('refuses once a line is issued, picked or ordered: a conflict, writing nothing', async () => {
      const issued = await approved([
        [h.gloves.id, 5],
        [h.syringe.id, 5],
      ]);
      await fulfil('warehouse', issued.id);
      const error = await failsWithoutRequestTrace(
        t.db,
        () => cancelRequest({ ctx: as('nurse'), input: { requestId: issued.id, reason: 'errore' } }),
        { code: 'conflict', key: 'invalid_transition', field: 'lineIds' },
      );
      expect(error.params).toMatchObject({ entity: 'request line', from: 'issued', to: 'cancelled' });

      const picking = await approved([[h.drug.id, 2]]);
      await fulfil('pharmacist', picking.id);
      await failsWithoutRequestTrace(
        t.db,
        () => cancelRequest({ ctx: as('nurse'), input: { requestId: picking.id, reason: 'errore' } }),
        { code: 'conflict', key: 'invalid_transition' },
      );
      const ordered = await approved([[h.stent.id, 1]]);
      await fulfil('warehouse', ordered.id);
      await failsWithoutRequestTrace(
        t.db,
        () => cancelRequest({ ctx: as('nurse'), input: { requestId: ordered.id, reason: 'errore' } }),
        { code: 'conflict', key: 'invalid_transition' },
      );
    });

    it('forbids another ward’s nurse, and refuses a cancellation without a reason or of an unknown line, writing nothing', async () => {
      const request = await emit([[h.gloves.id, 1]]);
      await failsWithoutRequestTrace(
        t.db,
        () => cancelRequest({ ctx: as('otherNurse'), input: { requestId: request.id, reason: 'x' } }),
        { code: 'forbidden' },
      );
      await failsWithoutRequestTrace(
        t.db,
        () => cancelRequest({ ctx: as('nurse'), input: { requestId: request.id } }),
        { code: 'validation', field: 'reason' },
      );
      await failsWithoutRequestTrace(
        t.db,
        () =>
          cancelRequest({ ctx: as('nurse'), input: { requestId: request.id, lineIds: [h.gloves.id], reason: 'x' } }),
        { code: 'not_found' },
      );
    });
  });

  describe('reversing an issue note', () => {
    it('before the ward takes it in charge: reversal movements put the stock back, the lines are outstanding again', async () => {
      const request = await approved([
        [h.gloves.id, 120],
        [h.syringe.id, 10],
      ]);
      const before = {
        early: await balanceOf(t.db, h.warehouse.id, h.lots.glovesEarly.id),
        late: await balanceOf(t.db, h.warehouse.id, h.lots.glovesLate.id),
        syringe: await balanceOf(t.db, h.warehouse.id, h.lots.syringe.id),
      };
      const fulfilled = await fulfil('warehouse', request.id);
      const note = await issueNoteView(as('warehouse'), fulfilled.issueNotes[0]!);
      const transit = await transitOf(t.db, h.org.id);
      // Other notes of this hospital are in transit too: only this note's quantities must leave it.
      const inTransit = await Promise.all(note.lines.map((l) => balanceOf(t.db, transit.id, l.lot.id)));

      await failsWithoutRequestTrace(
        t.db,
        () => reverseIssueNote({ ctx: as('warehouse'), input: { issueNoteId: note.id } }),
        { code: 'validation', field: 'reason' },
      );
      await failsWithoutRequestTrace(
        t.db,
        () => reverseIssueNote({ ctx: as('nurse'), input: { issueNoteId: note.id, reason: 'errore' } }),
        { code: 'forbidden' },
      );
      await failsWithoutRequestTrace(
        t.db,
        () => reverseIssueNote({ ctx: as('pharmacist'), input: { issueNoteId: note.id, reason: 'errore' } }),
        { code: 'forbidden' },
      );

      const reversed = await reverseIssueNote({
        ctx: as('warehouse'),
        input: { issueNoteId: note.id, reason: 'lotto sbagliato' },
      });
      expect(reversed).toMatchObject({
        number: note.number,
        status: 'reversed',
        reversedAt: today.toISOString(),
        reason: 'lotto sbagliato',
        takenAt: null,
      });
      const moved = await movementsOf(t.db, note.number);
      const issues = moved.filter((m) => m.kind === 'issue');
      expect(issues.map((m) => [m.lotId, m.quantity])).toEqual(note.lines.map((l) => [l.lot.id, l.quantity]));
      expect(
        moved
          .filter((m) => m.kind === 'reversal')
          .map((m) => ({
            reverses: m.reversesId,
            from: m.fromLocationId,
            to: m.toLocationId,
            quantity: m.quantity,
            reason: m.reason,
          })),
      ).toEqual(
        issues.map((m) => ({
          reverses: m.id,
          from: transit.id,
          to: h.warehouse.id,
          quantity: m.quantity,
          reason: 'lotto sbagliato',
        })),
      );
      expect({
        early: await balanceOf(t.db, h.warehouse.id, h.lots.glovesEarly.id),
        late: await balanceOf(t.db, h.warehouse.id, h.lots.glovesLate.id),
        syringe: await balanceOf(t.db, h.warehouse.id, h.lots.syringe.id),
      }).toEqual(before);
      expect(await Promise.all(note.lines.map((l) => balanceOf(t.db, transit.id, l.lot.id)))).toEqual(
        inTransit.map((q, i) => q - note.lines[i]!.quantity),
      );
      expect(await statuses(request.id)).toEqual({
        request: 'in_progress',
        lines: [
          ['approved', 0, 120],
          ['approved', 0, 10],
        ],
      });

      // Reversed once; never taken in charge afterwards; fulfilled again on a new note.
      await failsWithoutRequestTrace(
        t.db,
        () => reverseIssueNote({ ctx: as('warehouse'), input: { issueNoteId: note.id, reason: 'ancora' } }),
        { code: 'conflict', key: 'invalid_transition' },
      );
      await failsWithoutRequestTrace(t.db, () => takeInCharge({ ctx: as('nurse'), input: { issueNoteId: note.id } }), {
        code: 'conflict',
        key: 'invalid_transition',
      });
      const again = await fulfil('warehouse', request.id);
      expect((await issueNoteView(as('warehouse'), again.issueNotes[0]!)).number).not.toBe(note.number);
      expect(again.request.status).toBe('completed');
      expect(await ledgerMismatches(t.db)).toEqual([]);
    });

    it('reverses only its own part of a back-ordered line', async () => {
      const drain = await createPieceItem(h, 'DM-DRAIN', 'Drenaggio toracico', 'Chest drain');
      const stock = (lotCode: string, quantity: number) =>
        receiveAtWarehouse(h, [{ itemId: drain.id, lotCode, expiry: '2027-10-31', quantity }], as('warehouse'));
      await stock('DR-1', 10);
      const request = await approved([[drain.id, 30]]);
      const first = await fulfil('warehouse', request.id);
      expect(first.request.lines[0]).toMatchObject({ status: 'partially_issued', quantityIssued: 10 });
      await stock('DR-2', 100);
      const second = await fulfil('warehouse', request.id);
      expect(second.request.lines[0]).toMatchObject({ status: 'issued', quantityIssued: 30 });
      await reverseIssueNote({
        ctx: as('warehouse'),
        input: { issueNoteId: second.issueNotes[0]!, reason: 'consegna doppia' },
      });
      expect(await statuses(request.id)).toEqual({ request: 'in_progress', lines: [['partially_issued', 10, 20]] });
      await reverseIssueNote({
        ctx: as('warehouse'),
        input: { issueNoteId: first.issueNotes[0]!, reason: 'consegna doppia' },
      });
      expect(await statuses(request.id)).toEqual({ request: 'in_progress', lines: [['approved', 0, 30]] });
      expect(await balanceOf(t.db, h.warehouse.id, (await lotByCode(t.db, drain.id, 'DR-2')).id)).toBe(100);
    });

    it('an emergency reversed before its evaluation is routed again, as if never issued', async () => {
      const request = await emit([[h.gloves.id, 4]], { urgency: 'emergency' });
      const fulfilled = await fulfil('warehouse', request.id);
      expect(fulfilled.request.lines[0]).toMatchObject({ status: 'issued', fulfilledBeforeEvaluation: true });
      await reverseIssueNote({
        ctx: as('warehouse'),
        input: { issueNoteId: fulfilled.issueNotes[0]!, reason: 'reparto sbagliato' },
      });
      const after = await view(request.id);
      expect(after.status).toBe('submitted');
      expect(after.lines[0]).toMatchObject({
        status: 'routed',
        quantityIssued: 0,
        fulfilledBeforeEvaluation: false,
        outstanding: 4,
      });
    });

    it('is refused once the ward has taken the note in charge, writing nothing', async () => {
      const request = await approved([[h.gloves.id, 2]]);
      const fulfilled = await fulfil('warehouse', request.id);
      await takeInCharge({ ctx: as('nurse'), input: { issueNoteId: fulfilled.issueNotes[0]! } });
      const error = await failsWithoutRequestTrace(
        t.db,
        () =>
          reverseIssueNote({
            ctx: as('warehouse'),
            input: { issueNoteId: fulfilled.issueNotes[0]!, reason: 'troppo tardi' },
          }),
        { code: 'conflict', key: 'invalid_transition' },
      );
      expect(error.params).toMatchObject({ entity: 'issue note', from: 'taken_in_charge', to: 'reversed' });
    });
  });

  describe('picking lists', () => {
    it('confirmed as picked: another lot, a smaller quantity; the rest stays outstanding for the next list', async () => {
      const request = await approved([[h.drug.id, 20]]);
      const line = request.lines[0]!;
      const proposed = await pickingListOf(t.db, (await fulfil('pharmacist', request.id)).pickingLists[0]!);
      expect(proposed.lines.map((l) => [l.lotId, l.quantity])).toEqual([[h.lots.drugEarly.id, 20]]);
      const early = await balanceOf(t.db, h.pharmacy.id, h.lots.drugEarly.id);

      const confirm = (
        lines: Array<{ requestLineId: string; lotId: string; quantity: number }>,
        who: Who = 'pharmacist',
      ) => confirmPickingList({ ctx: as(who), input: { pickingListId: proposed.id, lines } });
      await failsWithoutRequestTrace(
        t.db,
        () => confirm([{ requestLineId: request.id, lotId: h.lots.drugLate.id, quantity: 1 }]),
        { code: 'validation', field: 'lines.0.requestLineId' },
      );
      await failsWithoutRequestTrace(
        t.db,
        () =>
          confirm([
            { requestLineId: line.id, lotId: h.lots.drugLate.id, quantity: 15 },
            { requestLineId: line.id, lotId: h.lots.drugEarly.id, quantity: 6 },
          ]),
        { code: 'validation', field: 'lines.1.quantity' },
      );
      await failsWithoutRequestTrace(
        t.db,
        () => confirm([{ requestLineId: line.id, lotId: h.lots.glovesLate.id, quantity: 1 }]),
        { code: 'validation', field: 'lines.0.lotId' },
      );
      await failsWithoutRequestTrace(
        t.db,
        () => confirm([{ requestLineId: line.id, lotId: h.lots.drugLate.id, quantity: 1 }], 'warehouse'),
        { code: 'forbidden' },
      );
      await receiveGoods({
        ctx: as('pharmacist'),
        input: {
          locationId: h.pharmacy.id,
          lines: [{ itemId: h.drug.id, lotCode: 'P-QUAR', expiry: '2027-05-31', quantity: 10 }],
        },
      });
      const quarantined = await lotByCode(t.db, h.drug.id, 'P-QUAR');
      await setLotStatus(t.db, quarantined.id, 'quarantined');
      await failsWithoutRequestTrace(
        t.db,
        () => confirm([{ requestLineId: line.id, lotId: quarantined.id, quantity: 1 }]),
        { code: 'precondition_failed', key: 'lot_unavailable' },
      );

      const result = await confirm([{ requestLineId: line.id, lotId: h.lots.drugLate.id, quantity: 12 }]);
      const note = await issueNoteView(as('pharmacist'), result.issueNoteId);
      expect(note.lines.map((l) => [l.lot.lotCode, l.lot.expiry, l.quantity])).toEqual([['P-LATE', '2027-09-30', 12]]);
      expect(result.request.lines[0]).toMatchObject({ status: 'partially_issued', quantityIssued: 12, outstanding: 8 });
      expect(await pickingListOf(t.db, proposed.id)).toMatchObject({ status: 'confirmed', issueNoteId: note.id });
      expect(await balanceOf(t.db, h.pharmacy.id, h.lots.drugEarly.id)).toBe(early);
      await failsWithoutRequestTrace(
        t.db,
        () => confirmPickingList({ ctx: as('pharmacist'), input: { pickingListId: proposed.id } }),
        { code: 'conflict', key: 'invalid_transition' },
      );

      const next = await pickingListOf(t.db, (await fulfil('pharmacist', request.id)).pickingLists[0]!);
      expect(next.lines.map((l) => [l.lotId, l.quantity])).toEqual([[h.lots.drugEarly.id, 8]]);
      const done = await confirmPickingList({ ctx: as('pharmacist'), input: { pickingListId: next.id } });
      expect(done.request.lines[0]).toMatchObject({ status: 'issued', quantityIssued: 20 });
    });

    it('cancelled: its lines are outstanding again (an unevaluated emergency is routed again); a cancelled list stays cancelled', async () => {
      const request = await approved([[h.drug.id, 4]]);
      const list = (await fulfil('pharmacist', request.id)).pickingLists[0]!;
      await failsWithoutRequestTrace(
        t.db,
        () => cancelPickingList({ ctx: as('warehouse'), input: { pickingListId: list, reason: 'x' } }),
        { code: 'forbidden' },
      );
      const cancelled = await cancelPickingList({
        ctx: as('pharmacist'),
        input: { pickingListId: list, reason: 'scaffale vuoto' },
      });
      expect(cancelled.request.lines[0]).toMatchObject({ status: 'approved', quantityIssued: 0, outstanding: 4 });
      expect(cancelled.request.status).toBe('in_progress');
      expect(await pickingListOf(t.db, list)).toMatchObject({
        status: 'cancelled',
        issueNoteId: null,
        closedAt: expect.any(Date),
      });
      await failsWithoutRequestTrace(
        t.db,
        () => cancelPickingList({ ctx: as('pharmacist'), input: { pickingListId: list, reason: 'ancora' } }),
        { code: 'conflict', key: 'invalid_transition' },
      );
      await failsWithoutRequestTrace(
        t.db,
        () => confirmPickingList({ ctx: as('pharmacist'), input: { pickingListId: list } }),
        { code: 'conflict', key: 'invalid_transition' },
      );

      const emergency = await emit([[h.drug.id, 2]], { urgency: 'emergency' });
      const urgent = (await fulfil('pharmacist', emergency.id)).pickingLists[0]!;
      const back = await cancelPickingList({
        ctx: as('pharmacist'),
        input: { pickingListId: urgent, reason: 'scaffale vuoto' },
      });
      expect(back.request.lines[0]).toMatchObject({ status: 'routed', outstanding: 2 });
      expect(back.request.status).toBe('submitted');
    });
  });

  describe('purchase orders', () => {
    const advance = (
      purchaseOrderId: string,
      event: 'firm' | 'ready' | 'release' | 'reschedule' | 'cancel',
      who: Who = 'warehouse',
      extra: Record<string, unknown> = {},
    ) => advancePurchaseOrder({ ctx: as(who), input: { purchaseOrderId, event, ...extra } });
    const ordered = async (quantity: number) => {
      const request = await approved([[h.stent.id, quantity]]);
      return { request, orderId: (await fulfil('warehouse', request.id)).purchaseOrders[0]! };
    };

    it('cancelled before release: its lines are outstanding again and can be ordered anew', async () => {
      const { request, orderId } = await ordered(2);
      await advance(orderId, 'firm');
      await failsWithoutRequestTrace(t.db, () => advance(orderId, 'cancel', 'nurse'), { code: 'forbidden' });
      await failsWithoutRequestTrace(t.db, () => advance(orderId, 'cancel', 'pharmacist'), { code: 'forbidden' });
      const cancelled = await advance(orderId, 'cancel', 'warehouse', { reason: 'fornitore sbagliato' });
      expect(cancelled).toMatchObject({ status: 'cancelled', closedAt: today.toISOString(), releasedAt: null });
      expect(await statuses(request.id)).toEqual({ request: 'in_progress', lines: [['approved', 0, 2]] });
      await failsWithoutRequestTrace(t.db, () => advance(orderId, 'release'), {
        code: 'conflict',
        key: 'invalid_transition',
      });
      const anew = await fulfil('warehouse', request.id);
      expect((await purchaseOrderView(as('warehouse'), anew.purchaseOrders[0]!)).lines[0]).toMatchObject({
        requestLineId: request.lines[0]!.id,
        quantity: 2,
      });
    });

    it('cancelled after release, or once overdue, while nothing was received', async () => {
      const open = await ordered(1);
      for (const event of ['firm', 'ready', 'release'] as const) await advance(open.orderId, event);
      await failsWithoutRequestTrace(t.db, () => advance(open.orderId, 'firm'), {
        code: 'conflict',
        key: 'invalid_transition',
      });
      expect(await advance(open.orderId, 'cancel')).toMatchObject({ status: 'cancelled' });
      expect(await statuses(open.request.id)).toEqual({ request: 'in_progress', lines: [['approved', 0, 1]] });

      const late = await ordered(1);
      for (const event of ['firm', 'ready', 'release'] as const) await advance(late.orderId, event);
      await markOverdueOrders({
        ctx: contextAt(t.db, h.actors.warehouse, new Date(today.getTime() + 30 * 86_400_000)),
      });
      expect((await purchaseOrderView(as('warehouse'), late.orderId)).status).toBe('OD');
      expect(await advance(late.orderId, 'cancel')).toMatchObject({ status: 'cancelled' });
      expect(await statuses(late.request.id)).toEqual({ request: 'in_progress', lines: [['approved', 0, 1]] });
    });

    it('refused after a partial receipt: the line stays ordered with what arrived issued, and closes with the rest', async () => {
      const { request, orderId } = await ordered(3);
      for (const event of ['firm', 'ready', 'release'] as const) await advance(orderId, event);
      const order = await purchaseOrderView(as('warehouse'), orderId);
      const receive = (lotCode: string, quantity: number) =>
        receivePurchaseOrder({
          ctx: as('warehouse'),
          input: {
            purchaseOrderId: orderId,
            lines: [{ purchaseOrderLineId: order.lines[0]!.id, lotCode, expiry: '2029-06-30', quantity }],
          },
        });
      const first = await receive('ST-P1', 1);
      expect(first.purchaseOrder).toMatchObject({
        status: 'OP',
        closedAt: null,
        lines: [expect.objectContaining({ quantity: 3, quantityReceived: 1 })],
      });
      expect(
        (await issueNoteView(as('warehouse'), first.issueNotes[0]!)).lines.map((l) => [l.lot.lotCode, l.quantity]),
      ).toEqual([['ST-P1', 1]]);
      expect(await statuses(request.id)).toEqual({ request: 'in_progress', lines: [['ordered', 1, 2]] });

      const error = await failsWithoutRequestTrace(t.db, () => advance(orderId, 'cancel'), {
        code: 'conflict',
        key: 'invalid_transition',
      });
      expect(error.params).toMatchObject({ entity: 'purchase order', from: 'OP', to: 'cancelled' });
      await failsWithoutRequestTrace(t.db, () => receive('ST-P2', 3), {
        code: 'validation',
        field: 'lines.0.quantity',
      });
      await failsWithoutRequestTrace(
        t.db,
        () =>
          receivePurchaseOrder({
            ctx: as('pharmacist'),
            input: {
              purchaseOrderId: orderId,
              lines: [{ purchaseOrderLineId: order.lines[0]!.id, lotCode: 'X', quantity: 1 }],
            },
          }),
        { code: 'forbidden' },
      );

      const rest = await receive('ST-P2', 2);
      expect(rest.purchaseOrder).toMatchObject({
        status: 'CL',
        lines: [expect.objectContaining({ quantityReceived: 3 })],
      });
      expect(await statuses(request.id)).toEqual({ request: 'completed', lines: [['issued', 3, 0]] });
      await failsWithoutRequestTrace(t.db, () => receive('ST-P3', 1), { code: 'conflict', key: 'invalid_transition' });
      await failsWithoutRequestTrace(t.db, () => advance(orderId, 'cancel'), {
        code: 'conflict',
        key: 'invalid_transition',
      });
      expect(await ledgerMismatches(t.db)).toEqual([]);
    });
  });
});
