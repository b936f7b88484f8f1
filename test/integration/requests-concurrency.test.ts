import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DomainError } from '../../api/core/errors.ts';
import { emitRequest } from '../../api/requests/emit-request.ts';
import { evaluateLines } from '../../api/requests/evaluate-lines.ts';
import { fulfilRequest } from '../../api/requests/fulfil-request.ts';
import { getRequest } from '../../api/requests/get-request.ts';
import { reverseIssueNote, takeInCharge } from '../../api/requests/issue-notes.ts';
import { confirmPickingList } from '../../api/requests/picking-lists.ts';
import { issueNotes, movements } from '../../db/schema/index.ts';
import { openTestDatabase, postgresUrl, type TestDatabase } from '../helpers/database.ts';
import { contextFor, createPieceItem } from '../helpers/fixture.ts';
import { balanceOf, ledgerMismatches, lotByCode, negativeBalances, settle } from '../helpers/ledger.ts';
import {
  buildRequestsHospital,
  documentNumbers,
  issueNotesOf,
  transitOf,
  type RequestsHospital,
} from '../helpers/requests.ts';
import { receiveAtWarehouse } from '../helpers/stock-moves.ts';

type Who = keyof RequestsHospital['actors'];

const codes = (errors: DomainError[]) => errors.map((e) => `${e.code} ${e.key}`);

