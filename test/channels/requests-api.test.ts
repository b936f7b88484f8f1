import { count } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createItem } from '../../api/catalogue/items.ts';
import { createCategory, createSection, createSupplier } from '../../api/catalogue/reference-data.ts';
import { wardRequests } from '../../db/schema/index.ts';
import { drivers } from '../helpers/database.ts';
import { ledgerSnapshot, openApi, type Api, type Reply } from './api-client.ts';

/**
 * The test hospital, extended for ward requests: a pharmacy section with its FARM category and a drug,
 * and a pass-through catheter bought from a supplier whenever a ward asks for it.
 */
async function extendHospital({ h }: Api) {
  const pharmacySection = await createSection({
    ctx: h.sys,
    input: { code: 'FARMACIA', name: 'Farmacia', nameEn: 'Pharmacy', fulfilledFromId: h.pharmacy.id },
  });
  const drugs = await createCategory({
    ctx: h.sys,
    input: { code: 'FARM', name: 'Farmaci', nameEn: 'Drugs', sectionId: pharmacySection.id },
  });
  const drug = await createItem({
    ctx: h.sys,
    input: {
      code: 'FARM-PCM-1G',
      name: 'Paracetamolo 1 g flacone',
      nameEn: 'Paracetamol 1 g vial',
      categoryId: drugs.id,
      unit: 'fl',
      referencePrice: 1.2,
    },
  });
  const implanta = await createSupplier({
    ctx: h.sys,
    input: { code: 'IMPLANTA', name: 'Implanta & C. <S.p.A.>', leadTimeDays: 3 },
  });
  const picc = await createItem({
    ctx: h.sys,
    input: {
      code: 'DM-PICC-4F',
      name: 'Catetere PICC 4F',
      nameEn: 'PICC catheter 4F',
      categoryId: h.category.id,
      unit: 'pz',
      supplyMode: 'pass_through',
      supplierId: implanta.id,
      referencePrice: 182,
    },
  });
  return { pharmacySection, drugs, drug, implanta, picc };
}

const expectProblem = (reply: Reply, status: number, key: string) => {
  expect(reply.status, JSON.stringify(reply.body)).toBe(status);
  expect(reply.headers.get('content-type')).toBe('application/problem+json');
  expect(reply.body).toMatchObject({ type: `https://scorta.dev/problems/${key}`, status });
};

const fields = (reply: Reply) => (reply.body.errors as { field: string }[]).map((e) => e.field);

