import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCategory } from '../../api/catalogue/reference-data.ts';
import { createItem } from '../../api/catalogue/items.ts';
import { advancePurchaseOrder, markOverdueOrders, purchaseOrderView } from '../../api/orders/purchase-orders.ts';
import { emitRequest } from '../../api/requests/emit-request.ts';
import { evaluateLines } from '../../api/requests/evaluate-lines.ts';
import { fulfilRequest } from '../../api/requests/fulfil-request.ts';
import { getRequest } from '../../api/requests/get-request.ts';
import { takeInCharge } from '../../api/requests/issue-notes.ts';
import { listOverdue, listRequests, sectionQueue } from '../../api/requests/queues.ts';
import { auditLog } from '../../db/schema/index.ts';
import { drivers, openTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { buildHospital, contextFor, type Hospital } from '../helpers/fixture.ts';
import {
  buildRequestsHospital,
  contextAt,
  documentNumbers,
  failsWithoutRequestTrace,
  requestSteps,
  type RequestsHospital,
} from '../helpers/requests.ts';

type Who = keyof RequestsHospital['actors'];
const at = (iso: string) => new Date(iso);

describe.each(drivers)('ward request queues and scope on %s', (driver) => {
  let t: TestDatabase;
  let h: RequestsHospital;
  /** Another organisation: its people see none of ours. */
  let other: Hospital;
  beforeAll(async () => {
    t = await openTestDatabase(driver);
    h = await buildRequestsHospital(t.db, 'QUEUE');
    other = await buildHospital(t.db, 'ALTRO');
  });
  afterAll(() => t?.close());

  const { as, emit, approve } = requestSteps(
    () => t.db,
    () => h,
  );

  describe('emitting', () => {
    it('refuses bad input, naming the field, writing nothing and using up no number', async () => {
      const noSection = await createCategory({ ctx: h.sys, input: { code: 'VARIE', name: 'Varie' } });
      const orphan = await createItem({
        ctx: h.sys,
        input: {
          code: 'VAR-1',
          name: 'Articolo senza sezione',
          nameEn: 'Item without section',
          categoryId: noSection.id,
          unit: 'pz',
        },
      });
      const cases: Array<
        [Record<string, unknown>, { code: 'validation' | 'not_found'; key?: 'no_section'; field?: string }]
      > = [
        [{ lines: [{ itemId: h.gloves.id, quantity: 0 }] }, { code: 'validation', field: 'lines.0.quantity' }],
        [{ lines: [{ itemId: h.gloves.id, quantity: 1.5 }] }, { code: 'validation', field: 'lines.0.quantity' }],
        [{ lines: [] }, { code: 'validation', field: 'lines' }],
        [
          {
            lines: [
              { itemId: h.gloves.id, quantity: 1 },
              { itemId: h.gloves.id, quantity: 2 },
            ],
          },
          { code: 'validation', field: 'lines' },
        ],
        [
          { urgency: 'critical', lines: [{ itemId: h.gloves.id, quantity: 1 }] },
          { code: 'validation', field: 'urgency' },
        ],
        [
          { neededBy: 'domani', lines: [{ itemId: h.gloves.id, quantity: 1 }] },
          { code: 'validation', field: 'neededBy' },
        ],
        [
          {
            lines: [
              { itemId: h.gloves.id, quantity: 1 },
              { itemId: orphan.id, quantity: 1 },
            ],
          },
          { code: 'validation', key: 'no_section', field: 'lines.1.itemId' },
        ],
        [{ lines: [{ itemId: other.gloves.id, quantity: 1 }] }, { code: 'not_found' }],
      ];
      for (const [input, expected] of cases) {
        await failsWithoutRequestTrace(
          t.db,
          () => emitRequest({ ctx: as('nurse'), input: { destinationId: h.cardio.id, ...input } }),
          expected,
        );
      }
      await failsWithoutRequestTrace(
        t.db,
        () =>
          emitRequest({
            ctx: as('nurse'),
            input: { destinationId: other.cardio.id, lines: [{ itemId: h.gloves.id, quantity: 1 }] },
          }),
        { code: 'not_found' },
      );
      const first = await emit([[h.gloves.id, 1]]);
      expect(first.number).toBe('RIC-2026-000001');
    });

    it('replays a retried emission with the same key: one request, one number', async () => {
      const input = {
        destinationId: h.cabinet.id,
        origin: 'sottoscorta: giacenza 3 ≤ R 10',
        idempotencyKey: 'armadio-1-2026-11-23',
        lines: [{ itemId: h.gloves.id, quantity: 100 }],
      };
      const first = await emitRequest({ ctx: as('device'), input });
      expect(first).toMatchObject({
        destinationId: h.cabinet.id,
        origin: { kind: 'declared', text: 'sottoscorta: giacenza 3 ≤ R 10' },
        createdBy: h.actors.device.userId,
        replayed: false,
      });
      const again = await emitRequest({ ctx: as('device'), input });
      expect(again).toEqual({ ...first, replayed: true });
      expect((await documentNumbers(t.db, h.org.id)).requests.filter((n) => n === first.number)).toHaveLength(1);
    });

    it.each<[Who, 'surgery' | 'home' | 'cardioStore' | 'warehouse']>([
      ['nurse', 'surgery'],
      ['nurse', 'home'],
      ['otherNurse', 'cardioStore'],
      ['device', 'cardioStore'],
      ['warehouse', 'cardioStore'],
      ['pharmacist', 'surgery'],
      ['homeCare', 'warehouse'],
    ])('forbids the %s to emit for the %s, writing nothing', async (who, where) => {
      await failsWithoutRequestTrace(
        t.db,
        () =>
          emitRequest({
            ctx: as(who),
            input: { destinationId: h[where].id, lines: [{ itemId: h.gloves.id, quantity: 1 }] },
          }),
        { code: 'forbidden' },
      );
    });

    it('lets home care emit for a patient’s home', async () => {
      expect(await emit([[h.syringe.id, 10]], { who: 'homeCare', destinationId: h.home.id })).toMatchObject({
        destinationId: h.home.id,
        status: 'submitted',
      });
    });
  });

  describe('scope of processing and reading', () => {
    let request: Awaited<ReturnType<typeof emit>>;
    beforeAll(async () => {
      request = await emit([
        [h.gloves.id, 2],
        [h.drug.id, 2],
      ]);
      await approve('warehouse', [request.lines[0]!.id]);
      await approve('pharmacist', [request.lines[1]!.id]);
    });

    it('forbids the warehouse to process pharmacy lines, and the pharmacy stock lines, writing nothing', async () => {
      await failsWithoutRequestTrace(
        t.db,
        () =>
          fulfilRequest({ ctx: as('warehouse'), input: { requestId: request.id, lineIds: [request.lines[1]!.id] } }),
        { code: 'forbidden' },
      );
      await failsWithoutRequestTrace(
        t.db,
        () =>
          fulfilRequest({
            ctx: as('warehouse'),
            input: { requestId: request.id, lineIds: request.lines.map((l) => l.id) },
          }),
        { code: 'forbidden' },
      );
      await failsWithoutRequestTrace(
        t.db,
        () =>
          fulfilRequest({ ctx: as('pharmacist'), input: { requestId: request.id, lineIds: [request.lines[0]!.id] } }),
        { code: 'forbidden' },
      );
      const pharmacyOnly = await emit([[h.drug.id, 1]]);
      await failsWithoutRequestTrace(
        t.db,
        () => fulfilRequest({ ctx: as('warehouse'), input: { requestId: pharmacyOnly.id } }),
        { code: 'forbidden' },
      );
    });

    it.each<Who>(['nurse', 'device', 'homeCare'])('forbids the %s to fulfil, writing nothing', async (who) => {
      await failsWithoutRequestTrace(t.db, () => fulfilRequest({ ctx: as(who), input: { requestId: request.id } }), {
        code: 'forbidden',
      });
    });

    it('does not reveal a request to another organisation', async () => {
      await failsWithoutRequestTrace(
        t.db,
        () => fulfilRequest({ ctx: contextFor(t.db, other.actors.admin), input: { requestId: request.id } }),
        { code: 'not_found' },
      );
      await expect(getRequest({ ctx: contextFor(t.db, other.actors.admin), id: request.id })).rejects.toMatchObject({
        code: 'not_found',
      });
    });

    it('lets the ward take in charge only its own notes', async () => {
      const fulfilled = await fulfilRequest({ ctx: as('warehouse'), input: { requestId: request.id } });
      const issueNoteId = fulfilled.issueNotes[0]!;
      for (const who of ['otherNurse', 'homeCare', 'warehouse', 'device'] as const) {
        await failsWithoutRequestTrace(t.db, () => takeInCharge({ ctx: as(who), input: { issueNoteId } }), {
          code: 'forbidden',
        });
      }
      await failsWithoutRequestTrace(
        t.db,
        () => takeInCharge({ ctx: contextFor(t.db, other.actors.admin), input: { issueNoteId } }),
        { code: 'not_found' },
      );
      expect((await takeInCharge({ ctx: as('nurse'), input: { issueNoteId } })).status).toBe('taken_in_charge');
    });

    it('shows a request to its ward and to the sections it was routed to, not to another ward', async () => {
      for (const who of ['nurse', 'warehouse', 'pharmacist', 'admin'] as const)
        expect((await getRequest({ ctx: as(who), id: request.id })).id).toBe(request.id);
      for (const who of ['otherNurse', 'homeCare'] as const)
        await expect(getRequest({ ctx: as(who), id: request.id })).rejects.toMatchObject({ code: 'forbidden' });
      const mine = await listRequests({ ctx: as('nurse'), input: {} });
      expect(mine.data.map((r) => r.id)).toContain(request.id);
      expect((await listRequests({ ctx: as('otherNurse'), input: {} })).data.map((r) => r.id)).not.toContain(
        request.id,
      );
      await expect(
        listRequests({ ctx: as('otherNurse'), input: { destinationId: h.cardio.id } }),
      ).rejects.toMatchObject({ code: 'forbidden' });
    });
  });

  describe('section queue', () => {
    it('lists the open lines of the actor’s sections, emergencies first, then urgent, then by needed-by and age', async () => {
      const normalLate = await emit([
        [h.gloves.id, 1],
        [h.drug.id, 1],
      ]);
      const normalSoon = await emit([[h.syringe.id, 1]], { neededBy: '2026-11-24T10:00:00Z' });
      const urgent = await emit([[h.gloves.id, 2]], { urgency: 'urgent' });
      const emergency = await emit(
        [
          [h.syringe.id, 3],
          [h.drug.id, 3],
        ],
        { urgency: 'emergency' },
      );
      const closed = await emit([[h.gloves.id, 4]], { urgency: 'emergency' });
      await evaluateLines({
        ctx: as('warehouse'),
        input: { decisions: [{ lineId: closed.lines[0]!.id, decision: 'reject', reason: 'doppione' }] },
      });
      const ours = new Set([normalLate, normalSoon, urgent, emergency, closed].map((r) => r.id));
      const queue = async (who: Who, input: Record<string, unknown> = {}) =>
        (await sectionQueue({ ctx: as(who), input: { limit: 500, ...input } })).data.filter((l) =>
          ours.has(l.request.id),
        );

      expect(
        (await queue('warehouse')).map((l) => [l.request.number, l.item.code, l.request.urgency, l.outstanding]),
      ).toEqual([
        [emergency.number, 'DM-SIR-10', 'emergency', 3],
        [urgent.number, 'DM-GUA-M', 'urgent', 2],
        [normalSoon.number, 'DM-SIR-10', 'normal', 1],
        [normalLate.number, 'DM-GUA-M', 'normal', 1],
      ]);
      expect((await queue('pharmacist')).map((l) => [l.request.number, l.item.code])).toEqual([
        [emergency.number, 'FARM-PARA-1G'],
        [normalLate.number, 'FARM-PARA-1G'],
      ]);
      expect((await queue('admin', { sectionId: h.pharmacySection.id })).map((l) => l.sectionId)).toEqual([
        h.pharmacySection.id,
        h.pharmacySection.id,
      ]);
      await expect(sectionQueue({ ctx: as('nurse'), input: {} })).rejects.toMatchObject({ code: 'forbidden' });
      await expect(
        sectionQueue({ ctx: as('warehouse'), input: { sectionId: h.pharmacySection.id } }),
      ).rejects.toMatchObject({ code: 'forbidden' });

      // Fulfilled lines leave the queue; pages follow each other without overlap.
      await fulfilRequest({ ctx: as('warehouse'), input: { requestId: emergency.id } });
      expect((await queue('warehouse')).map((l) => l.request.number)).toEqual([
        urgent.number,
        normalSoon.number,
        normalLate.number,
      ]);
      const first = await sectionQueue({ ctx: as('warehouse'), input: { limit: 2 } });
      const second = await sectionQueue({ ctx: as('warehouse'), input: { limit: 2, cursor: first.nextCursor! } });
      expect(first.data).toHaveLength(2);
      expect(new Set([...first.data, ...second.data].map((l) => l.id)).size).toBe(
        first.data.length + second.data.length,
      );
    });
  });

  describe('overdue requests and orders', () => {
    it('lists requests past their needed-by time and open orders past their expected delivery; the daily job marks them OD', async () => {
      const late = await emit([[h.stent.id, 1]], { neededBy: '2026-11-25T12:00:00Z' });
      const later = await emit([[h.gloves.id, 1]], { neededBy: '2026-12-15T12:00:00Z' });
      const done = await emit([[h.gloves.id, 1]], { neededBy: '2026-11-24T12:00:00Z' });
      const surgery = await emit([[h.gloves.id, 1]], {
        neededBy: '2026-11-24T12:00:00Z',
        who: 'otherNurse',
        destinationId: h.surgery.id,
      });
      await approve('warehouse', [late.lines[0]!.id, done.lines[0]!.id]);
      await fulfilRequest({ ctx: as('warehouse'), input: { requestId: done.id } });
      const open = (await fulfilRequest({ ctx: as('warehouse'), input: { requestId: late.id } })).purchaseOrders[0]!; // expected 2026-11-28
      const planned = (
        await fulfilRequest({ ctx: as('warehouse'), input: { requestId: (await approved(h.stent.id)).id } })
      ).purchaseOrders[0]!;
      for (const event of ['firm', 'ready', 'release'] as const)
        await advancePurchaseOrder({ ctx: as('warehouse'), input: { purchaseOrderId: open, event } });
      const ours = new Set([late, later, done, surgery].map((r) => r.number));
      const overdue = async (who: Who, when: Date) => {
        const result = await listOverdue({ ctx: contextAt(t.db, h.actors[who], when) });
        return {
          requests: result.requests.filter((r) => ours.has(r.number)).map((r) => r.number),
          orders: result.purchaseOrders.map((o) => [o.id, o.status]),
        };
      };

      expect(await overdue('nurse', at('2026-11-26T08:00:00Z'))).toEqual({ requests: [late.number], orders: [] });
      expect(await overdue('otherNurse', at('2026-11-26T08:00:00Z'))).toEqual({
        requests: [surgery.number],
        orders: [],
      });
      expect(await overdue('warehouse', at('2026-11-26T08:00:00Z'))).toEqual({
        requests: [surgery.number, late.number],
        orders: [],
      });
      expect(await overdue('warehouse', at('2026-11-30T08:00:00Z'))).toEqual({
        requests: [surgery.number, late.number],
        orders: [[open, 'OP']],
      });
      expect(await overdue('warehouse', at('2026-12-20T08:00:00Z'))).toMatchObject({
        requests: [surgery.number, late.number, later.number],
      });

      await failsWithoutRequestTrace(
        t.db,
        () => markOverdueOrders({ ctx: contextAt(t.db, h.actors.nurse, at('2026-11-30T08:00:00Z')) }),
        { code: 'forbidden' },
      );
      expect(await markOverdueOrders({ ctx: contextAt(t.db, h.actors.warehouse, at('2026-11-27T08:00:00Z')) })).toEqual(
        { overdue: 0 },
      );
      expect(await markOverdueOrders({ ctx: contextAt(t.db, h.actors.warehouse, at('2026-11-30T08:00:00Z')) })).toEqual(
        { overdue: 1 },
      );
      expect(await markOverdueOrders({ ctx: contextAt(t.db, h.actors.warehouse, at('2026-11-30T08:00:00Z')) })).toEqual(
        { overdue: 0 },
      );
      expect((await purchaseOrderView(as('warehouse'), open)).status).toBe('OD');
      expect((await purchaseOrderView(as('warehouse'), planned)).status).toBe('PL');
      expect(
        await t.db
          .select()
          .from(auditLog)
          .where(and(eq(auditLog.action, 'orders.overdue'), eq(auditLog.entityId, open))),
      ).toHaveLength(1);
      expect(await overdue('warehouse', at('2026-11-30T08:00:00Z'))).toMatchObject({ orders: [[open, 'OD']] });

      // Rescheduled with a new date, it is open again and no longer overdue.
      const rescheduled = await advancePurchaseOrder({
        ctx: as('warehouse'),
        input: { purchaseOrderId: open, event: 'reschedule', expectedAt: '2026-12-05T09:00:00Z' },
      });
      expect(rescheduled).toMatchObject({ status: 'OP', expectedAt: '2026-12-05T09:00:00.000Z' });
      expect(await overdue('warehouse', at('2026-11-30T08:00:00Z'))).toMatchObject({ orders: [] });
    });
  });

  /** Emits a request for one unit of an item and approves it. */
  async function approved(itemId: string) {
    const request = await emit([[itemId, 1]]);
    await approve('warehouse', [request.lines[0]!.id]);
    return request;
  }
});
