import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fhirRoutes } from '../../api/fhir/routes.ts';
import { recallRoutes } from '../../api/lots/recall-routes.ts';
import { reportRoutes } from '../../api/reports/routes.ts';
import { drivers } from '../helpers/database.ts';
import { ledgerSnapshot, openApi, type Api } from './api-client.ts';

describe.each(drivers)('recalls over HTTP on %s', (driver) => {
  let api: Api;
  let lotId: string;
  let recallId: string;
  beforeAll(async () => {
    api = await openApi(driver);
    // The mount lines app.ts will carry.
    for (const routes of [recallRoutes, reportRoutes, fhirRoutes]) api.app.route('/v1', routes());
    const { h, call } = api;
    const receipt = await call('POST', '/v1/movements/receipts', {
      as: 'admin',
      body: {
        locationId: h.warehouse.id,
        lines: [{ itemId: h.gloves.id, lotCode: 'HTTP-1', expiry: '2027-12-31', quantity: 50, unitPrice: 0.5 }],
      },
    });
    lotId = receipt.body.movements[0].lotId;
    await call('POST', '/v1/movements/issues', {
      as: 'admin',
      body: {
        fromLocationId: h.warehouse.id,
        toLocationId: h.cardioStore.id,
        lines: [{ itemId: h.gloves.id, lotId, quantity: 20 }],
      },
    });
    await call('POST', '/v1/movements/consumptions', {
      as: 'nurse',
      body: { locationId: h.cardioStore.id, lines: [{ itemId: h.gloves.id, lotId, quantity: 5 }] },
    });
  });
  afterAll(() => api.close());

  it('traces a lot', async () => {
    const r = await api.call('GET', `/v1/lots/${lotId}/trace?limit=2`, { as: 'warehouse' });
    expect(r.status).toBe(200);
    expect(r.body.totals).toMatchObject({ received: 50, consumed: 5, onHand: 45 });
    expect(r.body.timeline).toHaveLength(2);
    expect(r.body.nextCursor).toEqual(expect.any(String));
  });

  it('refuses a recall from a nurse (403) and a recall without reason (400), writing nothing', async () => {
    const before = await ledgerSnapshot(api.t.db);
    const forbidden = await api.call('POST', `/v1/lots/${lotId}/recall`, { as: 'nurse', body: { reason: 'x' } });
    expect(forbidden.status).toBe(403);
    expect(forbidden.headers.get('content-type')).toBe('application/problem+json');
    const invalid = await api.call('POST', `/v1/lots/${lotId}/recall`, { as: 'warehouse', body: {} });
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors.map((e: { field: string }) => e.field)).toContain('reason');
    expect(await api.call('POST', `/v1/lots/${lotId}/recall`, { body: { reason: 'x' } })).toMatchObject({
      status: 401,
    });
    expect(await ledgerSnapshot(api.t.db)).toEqual(before);
  });

  it('recalls once per idempotency key, then refuses every use of the lot', async () => {
    const body = { reason: 'Avviso del fornitore', reference: 'FSN-1' };
    const first = await api.call('POST', `/v1/lots/${lotId}/recall`, {
      as: 'warehouse',
      body,
      headers: { 'idempotency-key': 'http-recall-1' },
    });
    expect(first.status).toBe(201);
    recallId = first.body.recall.id;
    const retry = await api.call('POST', `/v1/lots/${lotId}/recall`, {
      as: 'warehouse',
      body,
      headers: { 'idempotency-key': 'http-recall-1' },
    });
    expect(retry).toMatchObject({ status: 200, body: { recall: { id: recallId } } });
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    const use = await api.call('POST', '/v1/movements/consumptions', {
      as: 'nurse',
      headers: { 'accept-language': 'en' },
      body: { locationId: h().cardioStore.id, lines: [{ itemId: h().gloves.id, lotId, quantity: 1 }] },
    });
    expect(use).toMatchObject({ status: 422, body: { detail: 'Lot HTTP-1 cannot be used: it is recalled.' } });
  });

  it('scans the pack and flags it; a bad code names the GS1 problem', async () => {
    const ok = await api.call('POST', '/v1/scan', {
      as: 'nurse',
      body: { code: '(01)08012345000012(17)271231(10)HTTP-1', locationId: h().cardioStore.id },
    });
    expect(ok).toMatchObject({
      status: 200,
      body: { flagged: true, usable: false, onHand: 15, lot: { status: 'recalled' }, item: { code: 'DM-GUA-M' } },
    });
    const bad = await api.call('POST', '/v1/scan', { as: 'nurse', body: { code: '(01)08012345000013' } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([{ field: 'code', message: expect.stringMatching(/check digit/i) }]);
  });

  it('shows progress, takes a return from the ward, refuses closing early, then closes', async () => {
    const out = await api.call('GET', `/v1/recalls/${recallId}`, { as: 'warehouse' });
    expect(out.body.totals).toMatchObject({ outAtRecall: 15, consumedBefore: 5, stillOut: 15 });
    const early = await api.call('POST', `/v1/recalls/${recallId}/close`, { as: 'warehouse', body: {} });
    expect(early).toMatchObject({ status: 422, body: { stillOut: [{ code: 'CARD-MR', quantity: 15 }] } });
    const back = await api.call('POST', `/v1/recalls/${recallId}/returns`, {
      as: 'nurse',
      body: { locationId: h().cardioStore.id },
    });
    expect(back).toMatchObject({ status: 201, body: { progress: { totals: { returned: 15, stillOut: 0 } } } });
    expect(await api.call('POST', `/v1/recalls/${recallId}/close`, { as: 'warehouse', body: {} })).toMatchObject({
      status: 201,
      body: { recall: { status: 'closed' } },
    });
    const list = await api.call('GET', '/v1/recalls?status=closed', { as: 'warehouse' });
    expect(list.body.data.map((r: { id: string }) => r.id)).toContain(recallId);
    const board = await api.call('GET', '/v1/notifications?open=true', { as: 'nurse' });
    expect(board.body.data.map((n: { locationCode: string }) => n.locationCode)).toEqual(['CARD-MR']);
  });

  it('exports the lot as a FHIR R5 Bundle', async () => {
    const r = await api.call('GET', `/v1/fhir/lots/${lotId}`, { as: 'warehouse' });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^application\/fhir\+json/);
    const body = r.body;
    expect(body.entry.map((e: { resource: { resourceType: string } }) => e.resource.resourceType)).toEqual([
      'InventoryReport',
      'SupplyDelivery',
    ]);
    const inv = await api.call('GET', `/v1/fhir/InventoryReport?location=${h().warehouse.id}`, { as: 'warehouse' });
    expect(inv.body).toMatchObject({ resourceType: 'InventoryReport', countType: 'snapshot' });
  });

  it('serves cost reports to admins only', async () => {
    const year = Number(new Date().getUTCFullYear());
    const valuation = await api.call('GET', `/v1/reports/valuation?year=${year}`, { as: 'admin' });
    expect(valuation.status, JSON.stringify(valuation.body)).toBe(200);
    expect(valuation.body.warehouses.map((w: { warehouse: { code: string } }) => w.warehouse.code)).toEqual(['MAG']);
    expect((await api.call('GET', `/v1/reports/valuation?year=${year}`, { as: 'warehouse' })).status).toBe(403);
    const cost = await api.call('GET', `/v1/reports/consumption-cost?from=${year}-01-01&to=${year + 1}-01-01`, {
      as: 'admin',
    });
    expect(cost.body).toMatchObject({ total: 2.5, wards: [{ ward: { code: 'CARD' }, quantity: 5, cost: 2.5 }] });
    expect((await api.call('GET', '/v1/stock/expiring?withinDays=730', { as: 'warehouse' })).body.data).toMatchObject([
      { lot: { lotCode: 'HTTP-1' }, location: { code: 'MAG' }, quantity: 45 },
    ]);
  });

  const h = () => api.h;
});
