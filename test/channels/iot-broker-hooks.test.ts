import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerDevice, revokeDevice } from '../../api/devices/register-device.ts';
import { createApp } from '../../app/create-app.ts';
import { openTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { buildHospital, type Hospital } from '../helpers/fixture.ts';

const secret = 'hook-secret-for-tests';
const service = { username: 'scorta.bridge', password: 'bridge-password' };

describe('broker hooks for EMQX and mosquitto-go-auth (app.request)', () => {
  let t: TestDatabase;
  let h: Hospital;
  let app: ReturnType<typeof createApp>;
  let cabinet: { id: string; code: string; password: string };
  const emqx = (path: string, body: unknown, key = secret) =>
    app.request(`/mqtt/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-scorta-broker-secret': key },
      body: JSON.stringify(body),
    });
  const goAuthForm = (path: string, body: Record<string, string>) =>
    app.request(`/mqtt/${path}?secret=${secret}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(body).toString(),
    });

  beforeAll(async () => {
    t = await openTestDatabase('pglite');
    h = await buildHospital(t.db);
    cabinet = await registerDevice({
      ctx: h.sys,
      input: { code: 'CARD-ARM1-01', kind: 'smart_cabinet', name: 'Armadio', locationId: h.cabinet.id },
    });
    app = createApp({ db: t.db, brokerHooks: { secret, service } });
  });
  afterAll(async () => t?.close());

  it('lets a device log in with its code and secret, in EMQX format (200, result allow)', async () => {
    const res = await emqx('auth', { clientid: cabinet.code, username: cabinet.code, password: cabinet.password });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    expect(await res.json()).toEqual({ result: 'allow', is_superuser: false, ok: true });
  });

  it('refuses a wrong secret, an unknown device, a client id other than the code — always 200 deny', async () => {
    for (const body of [
      { clientid: cabinet.code, username: cabinet.code, password: 'wrong' },
      { clientid: 'NOPE-01', username: 'NOPE-01', password: 'x' },
      { clientid: 'other', username: cabinet.code, password: cabinet.password },
      { clientid: cabinet.code, username: cabinet.code },
    ]) {
      const res = await emqx('auth', body);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ result: 'deny', ok: false, error: expect.any(String) });
    }
  });

  it('denies everything when the broker secret is wrong or missing, without looking at the credentials', async () => {
    const wrong = await emqx(
      'auth',
      { clientid: cabinet.code, username: cabinet.code, password: cabinet.password },
      'guess',
    );
    expect(await wrong.json()).toMatchObject({ result: 'deny', error: 'wrong or missing broker secret' });
    const none = await app.request('/mqtt/acl', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        username: cabinet.code,
        topic: `scorta/devices/${cabinet.code}/levels`,
        action: 'publish',
      }),
    });
    expect(await none.json()).toMatchObject({ result: 'deny' });
  });

  it('applies the embedded topic ACL to EMQX publish and subscribe checks', async () => {
    const acl = async (topic: string, action: string) =>
      (
        (await (await emqx('acl', { username: cabinet.code, clientid: cabinet.code, topic, action })).json()) as {
          result: string;
        }
      ).result;
    expect(await acl(`scorta/devices/${cabinet.code}/levels`, 'publish')).toBe('allow');
    expect(await acl('scorta/devices/OTHER-01/levels', 'publish')).toBe('deny');
    expect(await acl(`scorta/devices/${cabinet.code}/replies`, 'publish')).toBe('deny');
    expect(await acl(`scorta/devices/${cabinet.code}/replies`, 'subscribe')).toBe('allow');
    expect(await acl('scorta/devices/+/replies', 'subscribe')).toBe('deny');
    expect(await acl('scorta/#', 'subscribe')).toBe('deny');
    expect(await acl(`scorta/devices/${cabinet.code}/replies`, 'delete')).toBe('deny'); // malformed
  });

  it('answers mosquitto-go-auth form posts with acc codes (1 read, 2 write, 4 subscribe), secret in the URI', async () => {
    const ok = async (path: string, body: Record<string, string>) =>
      ((await (await goAuthForm(path, body)).json()) as { ok: boolean }).ok;
    expect(await ok('auth', { username: cabinet.code, clientid: cabinet.code, password: cabinet.password })).toBe(true);
    const acl = (topic: string, acc: string) =>
      ok('acl', {
        username: cabinet.code,
        clientid: cabinet.code,
        topic: `scorta/devices/${cabinet.code}/${topic}`,
        acc,
      });
    expect(await acl('levels', '2')).toBe(true);
    expect(await acl('replies', '1')).toBe(true);
    expect(await acl('replies', '4')).toBe(true);
    expect(await acl('levels', '3')).toBe(false);
    expect(await ok('superuser', { username: cabinet.code })).toBe(false);
  });

  it("lets Scorta's own account consume the device topics through a shared subscription and publish replies, nothing else", async () => {
    const decide = async (body: Record<string, unknown>) =>
      ((await (await emqx(body.password ? 'auth' : 'acl', body)).json()) as { result: string }).result;
    expect(await decide({ clientid: 'scorta-host1', ...service })).toBe('allow');
    expect(await decide({ clientid: 'scorta-host1', username: service.username, password: 'nope' })).toBe('deny');
    expect(
      await decide({
        username: service.username,
        topic: '$share/scorta/scorta/devices/+/readings',
        action: 'subscribe',
      }),
    ).toBe('allow');
    expect(await decide({ username: service.username, topic: 'scorta/devices/+/levels', action: 'subscribe' })).toBe(
      'allow',
    );
    expect(await decide({ username: service.username, topic: 'scorta/#', action: 'subscribe' })).toBe('deny');
    expect(
      await decide({ username: service.username, topic: `scorta/devices/${cabinet.code}/replies`, action: 'publish' }),
    ).toBe('allow');
    expect(
      await decide({ username: service.username, topic: `scorta/devices/${cabinet.code}/levels`, action: 'publish' }),
    ).toBe('deny');
  });

  it('refuses a revoked device at its next login', async () => {
    await revokeDevice({ ctx: h.sys, id: cabinet.id });
    const res = await emqx('auth', { clientid: cabinet.code, username: cabinet.code, password: cabinet.password });
    expect(await res.json()).toMatchObject({ result: 'deny' });
  });
});
