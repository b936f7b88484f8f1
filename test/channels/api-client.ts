import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { asc, count } from 'drizzle-orm';
import { expect } from 'vitest';
import { createApiToken } from '../../api/access/tokens.ts';
import { createApp } from '../../app/create-app.ts';
import type { Database } from '../../db/client.ts';
import { movements, stockBalances } from '../../db/schema/index.ts';
import { openTestDatabase, type Driver, type TestDatabase } from '../helpers/database.ts';
import { buildHospital, today, type Hospital } from '../helpers/fixture.ts';

export type Who = keyof Hospital['actors'];

export interface Reply {
  status: number;
  headers: Headers;
  body: any;
}

/** The test hospital behind the HTTP app, with a real API token for each fixture user. */
export async function openApi(driver: Driver) {
  const t: TestDatabase = await openTestDatabase(driver);
  const h = await buildHospital(t.db);
  const app = createApp({ db: t.db, now: () => today });
  const tokens = {} as Record<Who, string>;
  for (const [who, actor] of Object.entries(h.actors) as [Who, Hospital['actors'][Who]][]) {
    tokens[who] = (await createApiToken({ ctx: h.sys, input: { userId: actor.userId!, name: `test ${who}` } })).token;
  }

  /** One request through `app.request()`; `as` names the fixture user whose token is sent. */
  async function call(
    method: string,
    path: string,
    options: { as?: Who; token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
  ): Promise<Reply> {
    const headers: Record<string, string> = { ...options.headers };
    const token = options.token ?? (options.as ? tokens[options.as] : undefined);
    if (token) headers.authorization = `Bearer ${token}`;
    const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
    if (body !== undefined) headers['content-type'] ??= 'application/json';
    const res = await app.request(path, { method, headers, body });
    const text = await res.text();
    return {
      status: res.status,
      headers: res.headers,
      body: /json/.test(res.headers.get('content-type') ?? '') && text ? JSON.parse(text) : text,
    };
  }

  return { t, h, app, tokens, call, close: () => t.close() };
}

export type Api = Awaited<ReturnType<typeof openApi>>;

/** `lines` received at the warehouse over HTTP by the warehouse keeper, answered 201; the first line's lot id. */
export async function receiveOverHttp(api: Api, lines: unknown[]): Promise<string> {
  const receipt = await api.call('POST', '/v1/movements/receipts', {
    as: 'warehouse',
    body: { locationId: api.h.warehouse.id, lines },
  });
  expect(receipt.status).toBe(201);
  return receipt.body.movements[0].lotId;
}

/** A Surgery ward nurse created over HTTP by the admin, answered 201. */
export async function createSurgeryNurse(api: Api, username: string, displayName: string): Promise<Reply> {
  const user = await api.call('POST', '/v1/users', {
    as: 'admin',
    body: { username, displayName, roles: [{ role: 'ward_nurse', locationId: api.h.surgery.id }] },
  });
  expect(user.status).toBe(201);
  return user;
}

/** What a failed write must leave untouched: the number of movements and every balance. */
export async function ledgerSnapshot(db: Database) {
  const [row] = await db.select({ n: count() }).from(movements);
  const balances = await db
    .select({ locationId: stockBalances.locationId, lotId: stockBalances.lotId, quantity: stockBalances.quantity })
    .from(stockBalances)
    .orderBy(asc(stockBalances.locationId), asc(stockBalances.lotId));
  return { movements: row!.n, balances };
}

/**
 * The real MCP SDK client over Streamable HTTP, its requests sent straight into `app` with `token`. Close it after use.
 */
export async function connectMcp(
  app: { request: (url: string, init?: RequestInit) => Response | Promise<Response> },
  token: string,
): Promise<Client> {
  const client = new Client({ name: 'scorta-test', version: '1.0.0' });
  const fetch = (url: string | URL, init?: RequestInit) => Promise.resolve(app.request(url.toString(), init));
  await client.connect(
    new StreamableHTTPClientTransport(new URL('http://scorta.test/mcp'), {
      fetch,
      requestInit: { headers: { authorization: `Bearer ${token}` } },
    }),
  );
  return client;
}
