import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drivers } from '../helpers/database.ts';
import { createSurgeryNurse, ledgerSnapshot, openApi, type Api } from './api-client.ts';

/** Happy paths of every route family, through `app.request()` with real tokens. */
describe.each(drivers)('HTTP API on %s', (driver) => {
  let api: Api;
  beforeAll(async () => {
    api = await openApi(driver);
  });
  afterAll(() => api.close());

  const receive = (lotCode: string, quantity: number, extra: Record<string, unknown> = {}) =>
    api.call('POST', '/v1/movements/receipts', {
      as: 'warehouse',
      body: {
        locationId: api.h.warehouse.id,
        lines: [{ itemId: api.h.syringe.id, lotCode, expiry: '2028-06-30', quantity, unitPrice: 0.12 }],
        ...extra,
      },
    });

  it('receives, issues to a ward store and shows the ward its stock', async () => {
    const { h, call } = api;
    const received = await call('POST', '/v1/movements/receipts', {
      as: 'warehouse',
      body: {
        locationId: h.warehouse.id,
        documentType: 'DDT',
        documentId: 'DDT-1',
        lines: [
          { itemId: h.gloves.id, lotCode: 'G-LATE', expiry: '2028-01-31', quantity: 100, unitPrice: 0.05 },
          { itemId: h.gloves.id, lotCode: 'G-EARLY', expiry: '2027-03-31', quantity: 30, unitPrice: 0.06 },
        ],
      },
    });
    expect(received.status).toBe(201);
    expect(received.body.movements).toMatchObject([
      { kind: 'receipt', quantity: 100, toLocationId: h.warehouse.id, channel: 'http' },
      { kind: 'receipt', quantity: 30 },
    ]);

    const issued = await call('POST', '/v1/movements/issues', {
      as: 'warehouse',
      body: {
        fromLocationId: h.warehouse.id,
        toLocationId: h.cardioStore.id,
        lines: [{ itemId: h.gloves.id, quantity: 40 }],
      },
    });
    expect(issued.status).toBe(201);
    expect(issued.body.movements.map((m: { quantity: number }) => m.quantity)).toEqual([30, 10]);

    const stock = await call('GET', `/v1/stock?locationId=${h.cardio.id}`, { as: 'nurse' });
    expect(stock.status).toBe(200);
    expect(stock.body.totals).toEqual([expect.objectContaining({ itemCode: 'DM-GUA-M', onHand: 40, available: 40 })]);
    expect(stock.body.data.map((r: { lotCode: string; onHand: number }) => [r.lotCode, r.onHand])).toEqual([
      ['G-EARLY', 30],
      ['G-LATE', 10],
    ]);
    expect(stock.body.nextCursor).toBeNull();

    // 'false' must mean false: the ward itself holds nothing, its store does.
    const own = await call('GET', `/v1/stock?locationId=${h.cardio.id}&includeDescendants=false`, { as: 'nurse' });
    expect(own.status).toBe(200);
    expect(own.body.data).toEqual([]);
  });

  it('lists movements with filters and shows a lot with its history', async () => {
    const { h, call } = api;
    const issues = await call('GET', `/v1/movements?kind=issue&locationId=${h.cardioStore.id}`, { as: 'nurse' });
    expect(issues.status).toBe(200);
    expect(issues.body.data.map((m: { kind: string; quantity: number }) => [m.kind, m.quantity])).toEqual([
      ['issue', 10],
      ['issue', 30],
    ]);

    const lotId = issues.body.data[1].lotId;
    const history = await call('GET', `/v1/lots/${lotId}/history`, { as: 'pharmacist' });
    expect(history.status).toBe(200);
    expect(history.body.lot).toMatchObject({
      id: lotId,
      lotCode: 'G-EARLY',
      expiry: '2027-03-31',
      status: 'available',
      item: { code: 'DM-GUA-M' },
    });
    expect(history.body.data.map((m: { kind: string }) => m.kind)).toEqual(['receipt', 'issue']);
  });

  it('lists lots by expiry, filters them, and shows one', async () => {
    const { h, call } = api;
    await call('POST', '/v1/movements/receipts', {
      as: 'warehouse',
      body: {
        locationId: h.warehouse.id,
        lines: [{ itemId: h.syringe.id, lotCode: 'S-OLD', expiry: '2026-10-31', quantity: 5 }],
      },
    });
    const all = await call('GET', `/v1/lots?itemId=${h.gloves.id}`, { as: 'pharmacist' });
    expect(all.status).toBe(200);
    expect(all.body.data.map((l: { lotCode: string }) => l.lotCode)).toEqual(['G-EARLY', 'G-LATE']);
    // A lot past its expiry reads as expired, whatever its stored status.
    const expired = await call('GET', '/v1/lots?status=expired', { as: 'pharmacist' });
    expect(expired.body.data).toEqual([
      expect.objectContaining({
        lotCode: 'S-OLD',
        status: 'expired',
        item: expect.objectContaining({ code: 'DM-SIR-10' }),
      }),
    ]);
    const soon = await call('GET', '/v1/lots?expiringBy=2027-06-30', { as: 'pharmacist' });
    expect(soon.body.data.map((l: { lotCode: string }) => l.lotCode)).toEqual(['S-OLD', 'G-EARLY']);
    const one = await call('GET', `/v1/lots/${all.body.data[1].id}`, { as: 'nurse' });
    expect(one.body).toMatchObject({ lotCode: 'G-LATE', expiry: '2028-01-31', status: 'available' });
    expect((await call('GET', '/v1/lots/00000000-0000-4000-8000-000000000000', { as: 'nurse' })).status).toBe(404);
    expect((await call('GET', '/v1/lots', { as: 'device' })).status).toBe(403);
  });

  it('transfers to a cabinet, records consumption, returns, adjusts after a count and reverses a receipt', async () => {
    const { h, call } = api;
    const transfer = await call('POST', '/v1/movements/transfers', {
      as: 'nurse',
      body: {
        fromLocationId: h.cardioStore.id,
        toLocationId: h.cabinet.id,
        lines: [{ itemId: h.gloves.id, quantity: 20 }],
      },
    });
    expect(transfer.status).toBe(201);
    const used = await call('POST', '/v1/movements/consumptions', {
      as: 'device',
      body: { locationId: h.cabinet.id, lines: [{ itemId: h.gloves.id, quantity: 5 }] },
    });
    expect(used.status).toBe(201);
    expect(used.body.movements).toMatchObject([
      { kind: 'consumption', quantity: 5, fromLocationId: h.cabinet.id, toLocationId: null },
    ]);
    const returned = await call('POST', '/v1/movements/returns', {
      as: 'nurse',
      body: {
        fromLocationId: h.cardioStore.id,
        toLocationId: h.warehouse.id,
        reason: 'eccedenza',
        lines: [{ itemId: h.gloves.id, quantity: 2 }],
      },
    });
    expect(returned.status).toBe(201);

    const lotId = used.body.movements[0].lotId;
    const counted = await call('POST', '/v1/movements/adjustments', {
      as: 'nurse',
      body: { locationId: h.cabinet.id, lotId, countedQuantity: 3, reason: 'inventario' },
    });
    expect(counted.status).toBe(201);
    expect(counted.body).toMatchObject({
      previousQuantity: 15,
      countedQuantity: 3,
      movements: [{ kind: 'adjustment', quantity: 12, fromLocationId: h.cabinet.id }],
    });
    const cabinet = await call('GET', `/v1/stock?locationId=${h.cabinet.id}`, { as: 'nurse' });
    expect(cabinet.body.totals[0]).toMatchObject({ onHand: 3 });

    const receipt = await receive('S-REV', 7);
    const reversal = await call('POST', `/v1/movements/${receipt.body.movements[0].id}/reversal`, {
      as: 'warehouse',
      body: { reason: 'bolla errata' },
    });
    expect(reversal.status).toBe(201);
    expect(reversal.body.movements).toMatchObject([
      {
        kind: 'reversal',
        reversesId: receipt.body.movements[0].id,
        quantity: 7,
        fromLocationId: h.warehouse.id,
        toLocationId: null,
      },
    ]);
  });

  it('retries a write with the Idempotency-Key header: same movements, written once', async () => {
    const before = await ledgerSnapshot(api.t.db);
    const headers = { 'Idempotency-Key': 'receipt-ddt-77' };
    const first = await api.call('POST', '/v1/movements/receipts', {
      as: 'warehouse',
      headers,
      body: { locationId: api.h.warehouse.id, lines: [{ itemId: api.h.syringe.id, lotCode: 'S-IDEM', quantity: 9 }] },
    });
    const again = await api.call('POST', '/v1/movements/receipts', {
      as: 'warehouse',
      headers,
      body: { locationId: api.h.warehouse.id, lines: [{ itemId: api.h.syringe.id, lotCode: 'S-IDEM', quantity: 9 }] },
    });
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
    expect((await ledgerSnapshot(api.t.db)).movements).toBe(before.movements + 1);
    const stock = await api.call(
      'GET',
      `/v1/stock?locationId=${api.h.warehouse.id}&lotId=${first.body.movements[0].lotId}`,
      { as: 'warehouse' },
    );
    expect(stock.body.data[0].onHand).toBe(9);
  });

  it('accepts the idempotency key in the body too, and the header and body may repeat the same key', async () => {
    const first = await receive('S-BODY', 4, { idempotencyKey: 'body-key-1' });
    const again = await api.call('POST', '/v1/movements/receipts', {
      as: 'warehouse',
      headers: { 'Idempotency-Key': 'body-key-1' },
      body: {
        locationId: api.h.warehouse.id,
        idempotencyKey: 'body-key-1',
        lines: [{ itemId: api.h.syringe.id, lotCode: 'S-BODY', expiry: '2028-06-30', quantity: 4, unitPrice: 0.12 }],
      },
    });
    expect(first.status).toBe(201);
    expect([again.status, again.headers.get('idempotent-replayed')]).toEqual([200, 'true']);
    expect(again.body).toEqual(first.body);
  });

  it('pages through items with nextCursor', async () => {
    const first = await api.call('GET', '/v1/items?limit=1', { as: 'nurse' });
    expect(first.status).toBe(200);
    expect(first.body.data.map((i: { code: string }) => i.code)).toEqual(['DM-GUA-M']);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await api.call('GET', `/v1/items?limit=1&cursor=${encodeURIComponent(first.body.nextCursor)}`, {
      as: 'nurse',
    });
    expect(second.body.data.map((i: { code: string }) => i.code)).toEqual(['DM-SIR-10']);
    expect(second.body.nextCursor).toBeNull();
  });

  it('pages through movements newest first without repeating one', async () => {
    const all = await api.call('GET', '/v1/movements?limit=500', { as: 'admin' });
    const ids: number[] = [];
    let cursor: string | null = '';
    while (cursor !== null) {
      const page: { body: { data: { id: number }[]; nextCursor: string | null } } = await api.call(
        'GET',
        `/v1/movements?limit=3${cursor ? `&cursor=${cursor}` : ''}`,
        { as: 'admin' },
      );
      ids.push(...page.body.data.map((m) => m.id));
      cursor = page.body.nextCursor;
    }
    expect(all.body.data.length).toBeGreaterThan(3);
    expect(ids).toEqual(all.body.data.map((m: { id: number }) => m.id));
  });

  it('searches items in Italian, in English and by GTIN; reads one; creates one', async () => {
    const { h, call } = api;
    const codes = (r: { body: { data: { code: string }[] } }) => r.body.data.map((i) => i.code);
    expect(codes(await call('GET', '/v1/items?q=siringa', { as: 'nurse' }))).toEqual(['DM-SIR-10']);
    expect(codes(await call('GET', '/v1/items?q=gloves%20medium', { as: 'nurse' }))).toEqual(['DM-GUA-M']);
    expect(codes(await call('GET', '/v1/items?q=8012345000012', { as: 'nurse' }))).toEqual(['DM-GUA-M']);
    expect((await call('GET', `/v1/items/${h.gloves.id}`, { as: 'nurse' })).body).toMatchObject({
      code: 'DM-GUA-M',
      gtin: '08012345000012',
    });
    const created = await call('POST', '/v1/items', {
      as: 'pharmacist',
      body: {
        code: 'DM-GAR-10',
        name: 'Garza sterile 10x10',
        nameEn: 'Sterile gauze 10x10',
        categoryId: h.category.id,
        unit: 'pz',
      },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ code: 'DM-GAR-10', packSize: 1, supplyMode: 'stock' });
    expect(created.body).not.toHaveProperty('searchText');
    expect(codes(await call('GET', '/v1/items?q=gauze', { as: 'nurse' }))).toEqual(['DM-GAR-10']);
  });

  it('lists and creates categories, sections and suppliers', async () => {
    const { h, call } = api;
    const section = await call('POST', '/v1/sections', {
      as: 'pharmacist',
      body: { code: 'FARMACIA', name: 'Farmacia', fulfilledFromId: h.pharmacy.id },
    });
    expect(section.status).toBe(201);
    const category = await call('POST', '/v1/categories', {
      as: 'pharmacist',
      body: { code: 'FARM', name: 'Farmaci', nameEn: 'Drugs', sectionId: section.body.id },
    });
    expect(category.status).toBe(201);
    const supplier = await call('POST', '/v1/suppliers', {
      as: 'warehouse',
      body: { code: 'SUP2', name: 'Medical Spa', vatNumber: 'IT01234567890' },
    });
    expect(supplier.status).toBe(201);
    const codes = async (path: string) =>
      (await call('GET', path, { as: 'nurse' })).body.data.map((r: { code: string }) => r.code);
    expect(await codes('/v1/sections')).toEqual(['FARMACIA', 'MAGAZZINO']);
    expect(await codes('/v1/categories')).toEqual(['DM', 'FARM']);
    expect(await codes('/v1/suppliers')).toEqual(['SUP1', 'SUP2']);
  });

  it('lists locations by kind, roots and text; reads and creates one', async () => {
    const { h, call } = api;
    const codes = async (query: string) =>
      (await call('GET', `/v1/locations?${query}`, { as: 'nurse' })).body.data
        .map((l: { code: string }) => l.code)
        .sort();
    expect(await codes('kind=ward')).toEqual(['ADI', 'CARD', 'CHIR']);
    expect(await codes('roots=true')).toEqual(['ADI', 'CARD', 'CHIR', 'FARM', 'MAG']);
    expect(await codes('roots=false')).toContain('CARD-ARM1');
    expect(await codes('q=cardio')).toEqual(['CARD', 'CARD-ARM1', 'CARD-MR']);
    expect(await codes(`parentId=${h.cardio.id}`)).toEqual(['CARD-MR']);
    expect((await call('GET', `/v1/locations/${h.cabinet.id}`, { as: 'nurse' })).body).toMatchObject({
      code: 'CARD-ARM1',
      kind: 'cabinet',
      parentId: h.cardioStore.id,
    });
    const created = await call('POST', '/v1/locations', {
      as: 'admin',
      body: { kind: 'cabinet', code: 'CHIR-ARM1', name: 'Armadio Chirurgia', parentId: h.surgery.id },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ code: 'CHIR-ARM1', parentId: h.surgery.id, aliases: [] });
  });

  it('lists and reads organisations; creating one is left to the platform (CLI)', async () => {
    const { h, call } = api;
    const list = await call('GET', '/v1/organisations', { as: 'nurse' });
    expect(list.body).toEqual({
      data: [expect.objectContaining({ code: 'TEST', kind: 'hospital_trust' })],
      nextCursor: null,
    });
    expect((await call('GET', `/v1/organisations/${h.org.id}`, { as: 'nurse' })).body).toMatchObject({
      id: h.org.id,
      name: 'Ospedale TEST',
    });
    const created = await call('POST', '/v1/organisations', {
      as: 'admin',
      body: { code: 'ASL2', name: 'ASL 2', kind: 'local_health_unit' },
    });
    expect(created.status).toBe(403);
    expect(created.body).toMatchObject({
      type: 'https://scorta.dev/problems/forbidden_platform',
      action: 'organisations.write',
    });
  });

  it('creates a user and a token that works until it is revoked', async () => {
    const { h, call } = api;
    const user = await createSurgeryNurse(api, 'chir.nurse2', 'Infermiera Chirurgia');
    expect(user.body).toMatchObject({ username: 'chir.nurse2', locale: 'it', active: true });
    const token = await call('POST', '/v1/tokens', { as: 'admin', body: { userId: user.body.id, name: 'tablet' } });
    expect(token.status).toBe(201);
    expect(token.body).toMatchObject({
      name: 'tablet',
      kind: 'user',
      username: 'chir.nurse2',
      token: expect.stringMatching(/^sct_/),
    });
    expect((await call('GET', `/v1/stock?locationId=${h.surgery.id}`, { token: token.body.token })).status).toBe(200);
    const revoked = await call('DELETE', `/v1/tokens/${token.body.id}`, { as: 'admin' });
    expect(revoked.status).toBe(204);
    expect(revoked.body).toBe('');
    expect((await call('GET', '/v1/items', { token: token.body.token })).status).toBe(401);
  });
});