describe.each(drivers)('ward requests over HTTP on %s', (driver) => {
  let api: Api;
  let x: Awaited<ReturnType<typeof extendHospital>>;
  const requestCount = async () => (await api.t.db.select({ n: count() }).from(wardRequests))[0]!.n;
  /** What the emergency path leaves behind, for the tests after it. */
  const path = {
    requestId: '',
    notes: {} as Record<'gloves' | 'drug' | 'picc', { id: string; number: string }>,
    orderId: '',
    orderNumber: '',
  };

  beforeAll(async () => {
    api = await openApi(driver);
    x = await extendHospital(api);
    const { call, h } = api;
    const stores = await call('POST', '/v1/movements/receipts', {
      as: 'warehouse',
      body: {
        locationId: h.warehouse.id,
        documentType: 'DDT',
        documentId: 'DDT-100',
        lines: [
          { itemId: h.gloves.id, lotCode: 'G-2028', expiry: '2028-01-31', quantity: 100, unitPrice: 0.05 },
          { itemId: h.syringe.id, lotCode: 'S-2028', expiry: '2028-06-30', quantity: 50 },
        ],
      },
    });
    const pharmacy = await call('POST', '/v1/movements/receipts', {
      as: 'pharmacist',
      body: {
        locationId: h.pharmacy.id,
        lines: [
          { itemId: x.drug.id, lotCode: 'P-EARLY', expiry: '2027-01-31', quantity: 6, unitPrice: 1.2 },
          { itemId: x.drug.id, lotCode: 'P-LATE', expiry: '2028-05-31', quantity: 30, unitPrice: 1.1 },
        ],
      },
    });
    expect([stores.status, pharmacy.status]).toEqual([201, 201]);
  });
  afterAll(() => api.close());

  it('drives an emergency through the warehouse, the pharmacy and a supplier to the ward', async () => {
    const { call, h } = api;
    const routine = await call('POST', '/v1/requests', {
      as: 'nurse',
      body: { destinationId: h.cardio.id, lines: [{ itemId: h.syringe.id, quantity: 10 }] },
    });
    expect(routine.status).toBe(201);

    // 1. The nurse emits an emergency: a stock line, a pharmacy line and a pass-through line, each routed on save.
    const emitted = await call('POST', '/v1/requests', {
      as: 'nurse',
      body: {
        destinationId: h.cardio.id,
        urgency: 'emergency',
        note: 'Paziente instabile',
        lines: [
          { itemId: h.gloves.id, quantity: 20 },
          { itemId: x.drug.id, quantity: 10 },
          { itemId: x.picc.id, quantity: 2 },
        ],
      },
    });
    expect(emitted.status).toBe(201);
    const request = emitted.body;
    path.requestId = request.id;
    expect(request).toMatchObject({
      number: 'RIC-2026-000002',
      urgency: 'emergency',
      status: 'submitted',
      destinationId: h.cardioStore.id,
      channel: 'http',
    });
    expect(request.lines.map((l: any) => [l.item.code, l.section.code, l.status, l.outstanding])).toEqual([
      ['DM-GUA-M', 'MAGAZZINO', 'routed', 20],
      ['FARM-PCM-1G', 'FARMACIA', 'routed', 10],
      ['DM-PICC-4F', 'MAGAZZINO', 'routed', 2],
    ]);
    const line = (code: string) => request.lines.find((l: any) => l.item.code === code).id as string;

    // 2. The warehouse's queue shows the emergency first, although the routine request came before it.
    const queue = await call('GET', '/v1/queue', { as: 'warehouse' });
    expect(queue.status).toBe(200);
    expect(queue.body.data.map((l: any) => [l.request.number, l.item.code])).toEqual([
      ['RIC-2026-000002', 'DM-GUA-M'],
      ['RIC-2026-000002', 'DM-PICC-4F'],
      ['RIC-2026-000001', 'DM-SIR-10'],
    ]);
    expect(queue.body.data[0]).toMatchObject({
      request: { urgency: 'emergency' },
      destination: { code: 'CARD-MR' },
      outstanding: 20,
    });
    expect((await call('GET', '/v1/queue', { as: 'pharmacist' })).body.data.map((l: any) => l.item.code)).toEqual([
      'FARM-PCM-1G',
    ]);

    // 3. The warehouse fulfils before evaluation (emergency): an issue note for the gloves, a purchase order for the
    // catheter.
    const byWarehouse = await call('POST', `/v1/requests/${request.id}/fulfil`, { as: 'warehouse' });
    expect(byWarehouse.status).toBe(201);
    expect(byWarehouse.body).toMatchObject({
      issueNotes: [expect.any(String)],
      purchaseOrders: [expect.any(String)],
      pickingLists: [],
      backOrdered: [],
      request: { status: 'in_progress' },
    });

    // 4. The pharmacist fulfils the drug line: a picking list proposal, FEFO, confirmed as actually picked.
    const byPharmacy = await call('POST', `/v1/requests/${request.id}/fulfil`, { as: 'pharmacist', body: {} });
    expect(byPharmacy.status).toBe(201);
    expect(byPharmacy.body).toMatchObject({ issueNotes: [], purchaseOrders: [], pickingLists: [expect.any(String)] });
    const listId = byPharmacy.body.pickingLists[0];
    const proposal = await call('GET', `/v1/picking-lists/${listId}`, { as: 'pharmacist' });
    expect(proposal.status).toBe(200);
    expect(proposal.body).toMatchObject({
      number: 'PR-2026-000001',
      status: 'proposed',
      request: { number: 'RIC-2026-000002', urgency: 'emergency' },
      to: { code: 'CARD-MR' },
    });
    expect(proposal.body.lines.map((l: any) => [l.lot.lotCode, l.lot.expiry, l.quantity])).toEqual([
      ['P-EARLY', '2027-01-31', 6],
      ['P-LATE', '2028-05-31', 4],
    ]);
    expect((await call('GET', `/v1/picking-lists/${listId}`, { as: 'warehouse' })).status).toBe(403);
    const late = proposal.body.lines[1].lot.id;
    const confirmed = await call('POST', `/v1/picking-lists/${listId}/confirm`, {
      as: 'pharmacist',
      body: { lines: [{ requestLineId: line('FARM-PCM-1G'), lotId: late, quantity: 10 }] },
    });
    expect(confirmed.status).toBe(201);
    expect(confirmed.body.request.lines[1]).toMatchObject({ status: 'issued', quantityIssued: 10 });
    expect((await call('GET', `/v1/picking-lists/${listId}`, { as: 'pharmacist' })).body).toMatchObject({
      status: 'confirmed',
      issueNoteId: confirmed.body.issueNoteId,
    });

    // 5. The purchase order goes PL → FP → RR → OP, the goods arrive and leave at once for the ward.
    const orderId = byWarehouse.body.purchaseOrders[0];
    const order = await call('GET', `/v1/purchase-orders/${orderId}`, { as: 'warehouse' });
    expect(order.status).toBe(200);
    expect(order.body).toMatchObject({
      number: 'OA-2026-000001',
      status: 'PL',
      supplier: { code: 'IMPLANTA' },
      deliverTo: { code: 'MAG' },
    });
    expect(order.body.lines).toEqual([
      expect.objectContaining({
        quantity: 2,
        quantityReceived: 0,
        requestLineId: line('DM-PICC-4F'),
        unitPrice: '182.0000',
        item: expect.objectContaining({ code: 'DM-PICC-4F' }),
      }),
    ]);
    for (const [event, status] of [
      ['firm', 'FP'],
      ['ready', 'RR'],
      ['release', 'OP'],
    ] as const) {
      const moved = await call('POST', `/v1/purchase-orders/${orderId}/transitions`, {
        as: 'warehouse',
        body: { event },
      });
      expect([moved.status, moved.body.status]).toEqual([200, status]);
    }
    expectProblem(
      await call('POST', `/v1/purchase-orders/${orderId}/transitions`, { as: 'warehouse', body: { event: 'firm' } }),
      409,
      'invalid_transition',
    );
    const received = await call('POST', `/v1/purchase-orders/${orderId}/receipts`, {
      as: 'warehouse',
      body: {
        documentId: 'DDT-IMP-77',
        lines: [
          { purchaseOrderLineId: order.body.lines[0].id, lotCode: 'PICC-2611', expiry: '2029-10-31', quantity: 2 },
        ],
      },
    });
    expect(received.status).toBe(201);
    expect(received.body).toMatchObject({ issueNotes: [expect.any(String)], purchaseOrder: { status: 'CL' } });
    expect(received.body.receipt).toEqual([
      expect.objectContaining({ kind: 'receipt', quantity: 2, toLocationId: h.warehouse.id, documentId: 'DDT-IMP-77' }),
    ]);
    path.orderId = orderId;
    path.orderNumber = order.body.number;

    // 6. The evaluation is recorded afterwards, each section for its own lines; the lines stay issued.
    const warehouseEval = await call('POST', '/v1/requests/evaluations', {
      as: 'warehouse',
      body: {
        decisions: [
          { lineId: line('DM-GUA-M'), decision: 'approve' },
          { lineId: line('DM-PICC-4F'), decision: 'approve' },
        ],
      },
    });
    expect(warehouseEval.status).toBe(201);
    const pharmacyEval = await call('POST', '/v1/requests/evaluations', {
      as: 'pharmacist',
      body: { decisions: [{ lineId: line('FARM-PCM-1G'), decision: 'approve', reason: 'Terapia in corso' }] },
    });
    expect(pharmacyEval.status).toBe(201);
    expect(
      pharmacyEval.body.requests[0].lines.map((l: any) => [l.status, l.decision, l.fulfilledBeforeEvaluation]),
    ).toEqual([
      ['issued', 'approved', true],
      ['issued', 'approved', true],
      ['issued', 'approved', true],
    ]);

    // 7. The nurse reads the three notes and takes them in charge.
    const noteIds = {
      gloves: byWarehouse.body.issueNotes[0],
      drug: confirmed.body.issueNoteId,
      picc: received.body.issueNotes[0],
    };
    for (const [key, id] of Object.entries(noteIds) as [keyof typeof noteIds, string][]) {
      const note = await call('GET', `/v1/issue-notes/${id}`, { as: 'nurse' });
      expect(note.status).toBe(200);
      expect(note.body).toMatchObject({ status: 'issued', to: { code: 'CARD-MR' }, requestId: request.id });
      const taken = await call('POST', `/v1/issue-notes/${id}/take-in-charge`, { as: 'nurse' });
      expect(taken.status).toBe(201);
      expect(taken.body).toMatchObject({ status: 'taken_in_charge', takenAt: expect.any(String) });
      path.notes[key] = { id, number: note.body.number };
    }
    expect(Object.values(path.notes).map((n) => n.number)).toEqual([
      'BS-2026-000001',
      'BS-2026-000002',
      'BS-2026-000003',
    ]);
    // Each note is readable where it is received and where it was issued from, not elsewhere.
    const asWarehouse = await Promise.all(
      Object.values(path.notes).map((n) => call('GET', `/v1/issue-notes/${n.id}`, { as: 'warehouse' })),
    );
    expect(asWarehouse.map((n) => n.status)).toEqual([200, 403, 200]);
    const asPharmacist = await call('GET', `/v1/issue-notes/${path.notes.drug.id}`, { as: 'pharmacist' });
    expect(
      [asWarehouse[0]!.body, asPharmacist.body, asWarehouse[2]!.body].map((n) => [
        n.from.code,
        n.lines.map((l: any) => [l.item.code, l.lot.lotCode, l.lot.expiry, l.quantity]),
      ]),
    ).toEqual([
      ['MAG', [['DM-GUA-M', 'G-2028', '2028-01-31', 20]]],
      ['FARM', [['FARM-PCM-1G', 'P-LATE', '2028-05-31', 10]]],
      ['MAG', [['DM-PICC-4F', 'PICC-2611', '2029-10-31', 2]]],
    ]);

    const done = await call('GET', `/v1/requests/${request.id}`, { as: 'nurse' });
    expect(done.body).toMatchObject({ status: 'completed' });
    expect(done.body.lines.map((l: any) => [l.status, l.quantityIssued, l.outstanding])).toEqual([
      ['issued', 20, 0],
      ['issued', 10, 0],
      ['issued', 2, 0],
    ]);
  });

  it('leaves the movements of every note in the ledger and the stock where it belongs', async () => {
    const { call, h } = api;
    const moves = await call('GET', `/v1/movements?documentId=${path.notes.gloves.number}`, { as: 'admin' });
    expect(moves.status).toBe(200);
    expect(
      moves.body.data.map((m: any) => [m.kind, m.quantity, m.documentType, m.toLocationId === h.cardioStore.id]),
    ).toEqual([
      ['transfer', 20, 'issue_note', true],
      ['issue', 20, 'issue_note', false],
    ]);
    expect(moves.body.data[1].fromLocationId).toBe(h.warehouse.id);
    const drugMoves = await call('GET', `/v1/movements?documentId=${path.notes.drug.number}`, { as: 'admin' });
    expect(drugMoves.body.data.map((m: any) => [m.kind, m.fromLocationId === h.pharmacy.id])).toEqual([
      ['transfer', false],
      ['issue', true],
    ]);

    const ward = await call('GET', `/v1/stock?locationId=${h.cardio.id}`, { as: 'nurse' });
    expect(ward.status).toBe(200);
    expect(Object.fromEntries(ward.body.totals.map((t: any) => [t.itemCode, t.onHand]))).toEqual({
      'DM-GUA-M': 20,
      'DM-PICC-4F': 2,
      'FARM-PCM-1G': 10,
    });
    expect(ward.body.data.filter((r: any) => r.itemCode === 'FARM-PCM-1G').map((r: any) => r.lotCode)).toEqual([
      'P-LATE',
    ]);
    const warehouse = await call('GET', `/v1/stock?locationId=${h.warehouse.id}`, { as: 'warehouse' });
    const onHand = Object.fromEntries(warehouse.body.totals.map((t: any) => [t.itemCode, t.onHand]));
    expect([onHand['DM-GUA-M'], onHand['DM-PICC-4F'] ?? 0]).toEqual([80, 0]);
    const pharmacy = await call('GET', `/v1/stock?locationId=${h.pharmacy.id}`, { as: 'pharmacist' });
    expect(pharmacy.body.data.map((r: any) => [r.lotCode, r.onHand])).toEqual([
      ['P-EARLY', 6],
      ['P-LATE', 20],
    ]);
  });

  it('refuses to reverse a note the ward has taken in charge, and writes nothing', async () => {
    const before = await ledgerSnapshot(api.t.db);
    const refused = await api.call('POST', `/v1/issue-notes/${path.notes.gloves.id}/reverse`, {
      as: 'warehouse',
      body: { reason: 'Errore di prelievo' },
    });
    expectProblem(refused, 409, 'invalid_transition');
    expect(await ledgerSnapshot(api.t.db)).toEqual(before);
    expectProblem(
      await api.call('POST', `/v1/issue-notes/${path.notes.gloves.id}/reverse`, { as: 'warehouse', body: {} }),
      400,
      'validation',
    );
  });

  it("forbids another ward's nurse to read or take a note, or to evaluate, and writes nothing", async () => {
    const { call } = api;
    const before = await ledgerSnapshot(api.t.db);
    const request = await call('POST', '/v1/requests', {
      as: 'nurse',
      body: { destinationId: api.h.cardio.id, urgency: 'emergency', lines: [{ itemId: api.h.gloves.id, quantity: 5 }] },
    });
    const fulfilled = await call('POST', `/v1/requests/${request.body.id}/fulfil`, { as: 'warehouse' });
    const noteId = fulfilled.body.issueNotes[0];
    const afterIssue = await ledgerSnapshot(api.t.db);
    expect(afterIssue.movements).toBe(before.movements + 1);

    expectProblem(await call('GET', `/v1/issue-notes/${noteId}`, { as: 'otherNurse' }), 403, 'forbidden');
    expectProblem(await call('GET', `/v1/issue-notes/${noteId}/print`, { as: 'otherNurse' }), 403, 'forbidden');
    expectProblem(
      await call('POST', `/v1/issue-notes/${noteId}/take-in-charge`, { as: 'otherNurse' }),
      403,
      'forbidden',
    );
    const evaluation = await call('POST', '/v1/requests/evaluations', {
      as: 'otherNurse',
      body: { decisions: [{ lineId: request.body.lines[0].id, decision: 'reject', reason: 'Non necessario' }] },
    });
    expectProblem(evaluation, 403, 'forbidden');
    expect(evaluation.body.action).toBe('requests.process');
    expectProblem(await call('GET', `/v1/requests/${request.body.id}`, { as: 'otherNurse' }), 403, 'forbidden');
    expectProblem(await call('GET', `/v1/purchase-orders/${path.orderId}`, { as: 'nurse' }), 403, 'forbidden');
    expectProblem(await call('POST', '/v1/purchase-orders/overdue', { as: 'nurse' }), 403, 'forbidden');
    expect(await ledgerSnapshot(api.t.db)).toEqual(afterIssue);
    const unchanged = await call('GET', `/v1/requests/${request.body.id}`, { as: 'nurse' });
    expect(unchanged.body.lines[0]).toMatchObject({ status: 'issued', decision: null });

    // Before the ward takes it in charge, the warehouse may still reverse it: the line is outstanding again.
    const reversed = await call('POST', `/v1/issue-notes/${noteId}/reverse`, {
      as: 'warehouse',
      body: { reason: 'Errore di prelievo' },
    });
    expect(reversed.status).toBe(201);
    expect(reversed.body).toMatchObject({ status: 'reversed', reason: 'Errore di prelievo' });
    expect((await call('GET', `/v1/requests/${request.body.id}`, { as: 'nurse' })).body.lines[0]).toMatchObject({
      status: 'routed',
      quantityIssued: 0,
      outstanding: 5,
    });
    expect((await ledgerSnapshot(api.t.db)).balances).toEqual(before.balances);
  });

  it('names the failing field of a bad emission and writes nothing', async () => {
    const { call, h } = api;
    const before = await requestCount();
    const zero = await call('POST', '/v1/requests', {
      as: 'nurse',
      body: { destinationId: h.cardio.id, lines: [{ itemId: h.gloves.id, quantity: 0 }] },
    });
    expectProblem(zero, 400, 'validation');
    expect(fields(zero)).toEqual(['lines.0.quantity']);
    const twice = await call('POST', '/v1/requests', {
      as: 'nurse',
      body: {
        destinationId: h.cardio.id,
        lines: [
          { itemId: h.gloves.id, quantity: 1 },
          { itemId: h.gloves.id, quantity: 2 },
        ],
      },
    });
    expectProblem(twice, 400, 'validation');
    expect(twice.body.errors).toEqual([{ field: 'lines', message: 'each item once per request' }]);
    const urgency = await call('POST', '/v1/requests', {
      as: 'nurse',
      body: { destinationId: h.cardio.id, urgency: 'asap', lines: [{ itemId: h.gloves.id, quantity: 1 }] },
    });
    expect(fields(urgency)).toEqual(['urgency']);
    expectProblem(
      await call('POST', '/v1/requests', {
        as: 'otherNurse',
        body: { destinationId: h.cardio.id, lines: [{ itemId: h.gloves.id, quantity: 1 }] },
      }),
      403,
      'forbidden',
    );
    expect(fields(await call('POST', `/v1/requests/${path.requestId}/cancel`, { as: 'nurse', body: {} }))).toEqual([
      'reason',
    ]);
    expect(await requestCount()).toBe(before);
  });

  it('replays an emission retried with the same Idempotency-Key, and refuses the key for another body', async () => {
    const { call, h } = api;
    const body = { destinationId: h.cardio.id, urgency: 'urgent', lines: [{ itemId: h.syringe.id, quantity: 30 }] };
    const first = await call('POST', '/v1/requests', {
      as: 'nurse',
      body,
      headers: { 'idempotency-key': 'card-2026-11-23-1' },
    });
    expect(first.status).toBe(201);
    const before = await requestCount();
    const retry = await call('POST', '/v1/requests', {
      as: 'nurse',
      body,
      headers: { 'idempotency-key': 'card-2026-11-23-1' },
    });
    expect(retry.status).toBe(200);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body).toEqual(first.body);
    expectProblem(
      await call('POST', '/v1/requests', {
        as: 'nurse',
        body: { ...body, lines: [{ itemId: h.syringe.id, quantity: 31 }] },
        headers: { 'idempotency-key': 'card-2026-11-23-1' },
      }),
      409,
      'idempotency_mismatch',
    );
    expect(await requestCount()).toBe(before);
  });

  it('prints issue notes and purchase orders as self-contained pages, in Italian or English', async () => {
    const { call } = api;
    const italian = await call('GET', `/v1/issue-notes/${path.notes.drug.id}/print`, { as: 'nurse' });
    expect(italian.status).toBe(200);
    expect(italian.headers.get('content-type')).toMatch(/^text\/html/);
    expect(italian.headers.get('content-security-policy')).toBe("default-src 'none'; style-src 'unsafe-inline'");
    expect(italian.headers.get('content-language')).toBe('it');
    const html: string = italian.body;
    expect(html).toMatch(/^<!doctype html>\n<html lang="it">/);
    for (const text of [
      'Ospedale TEST',
      'BS-2026-000002',
      'P-LATE',
      '31/05/2028',
      'FARM-PCM-1G',
      'Paracetamolo 1 g flacone',
      'Farmacia',
      'Magazzino Cardiologia',
      'Presa in carico',
      '23/11/2026',
      '@page { size: A4',
      '@media print',
    ])
      expect(html).toContain(text);
    expect(html.indexOf('Consegnato da')).toBeLessThan(html.indexOf('Delivered by'));
    expect(html.indexOf('Ricevuto da')).toBeLessThan(html.indexOf('Received by'));
    expect(html).not.toMatch(/<script|<link|<img|src=|@import|url\(/i);

    const en = await call('GET', `/v1/issue-notes/${path.notes.drug.id}/print`, {
      as: 'nurse',
      headers: { 'accept-language': 'en-GB,en;q=0.9,it;q=0.5' },
    });
    expect(en.headers.get('content-language')).toBe('en');
    expect(en.body).toMatch(/<html lang="en">/);
    expect(en.body).toContain('<title>Issue note BS-2026-000002</title>');
    expect(en.body).toContain('Paracetamol 1 g vial');
    expect(en.body.indexOf('Delivered by')).toBeLessThan(en.body.indexOf('Consegnato da'));

    const order = await call('GET', `/v1/purchase-orders/${path.orderId}/print`, { as: 'warehouse' });
    expect(order.status).toBe(200);
    expect(order.headers.get('content-security-policy')).toBe("default-src 'none'; style-src 'unsafe-inline'");
    for (const text of [
      'OA-2026-000001',
      'DM-PICC-4F',
      'Catetere PICC 4F',
      '182,00 €',
      '364,00 €',
      'Totale ordine',
      'Chiuso (CL)',
      'Implanta &amp; C. &lt;S.p.A.&gt;',
      'Magazzino Generale',
    ])
      expect(order.body).toContain(text.replace(/ €/g, '\u00a0€'));
    expect(order.body).not.toContain('<S.p.A.>');
    const orderEn = await call('GET', `/v1/purchase-orders/${path.orderId}/print`, {
      as: 'warehouse',
      headers: { 'accept-language': 'en' },
    });
    expect(orderEn.body).toContain('<title>Purchase order OA-2026-000001</title>');
    expect(orderEn.body).toContain('364,00\u00a0€');
    expectProblem(await call('GET', `/v1/purchase-orders/${path.orderId}/print`, { as: 'nurse' }), 403, 'forbidden');
  });

  it('shows a ward what it may request, its requests and what is overdue', async () => {
    const { call, h } = api;
    const comma = await call(
      'GET',
      `/v1/requests/compose?destinationId=${h.cardio.id}&itemIds=${h.gloves.id},${x.picc.id}`,
      { as: 'nurse' },
    );
    expect(comma.status).toBe(200);
    expect(comma.body.lines.map((l: any) => [l.item.code, l.supply.kind, l.onHand])).toEqual([
      ['DM-GUA-M', 'warehouse', 20],
      ['DM-PICC-4F', 'supplier', 2],
    ]);
    expect(comma.body.lines[0].supply).toMatchObject({ location: { code: 'MAG' }, available: 80 });
    const repeated = await call(
      'GET',
      `/v1/requests/compose?destinationId=${h.cardio.id}&itemIds=${h.gloves.id}&itemIds=${x.picc.id}&historyDays=28`,
      { as: 'nurse' },
    );
    expect(repeated.body.lines.map((l: any) => l.item.code)).toEqual(['DM-GUA-M', 'DM-PICC-4F']);
    expect(
      fields(
        await call('GET', `/v1/requests/compose?destinationId=${h.cardio.id}&itemIds=${h.gloves.id},nope`, {
          as: 'nurse',
        }),
      ),
    ).toEqual(['itemIds.1']);
    expect(
      fields(await call('GET', `/v1/requests/compose?destinationId=${h.cardio.id}&historyDays=3`, { as: 'nurse' })),
    ).toEqual(['historyDays']);
    expectProblem(
      await call('GET', `/v1/requests/compose?destinationId=${h.cardio.id}`, { as: 'otherNurse' }),
      403,
      'forbidden',
    );

    const late = await call('POST', '/v1/requests', {
      as: 'nurse',
      body: {
        destinationId: h.cardio.id,
        neededBy: '2026-11-22T18:00:00+01:00',
        lines: [{ itemId: h.gloves.id, quantity: 10 }],
      },
    });
    const overdue = await call('GET', '/v1/requests/overdue', { as: 'nurse' });
    expect(overdue.status).toBe(200);
    expect(overdue.body).toEqual({
      requests: [
        expect.objectContaining({
          number: late.body.number,
          destination: 'CARD-MR',
          neededBy: '2026-11-22T17:00:00.000Z',
        }),
      ],
      purchaseOrders: [],
    });
    expect((await call('GET', '/v1/requests/overdue', { as: 'otherNurse' })).body.requests).toEqual([]);

    const mine = await call('GET', `/v1/requests?destinationId=${h.cardio.id}&status=completed`, { as: 'nurse' });
    expect(mine.status).toBe(200);
    expect(mine.body.data.map((r: any) => r.number)).toEqual(['RIC-2026-000002']);
    const firstPage = await call('GET', '/v1/requests?limit=2', { as: 'nurse' });
    expect(firstPage.body.data).toHaveLength(2);
    const next = await call('GET', `/v1/requests?limit=2&cursor=${firstPage.body.nextCursor}`, { as: 'nurse' });
    expect(next.body.data[0].number).not.toBe(firstPage.body.data[1].number);
    expect((await call('GET', '/v1/requests', { as: 'otherNurse' })).body.data).toEqual([]);

    const cancelled = await call('POST', `/v1/requests/${late.body.id}/cancel`, {
      as: 'nurse',
      body: { reason: 'Non più necessario' },
    });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({
      status: 'cancelled',
      lines: [{ status: 'cancelled', decisionReason: 'Non più necessario' }],
    });
    expect((await call('POST', '/v1/purchase-orders/overdue', { as: 'warehouse' })).body).toEqual({ overdue: 0 });
  });

  it('evaluates a routine pharmacy line, proposes a picking list and hands the line back when it is cancelled', async () => {
    const { call, h } = api;
    const request = await call('POST', '/v1/requests', {
      as: 'nurse',
      body: { destinationId: h.cardio.id, lines: [{ itemId: x.drug.id, quantity: 8 }] },
    });
    const lineId = request.body.lines[0].id;
    expectProblem(
      await call('POST', `/v1/requests/${request.body.id}/fulfil`, { as: 'pharmacist' }),
      409,
      'nothing_to_fulfil',
    );
    const reduced = await call('POST', '/v1/requests/evaluations', {
      as: 'pharmacist',
      body: { decisions: [{ lineId, decision: 'reduce', quantity: 5, reason: 'Scorta di reparto sufficiente' }] },
    });
    expect(reduced.body.requests[0].lines[0]).toMatchObject({
      status: 'approved',
      quantityApproved: 5,
      decision: 'reduced',
      outstanding: 5,
    });
    const fulfilled = await call('POST', `/v1/requests/${request.body.id}/fulfil`, {
      as: 'pharmacist',
      body: { lineIds: [lineId] },
      headers: { 'idempotency-key': 'pr-1' },
    });
    expect(fulfilled.status).toBe(201);
    const retried = await call('POST', `/v1/requests/${request.body.id}/fulfil`, {
      as: 'pharmacist',
      body: { lineIds: [lineId] },
      headers: { 'idempotency-key': 'pr-1' },
    });
    expect([retried.status, retried.body.pickingLists]).toEqual([200, fulfilled.body.pickingLists]);
    const listId = fulfilled.body.pickingLists[0];
    expect(
      (await call('GET', `/v1/picking-lists/${listId}`, { as: 'pharmacist' })).body.lines.map((l: any) => [
        l.lot.lotCode,
        l.quantity,
      ]),
    ).toEqual([['P-EARLY', 5]]);
    const cancelled = await call('POST', `/v1/picking-lists/${listId}/cancel`, {
      as: 'pharmacist',
      body: { reason: 'Lotto non trovato' },
    });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.request.lines[0]).toMatchObject({ status: 'approved', outstanding: 5 });
    expectProblem(
      await call('POST', `/v1/picking-lists/${listId}/confirm`, { as: 'pharmacist' }),
      409,
      'invalid_transition',
    );
  });

  it('documents every new route with its core schema', async () => {
    const doc = JSON.parse(await (await api.app.request('/openapi.json')).text());
    const routes = [
      ['post', '/v1/requests'],
      ['get', '/v1/requests'],
      ['get', '/v1/requests/{id}'],
      ['post', '/v1/requests/{id}/cancel'],
      ['get', '/v1/requests/compose'],
      ['get', '/v1/requests/overdue'],
      ['get', '/v1/queue'],
      ['post', '/v1/requests/evaluations'],
      ['post', '/v1/requests/{id}/fulfil'],
      ['get', '/v1/picking-lists/{id}'],
      ['post', '/v1/picking-lists/{id}/confirm'],
      ['post', '/v1/picking-lists/{id}/cancel'],
      ['get', '/v1/issue-notes/{id}'],
      ['post', '/v1/issue-notes/{id}/take-in-charge'],
      ['post', '/v1/issue-notes/{id}/reverse'],
      ['get', '/v1/issue-notes/{id}/print'],
      ['get', '/v1/purchase-orders/{id}'],
      ['post', '/v1/purchase-orders/{id}/transitions'],
      ['post', '/v1/purchase-orders/{id}/receipts'],
      ['post', '/v1/purchase-orders/overdue'],
      ['get', '/v1/purchase-orders/{id}/print'],
    ] as const;
    for (const [method, route] of routes) expect(doc.paths[route]?.[method], `${method} ${route}`).toBeDefined();
    const emit = doc.paths['/v1/requests'].post;
    expect(emit.requestBody.content['application/json'].schema.properties.lines).toMatchObject({
      minItems: 1,
      maxItems: 200,
    });
    expect(Object.keys(emit.responses)).toEqual(expect.arrayContaining(['200', '201', '400', '403', '409']));
    expect(doc.paths['/v1/requests/compose'].get.parameters).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'itemIds', schema: expect.objectContaining({ type: 'array' }) }),
        expect.objectContaining({ name: 'historyDays', schema: expect.objectContaining({ minimum: 7 }) }),
      ]),
    );
    expect(doc.paths['/v1/issue-notes/{id}/print'].get.responses['200'].content).toHaveProperty(['text/html']);
    expect(Object.keys(doc.components.schemas)).toEqual(
      expect.arrayContaining([
        'Request',
        'RequestLine',
        'QueueLine',
        'Fulfilment',
        'PickingList',
        'IssueNote',
        'PurchaseOrder',
        'PurchaseOrderDetail',
      ]),
    );
  });
});
