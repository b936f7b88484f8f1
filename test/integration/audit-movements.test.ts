import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emitRequest } from '../../api/requests/emit-request.ts';
import { fulfilRequest } from '../../api/requests/fulfil-request.ts';
import { reverseIssueNote, takeInCharge } from '../../api/requests/issue-notes.ts';
import { issueStock } from '../../api/stock/issue-stock.ts';
import { auditLog, movements } from '../../db/schema/index.ts';
import { drivers, openTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { contextFor } from '../helpers/fixture.ts';
import { buildRequestsHospital, type RequestsHospital } from '../helpers/requests.ts';

/** Every audit row of a write that books movements names each of them, not a first id and a count. */
describe.each(drivers)('audit rows name every movement on %s', (driver) => {
  let t: TestDatabase;
  let h: RequestsHospital;
  beforeAll(async () => {
    t = await openTestDatabase(driver);
    h = await buildRequestsHospital(t.db, 'AUD');
  });
  afterAll(() => t.close());

  const as = (who: keyof RequestsHospital['actors']) => contextFor(t.db, h.actors[who]);
  const auditOf = async (action: string, entityId: string) => {
    const rows = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, action), eq(auditLog.entityId, entityId)));
    expect(rows).toHaveLength(1);
    return rows[0]!.detail as { movementIds?: number[] };
  };
  /** Ids of the movements of issue notes of one kind, oldest first. */
  const noteMovements = async (kind: 'issue' | 'transfer' | 'reversal') =>
    (
      await t.db
        .select()
        .from(movements)
        .where(and(eq(movements.documentType, 'issue_note'), eq(movements.kind, kind)))
        .orderBy(asc(movements.id))
    ).map((m) => m.id);

  it('a FEFO issue over two lots: the audit row lists both movements', async () => {
    const result = await issueStock({
      ctx: as('warehouse'),
      input: {
        fromLocationId: h.warehouse.id,
        toLocationId: h.surgery.id,
        documentId: 'AUD-FEFO',
        lines: [{ itemId: h.gloves.id, quantity: 120 }],
      },
    });
    expect(result.movements).toHaveLength(2);
    const detail = await auditOf('stock.issue', String(result.movements[0]!.id));
    expect(detail.movementIds).toEqual(result.movements.map((m) => m.id));
    expect(detail).not.toHaveProperty('count');
  });

  it('fulfilling a request, taking its issue note in charge and reversing another: each audit row lists its movements', async () => {
    const request = await emitRequest({
      ctx: as('nurse'),
      input: {
        destinationId: h.cardio.id,
        urgency: 'emergency',
        lines: [
          { itemId: h.gloves.id, quantity: 150 },
          { itemId: h.syringe.id, quantity: 5 },
        ],
      },
    });
    const fulfilled = await fulfilRequest({ ctx: as('warehouse'), input: { requestId: request.id } });
    expect(fulfilled.issueNotes).toHaveLength(1);
    const issued = await noteMovements('issue');
    expect(issued).toHaveLength(2);
    expect((await auditOf('requests.fulfil', request.id)).movementIds).toEqual(issued);

    const noteId = fulfilled.issueNotes[0]!;
    await takeInCharge({ ctx: as('nurse'), input: { issueNoteId: noteId } });
    const taken = await noteMovements('transfer');
    expect(taken).toHaveLength(2);
    expect((await auditOf('requests.take_in_charge', noteId)).movementIds).toEqual(taken);

    const second = await emitRequest({
      ctx: as('nurse'),
      input: { destinationId: h.cardio.id, urgency: 'emergency', lines: [{ itemId: h.syringe.id, quantity: 3 }] },
    });
    const again = await fulfilRequest({ ctx: as('warehouse'), input: { requestId: second.id } });
    const secondNote = again.issueNotes[0]!;
    await reverseIssueNote({ ctx: as('warehouse'), input: { issueNoteId: secondNote, reason: 'doppia richiesta' } });
    const reversals = await noteMovements('reversal');
    expect(reversals).toHaveLength(1);
    expect((await auditOf('requests.reverse_issue', secondNote)).movementIds).toEqual(reversals);
  });
});
