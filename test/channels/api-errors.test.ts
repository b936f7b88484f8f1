import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApp } from '../../app/create-app.ts';
import type { Database } from '../../db/client.ts';
import { drivers } from '../helpers/database.ts';
import { ledgerSnapshot, openApi, receiveOverHttp, type Api } from './api-client.ts';

/** Failures: each is a problem+json naming what failed, and a failed write leaves the ledger as it was. */
describe.each(drivers)('HTTP API errors on %s', (driver) => {
  let api: Api;
  let lotId: string;
  beforeAll(async () => {
    api = await openApi(driver);
    lotId = await receiveOverHttp(api, [
      { itemId: api.h.gloves.id, lotCode: 'G-1', expiry: '2028-01-31', quantity: 50 },
      { itemId: api.h.syringe.id, lotCode: 'S-OLD', expiry: '2026-01-31', quantity: 10 },
    ]);
  });
  afterAll(() => api.close());

  const expectProblem = (reply: { status: number; headers: Headers; body: any }, status: number, key: string) => {
    expect(reply.status).toBe(status);
    expect(reply.headers.get('content-type')).toBe('application/problem+json');
    expect(reply.body).toMatchObject({
      type: `https://scorta.dev/problems/${key}`,
      status,
      title: expect.any(String),
      detail: expect.any(String),
      errors: expect.any(Array),
    });
  };

  describe('authentication', () => {
    it('refuses /v1 without a token, with an unknown token and with another scheme', async () => {
      for (const headers of <Record<string, string>[]>[
        {},
        { authorization: 'Bearer sct_not-a-real-token' },
        { authorization: 'Bearer' },
        { authorization: `Basic ${api.tokens.admin}` },
      ]) {
        const reply = await api.call('GET', '/v1/items', { headers });
        expectProblem(reply, 401, 'unauthorized');
        expect(reply.headers.get('www-authenticate')).toMatch(/^Bearer/);
      }
    });

    it('refuses a write without a token and writes nothing', async () => {
      const before = await ledgerSnapshot(api.t.db);
      const reply = await api.call('POST', '/v1/movements/receipts', {
        body: { locationId: api.h.warehouse.id, lines: [{ itemId: api.h.gloves.id, lotCode: 'X', quantity: 1 }] },
      });
      expectProblem(reply, 401, 'unauthorized');
      expect(await ledgerSnapshot(api.t.db)).toEqual(before);
    });
  });

  describe('authorisation', () => {
    it('forbids a ward nurse to issue from the warehouse, and writes nothing', async () => {
      const before = await ledgerSnapshot(api.t.db);
      const reply = await api.call('POST', '/v1/movements/issues', {
        as: 'nurse',
        body: {
          fromLocationId: api.h.warehouse.id,
          toLocationId: api.h.cardioStore.id,
          lines: [{ itemId: api.h.gloves.id, quantity: 5 }],
        },
      });
      expectProblem(reply, 403, 'forbidden');
      expect(reply.body.action).toBe('stock.issue');
      expect(await ledgerSnapshot(api.t.db)).toEqual(before);
    });

    it("forbids a ward nurse to read another ward's stock", async () => {
      expectProblem(
        await api.call('GET', `/v1/stock?locationId=${api.h.surgery.id}`, { as: 'nurse' }),
        403,
        'forbidden',
      );
      expect((await api.call('GET', `/v1/stock?locationId=${api.h.surgery.id}`, { as: 'otherNurse' })).status).toBe(
        200,
      );
    });

    it('forbids a nurse to create users or tokens', async () => {
      expectProblem(
        await api.call('POST', '/v1/tokens', {
          as: 'nurse',
          body: { userId: api.h.actors.nurse.userId, name: 'mine' },
        }),
        403,
        'forbidden',
      );
    });
  });

  describe('bad input', () => {
    it('names lines.0.quantity when it is negative, and writes nothing', async () => {
      const before = await ledgerSnapshot(api.t.db);
      const reply = await api.call('POST', '/v1/movements/receipts', {
        as: 'warehouse',
        body: { locationId: api.h.warehouse.id, lines: [{ itemId: api.h.gloves.id, lotCode: 'G-NEG', quantity: -5 }] },
      });
      expectProblem(reply, 400, 'validation');
      expect(reply.body.errors).toEqual([{ field: 'lines.0.quantity', message: expect.any(String) }]);
      expect(await ledgerSnapshot(api.t.db)).toEqual(before);
    });

    it('answers malformed JSON with the same problem shape', async () => {
      const reply = await api.call('POST', '/v1/movements/issues', { as: 'warehouse', rawBody: '{"fromLocationId": ' });
      expectProblem(reply, 400, 'validation');
      expect(reply.body.errors).toEqual([{ field: '(body)', message: expect.stringMatching(/JSON/) }]);
    });

    it('refuses a body that is not JSON, naming the content type', async () => {
      const reply = await api.call('POST', '/v1/movements/consumptions', {
        as: 'nurse',
        rawBody: 'quantity=5',
        headers: { 'content-type': 'text/plain' },
      });
      expectProblem(reply, 400, 'validation');
      expect(reply.body.errors.map((e: { field: string }) => e.field)).toEqual(['content-type']);
    });

    it('names bad query parameters and path ids', async () => {
      const limit = await api.call('GET', '/v1/items?limit=0', { as: 'nurse' });
      expectProblem(limit, 400, 'validation');
      expect(limit.body.errors.map((e: { field: string }) => e.field)).toEqual(['limit']);
      const flag = await api.call('GET', `/v1/stock?locationId=${api.h.cardio.id}&includeDescendants=yes`, {
        as: 'nurse',
      });
      expect(flag.body.errors.map((e: { field: string }) => e.field)).toEqual(['includeDescendants']);
      const id = await api.call('GET', '/v1/items/42', { as: 'nurse' });
      expectProblem(id, 400, 'validation');
      expect(id.body.errors.map((e: { field: string }) => e.field)).toEqual(['id']);
    });

    it('refuses an idempotency key that differs between header and body, and writes nothing', async () => {
      const before = await ledgerSnapshot(api.t.db);
      const reply = await api.call('POST', '/v1/movements/receipts', {
        as: 'warehouse',
        headers: { 'Idempotency-Key': 'header-key' },
        body: {
          idempotencyKey: 'body-key',
          locationId: api.h.warehouse.id,
          lines: [{ itemId: api.h.gloves.id, lotCode: 'G-KEY', quantity: 1 }],
        },
      });
      expectProblem(reply, 400, 'validation');
      expect(reply.body.errors.map((e: { field: string }) => e.field)).toEqual(['idempotencyKey']);
      expect(await ledgerSnapshot(api.t.db)).toEqual(before);
    });
  });

  describe('state', () => {
    it('is a 409 to take more than is on hand, with what was requested and available', async () => {
      const before = await ledgerSnapshot(api.t.db);
      const reply = await api.call('POST', '/v1/movements/issues', {
        as: 'warehouse',
        body: {
          fromLocationId: api.h.warehouse.id,
          toLocationId: api.h.cardioStore.id,
          lines: [{ itemId: api.h.gloves.id, lotId, quantity: 51 }],
        },
      });
      expectProblem(reply, 409, 'insufficient_stock');
      expect(reply.body).toMatchObject({ requested: 51, available: 50, lotId });
      expect(await ledgerSnapshot(api.t.db)).toEqual(before);
    });

    it('is a 422 to issue an expired lot, naming it', async () => {
      const lots = await api.call('GET', `/v1/stock?locationId=${api.h.warehouse.id}&itemId=${api.h.syringe.id}`, {
        as: 'warehouse',
      });
      const expired = lots.body.data.find((r: { lotCode: string }) => r.lotCode === 'S-OLD');
      expect(expired).toMatchObject({ status: 'expired', available: 0 });
      const before = await ledgerSnapshot(api.t.db);
      const reply = await api.call('POST', '/v1/movements/issues', {
        as: 'warehouse',
        headers: { 'accept-language': 'en' },
        body: {
          fromLocationId: api.h.warehouse.id,
          toLocationId: api.h.cardioStore.id,
          lines: [{ itemId: api.h.syringe.id, lotId: expired.lotId, quantity: 1 }],
        },
      });
      expectProblem(reply, 422, 'lot_expired');
      expect(reply.body.detail).toBe('Lot S-OLD expired on 2026-01-31.');
      expect(reply.body.errors).toEqual([{ field: 'lines.0.lotId', message: expect.any(String) }]);
      expect(await ledgerSnapshot(api.t.db)).toEqual(before);
    });

    it('is a 409 to reuse an idempotency key for another request', async () => {
      const body = (quantity: number) => ({
        locationId: api.h.warehouse.id,
        lines: [{ itemId: api.h.gloves.id, lotCode: 'G-1', quantity }],
      });
      const headers = { 'Idempotency-Key': 'reused-key' };
      expect(
        (await api.call('POST', '/v1/movements/receipts', { as: 'warehouse', headers, body: body(1) })).status,
      ).toBe(201);
      const before = await ledgerSnapshot(api.t.db);
      expectProblem(
        await api.call('POST', '/v1/movements/receipts', { as: 'warehouse', headers, body: body(2) }),
        409,
        'idempotency_mismatch',
      );
      expect(await ledgerSnapshot(api.t.db)).toEqual(before);
    });

    it('is a 404 for an unknown id and for an unknown route', async () => {
      const item = await api.call('GET', `/v1/items/${crypto.randomUUID()}`, { as: 'nurse' });
      expectProblem(item, 404, 'not_found');
      expect(item.body.entity).toBe('item');
      expectProblem(await api.call('GET', '/v1/nothing-here', { as: 'nurse' }), 404, 'not_found');
      expectProblem(await api.call('GET', '/nothing-here'), 404, 'not_found');
    });
  });

  describe('language', () => {
    it('answers in Italian by default and in English when asked', async () => {
      const ask = (headers: Record<string, string>) =>
        api.call('GET', `/v1/items/${crypto.randomUUID()}`, { as: 'nurse', headers });
      const [it, en, enUs] = await Promise.all([
        ask({}),
        ask({ 'accept-language': 'en' }),
        ask({ 'accept-language': 'en-US,en;q=0.9' }),
      ]);
      expect(it.body.title).toBe('Risorsa non trovata');
      expect(it.body.detail).toMatch(/non esiste/);
      expect(it.headers.get('content-language')).toBe('it');
      expect(en.body.title).toBe('Resource not found');
      expect(en.body.detail).toMatch(/does not exist/);
      expect(enUs.body.title).toBe('Resource not found');
      const fr = await ask({ 'accept-language': 'fr-FR, it;q=0.5' });
      expect(fr.body.title).toBe('Risorsa non trovata');
    });
  });

  describe('unexpected failures', () => {
    it('is a logged 500 problem with no internals in the body', async () => {
      const broken = new Proxy(
        {},
        {
          get: () => () => {
            throw new Error('connection refused at 10.0.0.7:5432');
          },
        },
      ) as unknown as Database;
      const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
      try {
        const res = await createApp({ db: broken }).request('/v1/items', {
          headers: { authorization: `Bearer ${api.tokens.admin}` },
        });
        expect(res.status).toBe(500);
        expect(res.headers.get('content-type')).toBe('application/problem+json');
        const text = await res.text();
        expect(JSON.parse(text)).toMatchObject({
          type: 'https://scorta.dev/problems/internal',
          status: 500,
          title: 'Errore interno',
        });
        expect(text).not.toMatch(/10\.0\.0\.7|stack|at /);
        expect(logged).toHaveBeenCalled();
      } finally {
        logged.mockRestore();
      }
    });
  });
});