// Real concurrency needs a server: PGlite runs one query at a time.
describe.skipIf(!postgresUrl)('concurrent ward request handling on postgres', () => {
  let t: TestDatabase;
  let h: RequestsHospital;
  beforeAll(async () => {
    t = await openTestDatabase('postgres', { poolSize: 20 });
    h = await buildRequestsHospital(t.db, 'RACE');
  });
  afterAll(() => t?.close());

  const as = (who: Who) => contextFor(t.db, h.actors[who]);
  const approvedRequest = async (itemId: string, quantity: number, who: Who = 'warehouse') => {
    const request = await emitRequest({
      ctx: as('nurse'),
      input: { destinationId: h.cardio.id, lines: [{ itemId, quantity }] },
    });
    await evaluateLines({
      ctx: as(who),
      input: { decisions: [{ lineId: request.lines[0]!.id, decision: 'approve' }] },
    });
    return request;
  };

  it.each([2, 10])(
    '%i operators fulfil the same line at once: one issue note, the line issued once, the others told there is nothing to fulfil',
    async (operators) => {
      const request = await approvedRequest(h.gloves.id, 7);
      const line = request.lines[0]!;
      const warehouseBefore =
        (await balanceOf(t.db, h.warehouse.id, h.lots.glovesEarly.id)) +
        (await balanceOf(t.db, h.warehouse.id, h.lots.glovesLate.id));
      const { ok, errors } = await settle(
        Array.from({ length: operators }, () =>
          fulfilRequest({ ctx: as('warehouse'), input: { requestId: request.id, lineIds: [line.id] } }),
        ),
      );
      expect(ok).toHaveLength(1);
      expect(codes(errors)).toEqual(Array(operators - 1).fill('conflict nothing_to_fulfil'));
      const notes = await issueNotesOf(t.db, request.id);
      expect(notes).toHaveLength(1);
      expect(notes[0]!.lines.reduce((s, l) => s + l.quantity, 0)).toBe(7);
      expect(
        (await t.db.select().from(movements).where(eq(movements.documentId, notes[0]!.number))).map((m) => m.kind),
      ).toEqual(notes[0]!.lines.map(() => 'issue'));
      expect((await getRequest({ ctx: as('admin'), id: request.id })).lines[0]).toMatchObject({
        status: 'issued',
        quantityIssued: 7,
        outstanding: 0,
      });
      const warehouseAfter =
        (await balanceOf(t.db, h.warehouse.id, h.lots.glovesEarly.id)) +
        (await balanceOf(t.db, h.warehouse.id, h.lots.glovesLate.id));
      expect(warehouseBefore - warehouseAfter).toBe(7);
      expect(await ledgerMismatches(t.db)).toEqual([]);
    },
  );

  it('concurrent fulfilments of different requests share the last units: never more than the stock, the rest back-ordered', async () => {
    const scarce = await createPieceItem(h, 'DM-RACE', 'Articolo conteso', 'Contended item');
    await receiveAtWarehouse(h, [{ itemId: scarce.id, lotCode: 'R-1', expiry: '2027-06-30', quantity: 10 }]);
    const lot = await lotByCode(t.db, scarce.id, 'R-1');
    const requests = [];
    for (let i = 0; i < 6; i++) requests.push(await approvedRequest(scarce.id, 4));
    const { ok, errors } = await settle(
      requests.map((r) => fulfilRequest({ ctx: as('warehouse'), input: { requestId: r.id } })),
    );
    expect(errors).toEqual([]);
    const issued = ok.map((r) => r.request.lines[0]!.quantityIssued);
    expect(issued.reduce((a, b) => a + b, 0)).toBe(10);
    expect(ok.filter((r) => r.backOrdered.length > 0).length).toBeGreaterThanOrEqual(3);
    for (const r of ok) expect(r.request.lines[0]!.outstanding).toBe(4 - r.request.lines[0]!.quantityIssued);
    expect(await balanceOf(t.db, h.warehouse.id, lot.id)).toBe(0);
    expect(await balanceOf(t.db, (await transitOf(t.db, h.org.id)).id, lot.id)).toBe(10);
    expect(await negativeBalances(t.db)).toEqual([]);
  });

  it('concurrent emissions get distinct, gap-free numbers, also when the year’s first number is taken concurrently', async () => {
    const fresh = await buildRequestsHospital(t.db, 'NUMS');
    const { ok, errors } = await settle(
      Array.from({ length: 20 }, (_, i) =>
        emitRequest({
          ctx: contextFor(t.db, fresh.actors.nurse),
          input: { destinationId: fresh.cardio.id, lines: [{ itemId: fresh.gloves.id, quantity: i + 1 }] },
        }),
      ),
    );
    expect(errors).toEqual([]);
    const expected = Array.from({ length: 20 }, (_, i) => `RIC-2026-${String(i + 1).padStart(6, '0')}`);
    expect(ok.map((r) => r.number).sort()).toEqual(expected);
    expect((await documentNumbers(t.db, fresh.org.id)).requests).toEqual(expected);
  });

  it('concurrent take-in-charge of one note: one success, the others a conflict; the goods arrive once', async () => {
    const request = await approvedRequest(h.syringe.id, 5);
    const noteId = (await fulfilRequest({ ctx: as('warehouse'), input: { requestId: request.id } })).issueNotes[0]!;
    const { ok, errors } = await settle(
      Array.from({ length: 5 }, () => takeInCharge({ ctx: as('nurse'), input: { issueNoteId: noteId } })),
    );
    expect(ok).toHaveLength(1);
    expect(codes(errors)).toEqual(Array(4).fill('conflict invalid_transition'));
    const [note] = await t.db.select().from(issueNotes).where(eq(issueNotes.id, noteId));
    const moved = await t.db.select().from(movements).where(eq(movements.documentId, note!.number));
    expect(moved.filter((m) => m.kind === 'transfer').reduce((s, m) => s + m.quantity, 0)).toBe(5);
    expect(await ledgerMismatches(t.db)).toEqual([]);
  });

  it('a reversal racing the ward’s take-in-charge: exactly one of them happens', async () => {
    const request = await approvedRequest(h.syringe.id, 3);
    const issueNoteId = (await fulfilRequest({ ctx: as('warehouse'), input: { requestId: request.id } }))
      .issueNotes[0]!;
    const { ok, errors } = await settle<unknown>([
      takeInCharge({ ctx: as('nurse'), input: { issueNoteId } }),
      reverseIssueNote({ ctx: as('warehouse'), input: { issueNoteId, reason: 'errore' } }),
    ]);
    expect(ok).toHaveLength(1);
    expect(codes(errors)).toEqual(['conflict invalid_transition']);
    const [note] = await t.db.select().from(issueNotes).where(eq(issueNotes.id, issueNoteId));
    const line = (await getRequest({ ctx: as('admin'), id: request.id })).lines[0]!;
    if (note!.status === 'reversed') expect(line).toMatchObject({ status: 'approved', quantityIssued: 0 });
    else expect(line).toMatchObject({ status: 'issued', quantityIssued: 3 });
    expect(await ledgerMismatches(t.db)).toEqual([]);
  });

  it('two evaluators of one line, two confirmations of one picking list: one wins, the other is a conflict', async () => {
    const request = await emitRequest({
      ctx: as('nurse'),
      input: { destinationId: h.cardio.id, lines: [{ itemId: h.drug.id, quantity: 2 }] },
    });
    const evaluations = await settle(
      ['primo', 'secondo'].map((reason) =>
        evaluateLines({
          ctx: as('pharmacist'),
          input: { decisions: [{ lineId: request.lines[0]!.id, decision: 'approve', reason }] },
        }),
      ),
    );
    expect(evaluations.ok).toHaveLength(1);
    expect(codes(evaluations.errors)).toEqual(['conflict invalid_transition']);
    const listId = (await fulfilRequest({ ctx: as('pharmacist'), input: { requestId: request.id } })).pickingLists[0]!;
    const confirmations = await settle(
      Array.from({ length: 3 }, () => confirmPickingList({ ctx: as('pharmacist'), input: { pickingListId: listId } })),
    );
    expect(confirmations.ok).toHaveLength(1);
    expect(codes(confirmations.errors)).toEqual(Array(2).fill('conflict invalid_transition'));
    expect(await issueNotesOf(t.db, request.id)).toHaveLength(1);
    expect((await getRequest({ ctx: as('admin'), id: request.id })).lines[0]).toMatchObject({
      status: 'issued',
      quantityIssued: 2,
    });
  });

  it('leaves every balance equal to its ledger and none negative', async () => {
    expect(await ledgerMismatches(t.db)).toEqual([]);
    expect(await negativeBalances(t.db)).toEqual([]);
  });
});
