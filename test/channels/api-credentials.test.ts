import { count } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../api/access/tokens.ts';
import { apiTokens, organisations, roleAssignments, users } from '../../db/schema/index.ts';
import { drivers } from '../helpers/database.ts';
import { today } from '../helpers/fixture.ts';
import { createSurgeryNurse, openApi, type Api, type Reply } from './api-client.ts';

/** Issue #15 item 3: credentials are managed by people, organisations by the platform; no token for the past. */
describe.each(drivers)('credentials over HTTP on %s', (driver) => {
  let api: Api;
  let assistant: string;
  beforeAll(async () => {
    api = await openApi(driver);
    // The admin's 30-day assistant token, as `npm run token -- create --assistant --days 30` mints it.
    const expiresAt = new Date(today.getTime() + 30 * 86_400_000).toISOString();
    assistant = (
      await createApiToken({
        ctx: api.h.sys,
        input: { userId: api.h.actors.admin.userId, name: 'admin bot', kind: 'assistant', expiresAt },
      })
    ).token;
  });
  afterAll(() => api.close());

  /** Every row a credential write could leave behind. */
  const counts = async () => {
    const db = api.t.db;
    const [t] = await db.select({ n: count() }).from(apiTokens);
    const [u] = await db.select({ n: count() }).from(users);
    const [r] = await db.select({ n: count() }).from(roleAssignments);
    const [o] = await db.select({ n: count() }).from(organisations);
    const revoked = (await db.select({ revokedAt: apiTokens.revokedAt }).from(apiTokens)).filter(
      (row) => row.revokedAt,
    ).length;
    return { tokens: t!.n, users: u!.n, roles: r!.n, organisations: o!.n, revoked };
  };
  const expectForbidden = (reply: Reply, key: string, action: string) => {
    expect(reply.status).toBe(403);
    expect(reply.headers.get('content-type')).toBe('application/problem+json');
    expect(reply.body).toMatchObject({ type: `https://scorta.dev/problems/${key}`, status: 403, action });
  };

  it("refuses an admin's assistant token to mint tokens, create users or revoke tokens, and writes nothing", async () => {
    const { h, call } = api;
    const mine = await createApiToken({ ctx: h.sys, input: { userId: h.actors.nurse.userId, name: 'tablet' } });
    const before = await counts();
    const token = await call('POST', '/v1/tokens', {
      token: assistant,
      body: { userId: h.actors.admin.userId, name: 'forever', kind: 'user' },
    });
    expectForbidden(token, 'forbidden_assistant', 'users.write');
    expect(token.body.detail).toMatch(/assistente/);
    const user = await call('POST', '/v1/users', {
      token: assistant,
      headers: { 'accept-language': 'en' },
      body: { username: 'shadow.admin', displayName: 'Shadow', roles: [{ role: 'admin' }] },
    });
    expectForbidden(user, 'forbidden_assistant', 'users.write');
    expect(user.body.detail).toMatch(/An assistant cannot manage users, roles and tokens:/);
    expectForbidden(
      await call('DELETE', `/v1/tokens/${mine.id}`, { token: assistant }),
      'forbidden_assistant',
      'users.write',
    );
    expect(await counts()).toEqual(before);
    // The same assistant still reads for its admin: it is refused credentials, not everything.
    expect((await call('GET', '/v1/items', { token: assistant })).status).toBe(200);
  });

  it('lets the admin herself create a user, a token and revoke it', async () => {
    const { call } = api;
    const user = await createSurgeryNurse(api, 'chir.nurse3', 'Infermiera');
    const token = await call('POST', '/v1/tokens', {
      as: 'admin',
      body: { userId: user.body.id, name: 'tablet', expiresAt: new Date(today.getTime() + 3_600_000).toISOString() },
    });
    expect(token.status).toBe(201);
    expect((await call('DELETE', `/v1/tokens/${token.body.id}`, { as: 'admin' })).status).toBe(204);
  });

  it('refuses a token whose expiry is past or now, naming expiresAt, and writes nothing', async () => {
    const { h, call } = api;
    const before = await counts();
    for (const expiresAt of [
      new Date(today.getTime() - 86_400_000).toISOString(),
      today.toISOString(),
      '2001-01-01T00:00:00+01:00',
    ]) {
      const reply = await call('POST', '/v1/tokens', {
        as: 'admin',
        body: { userId: h.actors.nurse.userId, name: 'stale', expiresAt },
      });
      expect(reply.status).toBe(400);
      expect(reply.body).toMatchObject({
        type: 'https://scorta.dev/problems/token_expiry_past',
        errors: [{ field: 'expiresAt' }],
      });
    }
    expect(await counts()).toEqual(before);
  });

  it('refuses to create an organisation through the API, to an admin and to her assistant, and writes nothing', async () => {
    const { call } = api;
    const before = await counts();
    for (const reply of [
      await call('POST', '/v1/organisations', {
        as: 'admin',
        headers: { 'accept-language': 'en' },
        body: { code: 'ASL9', name: 'ASL 9', kind: 'local_health_unit' },
      }),
      await call('POST', '/v1/organisations', {
        token: assistant,
        headers: { 'accept-language': 'en' },
        body: { code: 'ASL9', name: 'ASL 9', kind: 'local_health_unit' },
      }),
    ]) {
      expectForbidden(reply, 'forbidden_platform', 'organisations.write');
      expect(reply.body.detail).toMatch(/platform operation.*command line/);
    }
    expect(await counts()).toEqual(before);
  });
});
