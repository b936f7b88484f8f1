import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { advancePurchaseOrder, purchaseOrderView, receivePurchaseOrder } from '../../api/orders/purchase-orders.ts';
import { emitRequest } from '../../api/requests/emit-request.ts';
import { evaluateLines } from '../../api/requests/evaluate-lines.ts';
import { fulfilRequest } from '../../api/requests/fulfil-request.ts';
import { getRequest } from '../../api/requests/get-request.ts';
import { issueNoteView, takeInCharge } from '../../api/requests/issue-notes.ts';
import { confirmPickingList } from '../../api/requests/picking-lists.ts';
import type { RequestView } from '../../api/requests/request-view.ts';
import { receiveGoods } from '../../api/stock/receive-goods.ts';
import { auditLog, pickingLists, purchaseOrders } from '../../db/schema/index.ts';
import { drivers, openTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { contextFor, today } from '../helpers/fixture.ts';
import { balanceOf, ledgerMismatches, lotByCode, negativeBalances, setLotStatus, snapshot } from '../helpers/ledger.ts';
import {
  buildRequestsHospital,
  documentCounts,
  documentNumbers,
  failsWithoutRequestTrace,
  movementsOf,
  pickingListOf,
  requestSnapshot,
  transitOf,
  type RequestsHospital,
} from '../helpers/requests.ts';
import { receiveAtWarehouse } from '../helpers/stock-moves.ts';

type Who = keyof RequestsHospital['actors'];
const days = (n: number) => new Date(today.getTime() + n * 86_400_000).toISOString();

describe.each(drivers)('ward requests end to end on %s', (driver) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase(driver);
  });
  afterAll(() => t?.close());

  /** The actions of one hospital, as each of its people. */
  const actionsFor = (h: () => RequestsHospital) => {
    const as = (who: Who) => contextFor(t.db, h().actors[who]);
    return {
      as,
      lineOf: (r: { lines: RequestView['lines'] }, itemId: string) => r.lines.find((l) => l.itemId === itemId)!,
      view: (id: string) => getRequest({ ctx: as('admin'), id }),
      fulfil: (who: Who, requestId: string, lineIds?: string[]) =>
        fulfilRequest({ ctx: as(who), input: { requestId, ...(lineIds ? { lineIds } : {}) } }),
      approve: (who: Who, lineIds: string[]) =>
        evaluateLines({
          ctx: as(who),
          input: { decisions: lineIds.map((lineId) => ({ lineId, decision: 'approve' })) },
        }),
      take: (issueNoteId: string) => takeInCharge({ ctx: as('nurse'), input: { issueNoteId } }),
      /** Firms, readies and releases a purchase order (PL → FP → RR → OP). */
      release: async (purchaseOrderId: string) => {
        const seen = [];
        for (const event of ['firm', 'ready', 'release'] as const)
          seen.push((await advancePurchaseOrder({ ctx: as('warehouse'), input: { purchaseOrderId, event } })).status);
        return seen;
      },
    };
  };

  describe('a mixed request: stock, pharmacy and pass-through lines, one emergency and one normal request', () => {
    let h: RequestsHospital;
    const a = actionsFor(() => h);
    let emergency: RequestView;
    let normal: RequestView;
    let transit: { id: string };
    const notes: string[] = [];
    beforeAll(async () => {
      h = await buildRequestsHospital(t.db, 'FLOW');
    });
    const lineFacts = (r: { lines: RequestView['lines'] }) =>
      r.lines.map((l) => ({
        item: l.item.code,
        section: l.section.code,
        status: l.status,
        requested: l.quantityRequested,
        approved: l.quantityApproved,
        issued: l.quantityIssued,
        outstanding: l.outstanding,
        decision: l.decision,
        early: l.fulfilledBeforeEvaluation,
      }));
    const printed = async (id: string) => {
      const note = await issueNoteView(a.as('admin'), id);
      return {
        ...note,
        printed: note.lines.map((l) => ({
          item: l.item.code,
          lot: l.lot.lotCode,
          expiry: l.lot.expiry,
          quantity: l.quantity,
        })),
      };
    };

    it('emits both, numbered in order, each line routed to its section and valued at the reference price', async () => {
      const before = await documentCounts(t.db);
      emergency = await emitRequest({
        ctx: a.as('nurse'),
        input: {
          destinationId: h.cardio.id,
          urgency: 'emergency',
          note: 'paziente instabile',
          lines: [
            { itemId: h.gloves.id, quantity: 150 },
            { itemId: h.drug.id, quantity: 10 },
            { itemId: h.stent.id, quantity: 2 },
          ],
        },
      });
      normal = await emitRequest({
        ctx: a.as('nurse'),
        input: {
          destinationId: h.cardioStore.id,
          neededBy: '2026-11-25T08:00:00+01:00',
          lines: [
            { itemId: h.syringe.id, quantity: 20 },
            { itemId: h.drug.id, quantity: 5 },
            { itemId: h.stent.id, quantity: 1 },
          ],
        },
      });
      // A ward's request goes to its ward store.
      const common = {
        organisationId: h.org.id,
        destinationId: h.cardioStore.id,
        status: 'submitted',
        createdBy: h.actors.nurse.userId,
        channel: 'http',
        origin: { kind: 'manual' },
        replayed: false,
        destination: { code: 'CARD-MR', name: 'Magazzino Cardiologia', kind: 'ward_store' },
      };
      expect(emergency).toMatchObject({
        ...common,
        number: 'RIC-2026-000001',
        urgency: 'emergency',
        note: 'paziente instabile',
        neededBy: null,
      });
      expect(normal).toMatchObject({
        ...common,
        number: 'RIC-2026-000002',
        urgency: 'normal',
        neededBy: '2026-11-25T07:00:00.000Z',
      });
      expect(
        emergency.lines.map((l) => ({ lineNo: l.lineNo, sectionId: l.sectionId, unitPrice: l.unitPrice })),
      ).toEqual([
        { lineNo: 1, sectionId: h.section.id, unitPrice: '0.0500' },
        { lineNo: 2, sectionId: h.pharmacySection.id, unitPrice: '1.2000' },
        { lineNo: 3, sectionId: h.section.id, unitPrice: '450.0000' },
      ]);
      const routed = { status: 'routed', approved: null, issued: 0, decision: null, early: false };
      expect(lineFacts(emergency)).toEqual([
        { ...routed, item: 'DM-GUA-M', section: 'MAGAZZINO', requested: 150, outstanding: 150 },
        { ...routed, item: 'FARM-PARA-1G', section: 'FARMACIA', requested: 10, outstanding: 10 },
        { ...routed, item: 'DM-STENT-3', section: 'MAGAZZINO', requested: 2, outstanding: 2 },
      ]);
      expect(lineFacts(normal).map((l) => [l.item, l.section, l.requested])).toEqual([
        ['DM-SIR-10', 'MAGAZZINO', 20],
        ['FARM-PARA-1G', 'FARMACIA', 5],
        ['DM-STENT-3', 'MAGAZZINO', 1],
      ]);
      expect(await documentCounts(t.db)).toEqual({ ...before, requests: before.requests + 2, lines: before.lines + 6 });
      const audits = await t.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.action, 'requests.emit'), eq(auditLog.entityId, emergency.id)));
      expect(audits).toEqual([
        expect.objectContaining({
          actorId: h.actors.nurse.userId,
          detail: { number: 'RIC-2026-000001', urgency: 'emergency', lines: 3 },
        }),
      ]);
    });

    it('refuses to fulfil the normal request before its evaluation, writing nothing', async () => {
      await failsWithoutRequestTrace(t.db, () => a.fulfil('warehouse', normal.id), {
        code: 'conflict',
        key: 'nothing_to_fulfil',
      });
    });

    it('the warehouse fulfils the emergency unevaluated: gloves FEFO over two lots into transit, the stent ordered, the drug left to the pharmacy', async () => {
      const before = await snapshot(t.db);
      const result = await a.fulfil('warehouse', emergency.id);
      expect(result).toMatchObject({
        issueNotes: [expect.any(String)],
        pickingLists: [],
        purchaseOrders: [expect.any(String)],
        backOrdered: [],
      });
      transit = await transitOf(t.db, h.org.id);
      const note = await printed(result.issueNotes[0]!);
      notes.push(note.id);
      expect(note).toMatchObject({
        number: 'BS-2026-000001',
        requestId: emergency.id,
        fromLocationId: h.warehouse.id,
        toLocationId: h.cardioStore.id,
        status: 'issued',
        issuedBy: h.actors.warehouse.userId,
        takenAt: null,
        reversedAt: null,
        from: { code: 'MAG' },
        to: { code: 'CARD-MR' },
      });
      expect(note.printed).toEqual([
        { item: 'DM-GUA-M', lot: 'G-EARLY', expiry: '2027-01-31', quantity: 100 },
        { item: 'DM-GUA-M', lot: 'G-LATE', expiry: '2027-06-30', quantity: 50 },
      ]);
      expect(note.lines.map((l) => l.requestLineId)).toEqual([emergency.lines[0]!.id, emergency.lines[0]!.id]);
      const moved = await movementsOf(t.db, 'BS-2026-000001');
      expect(
        moved.map((m) => ({
          kind: m.kind,
          from: m.fromLocationId,
          to: m.toLocationId,
          lot: m.lotId,
          quantity: m.quantity,
          type: m.documentType,
          actor: m.actorId,
        })),
      ).toEqual([
        {
          kind: 'issue',
          from: h.warehouse.id,
          to: transit.id,
          lot: h.lots.glovesEarly.id,
          quantity: 100,
          type: 'issue_note',
          actor: h.actors.warehouse.userId,
        },
        {
          kind: 'issue',
          from: h.warehouse.id,
          to: transit.id,
          lot: h.lots.glovesLate.id,
          quantity: 50,
          type: 'issue_note',
          actor: h.actors.warehouse.userId,
        },
      ]);
      expect(note.lines.map((l) => l.movementId).sort()).toEqual(moved.map((m) => m.id).sort());
      expect([
        await balanceOf(t.db, h.warehouse.id, h.lots.glovesEarly.id),
        await balanceOf(t.db, h.warehouse.id, h.lots.glovesLate.id),
      ]).toEqual([0, 150]);
      expect([
        await balanceOf(t.db, transit.id, h.lots.glovesEarly.id),
        await balanceOf(t.db, transit.id, h.lots.glovesLate.id),
      ]).toEqual([100, 50]);

      const order = await purchaseOrderView(a.as('warehouse'), result.purchaseOrders[0]!);
      expect(order).toMatchObject({
        number: 'OA-2026-000001',
        supplierId: h.supplier.id,
        deliverToId: h.warehouse.id,
        status: 'PL',
        expectedAt: days(5),
        createdBy: h.actors.warehouse.userId,
        releasedAt: null,
        closedAt: null,
        supplier: { code: 'SUP1' },
      });
      expect(order.lines).toEqual([
        expect.objectContaining({
          requestLineId: emergency.lines[2]!.id,
          itemId: h.stent.id,
          quantity: 2,
          quantityReceived: 0,
          unitPrice: '450.0000',
        }),
      ]);

      expect(result.request.status).toBe('in_progress');
      expect(lineFacts(result.request).map((l) => [l.status, l.issued, l.outstanding, l.early])).toEqual([
        ['issued', 150, 0, true],
        ['routed', 0, 10, false],
        ['ordered', 0, 2, false],
      ]);
      const after = await snapshot(t.db);
      expect({ movements: after.movements - before.movements, audit: after.audit - before.audit }).toEqual({
        movements: 2,
        audit: 1,
      });
      expect(await ledgerMismatches(t.db)).toEqual([]);
    });

    it('the pharmacy proposes a picking list for the drug, earliest expiry first, moving nothing yet', async () => {
      const before = await snapshot(t.db);
      const result = await a.fulfil('pharmacist', emergency.id);
      expect(result).toMatchObject({
        issueNotes: [],
        purchaseOrders: [],
        pickingLists: [expect.any(String)],
        backOrdered: [],
      });
      const list = await pickingListOf(t.db, result.pickingLists[0]!);
      expect(list).toMatchObject({
        number: 'PR-2026-000001',
        status: 'proposed',
        requestId: emergency.id,
        fromLocationId: h.pharmacy.id,
        createdBy: h.actors.pharmacist.userId,
        issueNoteId: null,
        closedAt: null,
      });
      expect(list.lines).toEqual([
        expect.objectContaining({
          requestLineId: emergency.lines[1]!.id,
          itemId: h.drug.id,
          lotId: h.lots.drugEarly.id,
          quantity: 10,
        }),
      ]);
      expect(a.lineOf(result.request, h.drug.id).status).toBe('picking');
      expect((await snapshot(t.db)).movements).toBe(before.movements);
    });

    it('confirms it as proposed: BS-2026-000002 from the pharmacy, the drug issued, the list confirmed', async () => {
      const [listId] = (await t.db.select().from(pickingLists).where(eq(pickingLists.requestId, emergency.id))).map(
        (l) => l.id,
      );
      const result = await confirmPickingList({ ctx: a.as('pharmacist'), input: { pickingListId: listId! } });
      const note = await printed(result.issueNoteId);
      notes.push(note.id);
      expect(note).toMatchObject({
        number: 'BS-2026-000002',
        fromLocationId: h.pharmacy.id,
        toLocationId: h.cardioStore.id,
        status: 'issued',
        issuedBy: h.actors.pharmacist.userId,
      });
      expect(note.printed).toEqual([{ item: 'FARM-PARA-1G', lot: 'P-EARLY', expiry: '2027-02-28', quantity: 10 }]);
      expect(await pickingListOf(t.db, listId!)).toMatchObject({
        status: 'confirmed',
        issueNoteId: note.id,
        closedAt: expect.any(Date),
      });
      expect(
        (await movementsOf(t.db, 'BS-2026-000002')).map((m) => [m.kind, m.fromLocationId, m.toLocationId, m.quantity]),
      ).toEqual([['issue', h.pharmacy.id, transit.id, 10]]);
      expect(await balanceOf(t.db, h.pharmacy.id, h.lots.drugEarly.id)).toBe(20);
      expect(lineFacts(result.request).map((l) => l.status)).toEqual(['issued', 'issued', 'ordered']);
      expect(result.request.status).toBe('in_progress');
    });

    it('the ward takes the gloves in charge: transit → ward store, lot by lot, and the note is closed to reversal', async () => {
      const taken = await a.take(notes[0]!);
      expect(taken).toMatchObject({
        number: 'BS-2026-000001',
        status: 'taken_in_charge',
        takenBy: h.actors.nurse.userId,
        takenAt: today.toISOString(),
        replayed: false,
      });
      expect(
        (await movementsOf(t.db, 'BS-2026-000001')).map((m) => [
          m.kind,
          m.fromLocationId,
          m.toLocationId,
          m.lotId,
          m.quantity,
        ]),
      ).toEqual([
        ['issue', h.warehouse.id, transit.id, h.lots.glovesEarly.id, 100],
        ['issue', h.warehouse.id, transit.id, h.lots.glovesLate.id, 50],
        ['transfer', transit.id, h.cardioStore.id, h.lots.glovesEarly.id, 100],
        ['transfer', transit.id, h.cardioStore.id, h.lots.glovesLate.id, 50],
      ]);
      expect([
        await balanceOf(t.db, transit.id, h.lots.glovesEarly.id),
        await balanceOf(t.db, h.cardioStore.id, h.lots.glovesEarly.id),
        await balanceOf(t.db, h.cardioStore.id, h.lots.glovesLate.id),
      ]).toEqual([0, 100, 50]);
      await failsWithoutRequestTrace(t.db, () => a.take(notes[0]!), { code: 'conflict', key: 'invalid_transition' });
    });

    it('the stent order goes PL → FP → RR → OP; received in full, it is issued on to the ward at once and closes', async () => {
      const [order] = await t.db
        .select()
        .from(purchaseOrders)
        .where(and(eq(purchaseOrders.organisationId, h.org.id), eq(purchaseOrders.number, 'OA-2026-000001')));
      expect(await a.release(order!.id)).toEqual(['FP', 'RR', 'OP']);
      const open = await purchaseOrderView(a.as('warehouse'), order!.id);
      expect(open).toMatchObject({ status: 'OP', releasedAt: today.toISOString(), closedAt: null });
      const before = await snapshot(t.db);
      const received = await receivePurchaseOrder({
        ctx: a.as('warehouse'),
        input: {
          purchaseOrderId: order!.id,
          documentId: 'DDT-778',
          lines: [
            {
              purchaseOrderLineId: open.lines[0]!.id,
              lotCode: 'ST-1',
              expiry: '2029-12-31',
              quantity: 2,
              unitPrice: 440,
            },
          ],
        },
      });
      const lot = await lotByCode(t.db, h.stent.id, 'ST-1');
      expect(received.receipt).toEqual([
        expect.objectContaining({
          kind: 'receipt',
          fromLocationId: null,
          toLocationId: h.warehouse.id,
          lotId: lot.id,
          quantity: 2,
          documentType: 'DDT',
          documentId: 'DDT-778',
          unitPrice: '440.0000',
        }),
      ]);
      expect(lot).toMatchObject({ supplierId: h.supplier.id, expiry: '2029-12-31', purchasePrice: '440.0000' });
      expect(received.purchaseOrder).toMatchObject({
        status: 'CL',
        closedAt: today.toISOString(),
        lines: [expect.objectContaining({ quantity: 2, quantityReceived: 2 })],
      });
      const note = await printed(received.issueNotes[0]!);
      notes.push(note.id);
      expect(note).toMatchObject({
        number: 'BS-2026-000003',
        requestId: emergency.id,
        fromLocationId: h.warehouse.id,
        toLocationId: h.cardioStore.id,
        status: 'issued',
      });
      expect(note.printed).toEqual([{ item: 'DM-STENT-3', lot: 'ST-1', expiry: '2029-12-31', quantity: 2 }]);
      expect([await balanceOf(t.db, h.warehouse.id, lot.id), await balanceOf(t.db, transit.id, lot.id)]).toEqual([
        0, 2,
      ]);
      expect((await snapshot(t.db)).movements - before.movements).toBe(2);
      const after = await a.view(emergency.id);
      expect(lineFacts(after).map((l) => [l.status, l.issued])).toEqual([
        ['issued', 150],
        ['issued', 10],
        ['issued', 2],
      ]);
      expect(after.status).toBe('completed');
    });

    it('the emergency is evaluated afterwards: every decision recorded, the statuses kept', async () => {
      await a.approve('warehouse', [emergency.lines[0]!.id, emergency.lines[2]!.id]);
      const result = await a.approve('pharmacist', [emergency.lines[1]!.id]);
      const after = result.requests[0]!;
      expect(after.status).toBe('completed');
      expect(lineFacts(after).map((l) => [l.status, l.approved, l.decision, l.outstanding, l.early])).toEqual([
        ['issued', 150, 'approved', 0, true],
        ['issued', 10, 'approved', 0, true],
        ['issued', 2, 'approved', 0, true],
      ]);
      expect(after.lines.map((l) => l.evaluatedBy)).toEqual([
        h.actors.warehouse.userId,
        h.actors.pharmacist.userId,
        h.actors.warehouse.userId,
      ]);
    });

    it('the normal request: evaluated (the drug reduced), fulfilled, picked, ordered, received and taken in charge', async () => {
      const reduced = await evaluateLines({
        ctx: a.as('pharmacist'),
        input: {
          decisions: [
            { lineId: normal.lines[1]!.id, decision: 'reduce', quantity: 3, reason: 'scorta di reparto sufficiente' },
          ],
        },
      });
      expect(lineFacts(reduced.requests[0]!)[1]).toMatchObject({
        status: 'approved',
        approved: 3,
        decision: 'reduced',
        outstanding: 3,
      });
      expect(reduced.requests[0]!.lines[1]!.decisionReason).toBe('scorta di reparto sufficiente');
      expect(reduced.requests[0]!.status).toBe('in_progress');
      await a.approve('warehouse', [normal.lines[0]!.id, normal.lines[2]!.id]);

      const stock = await a.fulfil('warehouse', normal.id);
      const syringes = await printed(stock.issueNotes[0]!);
      expect(syringes).toMatchObject({ number: 'BS-2026-000004', fromLocationId: h.warehouse.id });
      expect(syringes.printed).toEqual([{ item: 'DM-SIR-10', lot: 'S-1', expiry: '2027-03-31', quantity: 20 }]);
      const order = await purchaseOrderView(a.as('warehouse'), stock.purchaseOrders[0]!);
      expect(order).toMatchObject({
        number: 'OA-2026-000002',
        status: 'PL',
        lines: [expect.objectContaining({ requestLineId: normal.lines[2]!.id, quantity: 1 })],
      });

      const picking = await a.fulfil('pharmacist', normal.id);
      const list = await pickingListOf(t.db, picking.pickingLists[0]!);
      expect(list).toMatchObject({
        number: 'PR-2026-000002',
        lines: [expect.objectContaining({ lotId: h.lots.drugEarly.id, quantity: 3 })],
      });
      const drug = await printed(
        (await confirmPickingList({ ctx: a.as('pharmacist'), input: { pickingListId: list.id } })).issueNoteId,
      );
      expect(drug).toMatchObject({ number: 'BS-2026-000005' });
      expect(drug.printed).toEqual([{ item: 'FARM-PARA-1G', lot: 'P-EARLY', expiry: '2027-02-28', quantity: 3 }]);

      await a.release(order.id);
      const received = await receivePurchaseOrder({
        ctx: a.as('warehouse'),
        input: {
          purchaseOrderId: order.id,
          lines: [{ purchaseOrderLineId: order.lines[0]!.id, lotCode: 'ST-2', expiry: '2030-01-31', quantity: 1 }],
        },
      });
      const stent = await printed(received.issueNotes[0]!);
      expect(stent).toMatchObject({ number: 'BS-2026-000006' });
      expect(stent.printed).toEqual([{ item: 'DM-STENT-3', lot: 'ST-2', expiry: '2030-01-31', quantity: 1 }]);
      // Without a price on the delivery, the receipt is valued at the order's.
      expect(received.receipt[0]).toMatchObject({ unitPrice: '450.0000' });

      for (const id of [notes[1]!, notes[2]!, syringes.id, drug.id, stent.id])
        expect((await a.take(id)).status).toBe('taken_in_charge');
      const done = await a.view(normal.id);
      expect(done.status).toBe('completed');
      expect(lineFacts(done).map((l) => [l.status, l.approved, l.issued, l.outstanding, l.early])).toEqual([
        ['issued', 20, 20, 0, false],
        ['issued', 3, 3, 0, false],
        ['issued', 1, 1, 0, false],
      ]);
    });

    it('leaves everything at the ward, nothing in transit, every balance equal to its ledger', async () => {
      const lots = { st1: await lotByCode(t.db, h.stent.id, 'ST-1'), st2: await lotByCode(t.db, h.stent.id, 'ST-2') };
      const at = (locationId: string, lotId: string) => balanceOf(t.db, locationId, lotId);
      expect({
        glovesEarly: await at(h.cardioStore.id, h.lots.glovesEarly.id),
        glovesLate: await at(h.cardioStore.id, h.lots.glovesLate.id),
        drug: await at(h.cardioStore.id, h.lots.drugEarly.id),
        syringe: await at(h.cardioStore.id, h.lots.syringe.id),
        stents: (await at(h.cardioStore.id, lots.st1.id)) + (await at(h.cardioStore.id, lots.st2.id)),
      }).toEqual({ glovesEarly: 100, glovesLate: 50, drug: 13, syringe: 20, stents: 3 });
      for (const lot of [...Object.values(h.lots), lots.st1, lots.st2]) expect(await at(transit.id, lot.id)).toBe(0);
      expect(await ledgerMismatches(t.db)).toEqual([]);
      expect(await negativeBalances(t.db)).toEqual([]);
    });

    it('numbers every kind of document in sequence, without gaps', async () => {
      expect(await documentNumbers(t.db, h.org.id)).toEqual({
        requests: ['RIC-2026-000001', 'RIC-2026-000002'],
        issueNotes: [
          'BS-2026-000001',
          'BS-2026-000002',
          'BS-2026-000003',
          'BS-2026-000004',
          'BS-2026-000005',
          'BS-2026-000006',
        ],
        pickingLists: ['PR-2026-000001', 'PR-2026-000002'],
        purchaseOrders: ['OA-2026-000001', 'OA-2026-000002'],
      });
    });
  });

  describe('partial fulfilment and back-order', () => {
    let h: RequestsHospital;
    const a = actionsFor(() => h);
    beforeAll(async () => {
      h = await buildRequestsHospital(t.db, 'BACK');
    });

    it('issues what the warehouse has, leaves the rest outstanding, and completes it after the next delivery', async () => {
      const request = await emitRequest({
        ctx: a.as('admin'),
        input: {
          destinationId: h.cardio.id,
          lines: [
            { itemId: h.gloves.id, quantity: 350 },
            { itemId: h.syringe.id, quantity: 60 },
          ],
          override: { reason: 'Opening stock of a new ward' },
        },
      });
      await a.approve(
        'warehouse',
        request.lines.map((l) => l.id),
      );
      const first = await a.fulfil('warehouse', request.id);
      expect(first.backOrdered).toEqual(request.lines.map((l) => l.id));
      const note = await issueNoteView(a.as('warehouse'), first.issueNotes[0]!);
      expect(note.lines.map((l) => [l.lot.lotCode, l.quantity])).toEqual([
        ['G-EARLY', 100],
        ['G-LATE', 200],
        ['S-1', 50],
      ]);
      expect(first.request.status).toBe('in_progress');
      expect(first.request.lines.map((l) => [l.status, l.quantityIssued, l.outstanding])).toEqual([
        ['partially_issued', 300, 50],
        ['partially_issued', 50, 10],
      ]);

      // Nothing left to issue: no document, both lines still back-ordered.
      const before = await requestSnapshot(t.db);
      const idle = await a.fulfil('warehouse', request.id);
      expect(idle).toMatchObject({
        issueNotes: [],
        pickingLists: [],
        purchaseOrders: [],
        backOrdered: request.lines.map((l) => l.id),
      });
      const after = await requestSnapshot(t.db);
      expect({ ...after, audit: after.audit - 1 }).toEqual(before); // only the attempt's audit row

      await receiveAtWarehouse(
        h,
        [
          { itemId: h.gloves.id, lotCode: 'G-NEW', expiry: '2027-12-31', quantity: 80 },
          { itemId: h.syringe.id, lotCode: 'S-2', expiry: '2027-08-31', quantity: 20 },
        ],
        a.as('warehouse'),
      );
      const second = await a.fulfil('warehouse', request.id);
      expect(second.backOrdered).toEqual([]);
      const rest = await issueNoteView(a.as('warehouse'), second.issueNotes[0]!);
      expect(rest.number).toBe('BS-2026-000002');
      expect(rest.lines.map((l) => [l.lot.lotCode, l.lot.expiry, l.quantity])).toEqual([
        ['G-NEW', '2027-12-31', 50],
        ['S-2', '2027-08-31', 10],
      ]);
      expect(second.request.status).toBe('completed');
      expect(second.request.lines.map((l) => [l.status, l.quantityIssued, l.outstanding])).toEqual([
        ['issued', 350, 0],
        ['issued', 60, 0],
      ]);
      expect(await balanceOf(t.db, h.warehouse.id, (await lotByCode(t.db, h.gloves.id, 'G-NEW')).id)).toBe(30);
      await failsWithoutRequestTrace(t.db, () => a.fulfil('warehouse', request.id), {
        code: 'conflict',
        key: 'nothing_to_fulfil',
      });

      for (const id of [note.id, rest.id]) await a.take(id);
      expect(await balanceOf(t.db, h.cardioStore.id, h.lots.glovesLate.id)).toBe(200);
      expect(await ledgerMismatches(t.db)).toEqual([]);
    });
  });

  describe('FEFO', () => {
    let h: RequestsHospital;
    const a = actionsFor(() => h);
    beforeAll(async () => {
      h = await buildRequestsHospital(t.db, 'FEFO');
    });
    /** Receives a lot (as the admin, so expired lots can be booked in for the test) and sets its status. */
    const lot = async (
      locationId: string,
      itemId: string,
      lotCode: string,
      quantity: number,
      expiry: string | null,
      status?: 'quarantined' | 'recalled',
    ) => {
      await receiveGoods({
        ctx: a.as('admin'),
        input: { locationId, lines: [{ itemId, lotCode, quantity, ...(expiry ? { expiry } : {}) }] },
      });
      const row = await lotByCode(t.db, itemId, lotCode);
      if (status) await setLotStatus(t.db, row.id, status);
      return row;
    };

    it('issues the earliest usable expiry first, skipping expired, quarantined and recalled lots; undated lots last', async () => {
      const skipped = [
        await lot(h.warehouse.id, h.syringe.id, 'S-EXPIRED', 10, '2026-11-22'),
        await lot(h.warehouse.id, h.syringe.id, 'S-QUARANT', 10, '2026-11-30', 'quarantined'),
        await lot(h.warehouse.id, h.syringe.id, 'S-RECALL', 10, '2026-12-01', 'recalled'),
      ];
      await lot(h.warehouse.id, h.syringe.id, 'S-SOON', 5, '2026-12-31');
      await lot(h.warehouse.id, h.syringe.id, 'S-UNDATED', 100, null);
      await lot(h.warehouse.id, h.syringe.id, 'S-TODAY', 3, '2026-11-23'); // usable through its expiry day
      const request = await emitRequest({
        ctx: a.as('admin'),
        input: {
          destinationId: h.cardio.id,
          lines: [{ itemId: h.syringe.id, quantity: 60 }],
          override: { reason: 'Opening stock of a new ward' },
        },
      });
      await a.approve('warehouse', [request.lines[0]!.id]);
      const result = await a.fulfil('warehouse', request.id);
      const note = await issueNoteView(a.as('warehouse'), result.issueNotes[0]!);
      expect(note.lines.map((l) => [l.lot.lotCode, l.quantity])).toEqual([
        ['S-TODAY', 3],
        ['S-SOON', 5],
        ['S-1', 50],
        ['S-UNDATED', 2],
      ]);
      for (const s of skipped) expect(await balanceOf(t.db, h.warehouse.id, s.id)).toBe(10);
      expect(result.request.lines[0]).toMatchObject({ status: 'issued', quantityIssued: 60 });
    });

    it('counts only usable stock: a line whose only stock is unusable is back-ordered, with nothing issued', async () => {
      const request = await emitRequest({
        ctx: a.as('admin'),
        input: {
          destinationId: h.cardio.id,
          lines: [{ itemId: h.syringe.id, quantity: 200 }],
          override: { reason: 'Opening stock of a new ward' },
        },
      });
      await a.approve('warehouse', [request.lines[0]!.id]);
      const result = await a.fulfil('warehouse', request.id);
      expect(result.backOrdered).toEqual([request.lines[0]!.id]);
      const note = await issueNoteView(a.as('warehouse'), result.issueNotes[0]!);
      expect(note.lines.map((l) => [l.lot.lotCode, l.quantity])).toEqual([['S-UNDATED', 98]]);
      expect(result.request.lines[0]).toMatchObject({
        status: 'partially_issued',
        quantityIssued: 98,
        outstanding: 102,
      });
    });

    it('proposes pharmacy picking lists FEFO too, skipping unusable lots and splitting a line over lots', async () => {
      await lot(h.pharmacy.id, h.drug.id, 'P-OLD', 10, '2026-10-31');
      await lot(h.pharmacy.id, h.drug.id, 'P-QUAR', 10, '2026-12-10', 'quarantined');
      const request = await emitRequest({
        ctx: a.as('nurse'),
        input: { destinationId: h.cardio.id, urgency: 'urgent', lines: [{ itemId: h.drug.id, quantity: 35 }] },
      });
      await a.approve('pharmacist', [request.lines[0]!.id]);
      const result = await a.fulfil('pharmacist', request.id);
      const list = await pickingListOf(t.db, result.pickingLists[0]!);
      expect(Object.fromEntries(list.lines.map((l) => [l.lotId, l.quantity]))).toEqual({
        [h.lots.drugEarly.id]: 30,
        [h.lots.drugLate.id]: 5,
      });
      const confirmed = await confirmPickingList({ ctx: a.as('pharmacist'), input: { pickingListId: list.id } });
      const note = await issueNoteView(a.as('pharmacist'), confirmed.issueNoteId);
      expect(note.lines.map((l) => [l.lot.lotCode, l.lot.expiry, l.quantity])).toEqual([
        ['P-EARLY', '2027-02-28', 30],
        ['P-LATE', '2027-09-30', 5],
      ]);
      expect(confirmed.request.lines[0]).toMatchObject({ status: 'issued', quantityIssued: 35 });
      expect(await ledgerMismatches(t.db)).toEqual([]);
    });
  });
});
