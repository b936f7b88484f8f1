import { OpenAPIHono } from '@hono/zod-openapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../api/access/tokens.ts';
import { createItem } from '../../api/catalogue/items.ts';
import { homeCareRoutes } from '../../api/homecare/routes.ts';
import { requireToken } from '../../api/http/auth.ts';
import type { AppEnv } from '../../api/http/context.ts';
import { documentConfig } from '../../api/http/openapi.ts';
import { handleError, handleNotFound, validationHook } from '../../api/http/problem.ts';
import { issueStock } from '../../api/stock/issue-stock.ts';
import { receiveGoods } from '../../api/stock/receive-goods.ts';
import { openTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { buildHospital, today, type Hospital } from '../helpers/fixture.ts';

/** The home-care routes mounted as api/http/api-app.ts mounts every domain's (`app.route('/v1', homeCareRoutes())`). */
function appFor(db: TestDatabase['db']) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.onError(handleError);
  app.notFound(handleNotFound);
  app.use('/v1/*', requireToken({ db, now: () => today }));
  app.route('/v1', homeCareRoutes());
  return app;
}

describe('home-care HTTP routes', () => {
  let t: TestDatabase;
  let h: Hospital;
  let app: ReturnType<typeof appFor>;
  let strips: { id: string };
  const tokens: Record<string, string> = {};
  const call = async (
    method: string,
    path: string,
    who: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) => {
    const res = await app.request(path, {
      method,
      headers: {
        authorization: `Bearer ${tokens[who]}`,
        'content-type': 'application/json',
        'accept-language': 'en',
        ...headers,
      },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return { status: res.status, headers: res.headers, body: await res.json() };
  };

  beforeAll(async () => {
    t = await openTestDatabase('pglite');
    h = await buildHospital(t.db);
    app = appFor(t.db);
    strips = await createItem({
      ctx: h.sys,
      input: {
        code: 'DIAG-STR',
        name: 'Strisce glicemia',
        nameEn: 'Glucose strips',
        categoryId: h.category.id,
        unit: 'pz',
      },
    });
    await receiveGoods({
      ctx: h.sys,
      input: {
        locationId: h.warehouse.id,
        lines: [{ itemId: strips.id, lotCode: 'S1', expiry: '2028-01-31', quantity: 100 }],
      },
    });
    await issueStock({
      ctx: h.sys,
      input: { fromLocationId: h.warehouse.id, toLocationId: h.home.id, lines: [{ itemId: strips.id, quantity: 60 }] },
    });
    for (const who of ['homeCare', 'nurse', 'admin'] as const)
      tokens[who] = (await createApiToken({ ctx: h.sys, input: { userId: h.actors[who].userId!, name: who } })).token;
  });
  afterAll(() => t.close());

  it('sets a plan with PUT (201, then 200 replayed on the same key), lists it, reads the team list, ends it with DELETE', async () => {
    const path = `/v1/home-care/homes/${h.home.id}/plans/${strips.id}`;
    const put = await call('PUT', path, 'homeCare', { dailyQuantity: 4 }, { 'idempotency-key': 'p1' });
    expect(put).toMatchObject({
      status: 201,
      body: { plan: { itemCode: 'DIAG-STR', dailyQuantity: 4 }, delivery: { action: 'none' } },
    });
    const again = await call('PUT', path, 'homeCare', { dailyQuantity: 4 }, { 'idempotency-key': 'p1' });
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    const list = await call('GET', `/v1/home-care/plans?locationId=${h.homeCare.id}&includeEnded=false`, 'homeCare');
    expect(list).toMatchObject({
      status: 200,
      body: { data: [{ patientCode: 'P-001', dailyQuantity: 4 }], nextCursor: null },
    });
    const patients = await call('GET', `/v1/home-care/patients?teamLocationId=${h.homeCare.id}`, 'homeCare');
    expect(patients).toMatchObject({
      status: 200,
      body: {
        patients: [
          {
            patientCode: 'P-001',
            daysOfCover: 15,
            items: [{ itemCode: 'DIAG-STR', available: 60, rateSource: 'plan', runOutDate: '2026-12-08' }],
          },
        ],
      },
    });
    const end = await call('DELETE', path, 'homeCare');
    expect(end).toMatchObject({ status: 200, body: { plan: { endedAt: today.toISOString() } } });
    expect((await call('DELETE', path, 'homeCare')).status).toBe(404);
  });

  it('answers problem+json: 403 for a ward nurse, 400 naming the field, 401 without a token', async () => {
    const nurse = await call('GET', '/v1/home-care/patients', 'nurse');
    expect(nurse.status).toBe(403);
    const bad = await call('PUT', `/v1/home-care/homes/${h.home.id}/plans/${strips.id}`, 'homeCare', {
      dailyQuantity: 0,
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'dailyQuantity' })]);
    const none = await app.request('/v1/alerts');
    expect(none.status).toBe(401);
    const alerts = await call('GET', '/v1/alerts?open=true', 'homeCare');
    expect(alerts).toMatchObject({ status: 200, body: { data: [], nextCursor: null } });
    expect((await call('GET', '/v1/alerts?open=maybe', 'homeCare')).status).toBe(400);
  });

  it('documents the routes in OpenAPI', () => {
    const doc = app.getOpenAPI31Document(documentConfig);
    expect(Object.keys(doc.paths ?? {})).toEqual(
      expect.arrayContaining([
        '/v1/home-care/patients',
        '/v1/home-care/plans',
        '/v1/home-care/homes/{locationId}/plans/{itemId}',
        '/v1/alerts',
      ]),
    );
    expect(doc.components?.schemas).toHaveProperty('HomeCareOverview');
  });
});
