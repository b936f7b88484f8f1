import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeCursor } from '../../api/core/pagination.ts';
import { drivers } from '../helpers/database.ts';
import { openApi, receiveOverHttp, type Api, type Reply } from './api-client.ts';

/** Inputs a hostile or careless client sends: LIKE wildcards, forged cursors, inverted periods. */
describe.each(drivers)('HTTP input bounds on %s', (driver) => {
  let api: Api;
  let lotId: string;
  beforeAll(async () => {
    api = await openApi(driver);
    lotId = await receiveOverHttp(api, [
      { itemId: api.h.gloves.id, lotCode: 'G-1', expiry: '2028-01-31', quantity: 50 },
    ]);
  });
  afterAll(() => api.close());

  const expectValidation = (reply: Reply, field: string) => {
    expect(reply.status).toBe(400);
    expect(reply.headers.get('content-type')).toBe('application/problem+json');
    expect(reply.body.errors).toEqual(expect.arrayContaining([{ field, message: expect.any(String) }]));
  };

  describe('LIKE wildcards are matched literally', () => {
    it.each(['%', '_', '\\', '%%', '_%_'])('item search %j finds nothing, not the whole catalogue', async (q) => {
      const reply = await api.call('GET', `/v1/items?q=${encodeURIComponent(q)}`, { as: 'nurse' });
      expect(reply.status).toBe(200);
      expect(reply.body.data).toEqual([]);
    });

    it.each(['%', '_', '\\', 'CARD_MR', 'Cardio%'])('location search %j matches no location', async (q) => {
      const reply = await api.call('GET', `/v1/locations?q=${encodeURIComponent(q)}`, { as: 'admin' });
      expect(reply.status).toBe(200);
      expect(reply.body.data).toEqual([]);
    });

    it('ordinary searches still find what they name', async () => {
      expect(
        (await api.call('GET', '/v1/items?q=guanti%20m', { as: 'nurse' })).body.data.map(
          (i: { code: string }) => i.code,
        ),
      ).toEqual(['DM-GUA-M']);
      expect(
        (await api.call('GET', '/v1/items?q=DM-SIR-10', { as: 'nurse' })).body.data.map(
          (i: { code: string }) => i.code,
        ),
      ).toEqual(['DM-SIR-10']);
      expect(
        (await api.call('GET', '/v1/locations?q=CARD-MR', { as: 'admin' })).body.data.map(
          (l: { code: string }) => l.code,
        ),
      ).toEqual(['CARD-MR']);
    });
  });

  describe('a cursor this server did not hand out is a 400, not page one', () => {
    const forged = [
      'not-a-cursor!',
      encodeCursor('seven'),
      encodeCursor(-3),
      encodeCursor({ offset: 1 }),
      'e30',
      '%%%',
    ];
    it.each(['/v1/items', '/v1/locations', '/v1/movements', '/v1/stock', '/v1/lots', `/v1/lots/LOT/history`])(
      '%s',
      async (path) => {
        for (const cursor of forged) {
          const reply = await api.call('GET', `${path.replace('LOT', lotId)}?cursor=${encodeURIComponent(cursor)}`, {
            as: 'admin',
          });
          expectValidation(reply, 'cursor');
          expect(reply.body.type).toBe('https://scorta.dev/problems/invalid_cursor');
        }
      },
    );

    it('a cursor handed out still pages on', async () => {
      const first = await api.call('GET', '/v1/items?limit=1', { as: 'nurse' });
      const second = await api.call('GET', `/v1/items?limit=1&cursor=${encodeURIComponent(first.body.nextCursor)}`, {
        as: 'nurse',
      });
      expect(second.status).toBe(200);
      expect(second.body.data[0].id).not.toBe(first.body.data[0].id);
    });
  });

  describe('a period whose start comes after its end is a 400', () => {
    it('consumption cost', async () => {
      expectValidation(
        await api.call('GET', '/v1/reports/consumption-cost?from=2026-03-01&to=2026-02-01', { as: 'admin' }),
        'from',
      );
      expect(
        (await api.call('GET', '/v1/reports/consumption-cost?from=2026-02-01&to=2026-03-01', { as: 'admin' })).status,
      ).toBe(200);
    });

    it('movements', async () => {
      const q = (since: string, until: string) =>
        `/v1/movements?since=${encodeURIComponent(since)}&until=${encodeURIComponent(until)}`;
      expectValidation(
        await api.call('GET', q('2026-03-01T00:00:00+01:00', '2026-02-01T00:00:00+01:00'), { as: 'admin' }),
        'since',
      );
      // The same instant written in two offsets is compared as an instant, not as text.
      expectValidation(
        await api.call('GET', q('2026-03-01T00:30:00+00:00', '2026-03-01T01:00:00+01:00'), { as: 'admin' }),
        'since',
      );
      expect(
        (await api.call('GET', q('2026-02-01T00:00:00+01:00', '2026-03-01T00:00:00+01:00'), { as: 'admin' })).status,
      ).toBe(200);
    });

    it('lots used at a location', async () => {
      const path = `/v1/locations/${api.h.cardio.id}/lots-used`;
      expectValidation(
        await api.call('GET', `${path}?from=2026-03-01T00:00:00Z&to=2026-02-01T00:00:00Z`, { as: 'admin' }),
        'from',
      );
      expect(
        (await api.call('GET', `${path}?from=2026-02-01T00:00:00Z&to=2026-03-01T00:00:00Z`, { as: 'admin' })).status,
      ).toBe(200);
    });

    it('negative or absurd horizons and history windows', async () => {
      for (const q of ['withinDays=-1', 'withinDays=100000', 'rateDays=-7', 'rateDays=0']) {
        expect((await api.call('GET', `/v1/stock/expiring?${q}`, { as: 'admin' })).status).toBe(400);
      }
    });
  });
});
