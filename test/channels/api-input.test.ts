import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { count } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../api/access/tokens.ts';
import { auditLog, chatProposals, items, wardRequests as requests } from '../../db/schema/index.ts';
import { drivers } from '../helpers/database.ts';
import { ledgerSnapshot, openApi, type Api, type Reply } from './api-client.ts';

/**
 * Issue #15 item 6: text with NUL or lone surrogates, and malformed bodies, are a 400 naming the field, never a 500.
 */
describe.each(drivers)('input that cannot be stored, on %s', (driver) => {
  let api: Api;
  beforeAll(async () => {
    api = await openApi(driver);
  });
  afterAll(() => api.close());

  const written = async () => {
    const db = api.t.db;
    const [a] = await db.select({ n: count() }).from(auditLog);
    const [i] = await db.select({ n: count() }).from(items);
    const [r] = await db.select({ n: count() }).from(requests);
    return { ledger: await ledgerSnapshot(db), audit: a!.n, items: i!.n, requests: r!.n };
  };
  const expect400 = (reply: Reply, key: string, field?: string) => {
    expect(reply.status, JSON.stringify(reply.body)).toBe(400);
    expect(reply.headers.get('content-type')).toBe('application/problem+json');
    expect(reply.body.type).toBe(`https://scorta.dev/problems/${key}`);
    if (field) expect(reply.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
  };

  it('refuses NUL and lone surrogates in bodies and queries, naming the field in the reader’s language, and writes nothing', async () => {
    const { h, call } = api;
    const before = await written();
    const receipt = (lotCode: string) => ({
      locationId: h.warehouse.id,
      lines: [{ itemId: h.gloves.id, lotCode, expiry: '2028-01-31', quantity: 5 }],
    });
    const nul = await call('POST', '/v1/movements/receipts', { as: 'warehouse', body: receipt('G\u0000') });
    expect400(nul, 'unsafe_text', 'lines.0.lotCode');
    expect(nul.body.detail).toBe(
      'Il testo in lines.0.lotCode contiene un carattere NUL o un surrogato spaiato: invia testo Unicode valido.',
    );
    const lone = await call('POST', '/v1/movements/receipts', {
      as: 'warehouse',
      headers: { 'accept-language': 'en' },
      body: { ...receipt('G-OK'), documentId: 'half \uD83D' },
    });
    expect400(lone, 'unsafe_text', 'documentId');
    expect(lone.body.detail).toMatch(/^The text in documentId contains a NUL character or an unpaired surrogate/);
    expect400(
      await call('POST', '/v1/items', {
        as: 'warehouse',
        body: { code: 'X1', name: 'a\uDC00', nameEn: 'a', categoryId: h.category.id, unit: 'pz' },
      }),
      'unsafe_text',
      'name',
    );
    expect400(
      await call('POST', '/v1/requests', {
        as: 'nurse',
        body: { destinationId: h.cardioStore.id, note: '\u0000', lines: [{ itemId: h.gloves.id, quantity: 1 }] },
      }),
      'unsafe_text',
      'note',
    );
    expect400Query(await call('GET', '/v1/items?q=a%00', { as: 'nurse' }));
    expect(await written()).toEqual(before);
  });
  const expect400Query = (reply: Reply) => expect400(reply, 'unsafe_text', 'q');

  it('answers malformed JSON, a wrong media type, deep nesting, huge numbers, bad dates and uuids with 400 problem+json', async () => {
    const { h, call } = api;
    const before = await written();
    const post = (body: string, headers: Record<string, string> = {}) =>
      call('POST', '/v1/movements/receipts', { as: 'warehouse', rawBody: body, headers });
    expect400(await post('{"locationId": '), 'validation');
    expect400(await post(''), 'validation');
    expect400(await post('locationId=x', { 'content-type': 'application/x-www-form-urlencoded' }), 'validation');
    expect400(await post('{}', { 'content-type': 'text/plain' }), 'validation');
    expect400(await post('['.repeat(100_000) + ']'.repeat(100_000)), 'validation');
    expect400(
      await post(
        `{"locationId":"${h.warehouse.id}","lines":[{"itemId":"${h.gloves.id}","lotCode":"L","quantity":1e400}]}`,
      ),
      'validation',
      'lines.0.quantity',
    );
    expect400(
      await post(
        `{"locationId":"${h.warehouse.id}","lines":[{"itemId":"${h.gloves.id}","lotCode":"L","quantity":123456789012345678901234567890}]}`,
      ),
      'validation',
      'lines.0.quantity',
    );
    expect400(
      await post(
        `{"locationId":"${h.warehouse.id}","lines":[{"itemId":"${h.gloves.id}","lotCode":"L","expiry":"2028-02-30","quantity":1}]}`,
      ),
      'validation',
      'lines.0.expiry',
    );
    expect400(
      await post(`{"locationId":"not-a-uuid","lines":[{"itemId":"${h.gloves.id}","lotCode":"L","quantity":1}]}`),
      'validation',
      'locationId',
    );
    expect400(await call('GET', '/v1/movements?since=2026-13-45T00:00:00Z', { as: 'warehouse' }), 'validation');
    expect(await written()).toEqual(before);
  });
});

describe('MCP tool input with NUL or lone surrogates', () => {
  let api: Api;
  let server: ReturnType<typeof serve>;
  let client: Client;
  beforeAll(async () => {
    api = await openApi('pglite');
    server = serve({ fetch: api.app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise((resolve) => server.once('listening', resolve));
    const token = (
      await createApiToken({
        ctx: api.h.sys,
        input: { userId: api.h.actors.nurse.userId, name: 'assistant', kind: 'assistant' },
      })
    ).token;
    client = new Client({ name: 'scorta-test', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`), {
        requestInit: { headers: { authorization: `Bearer ${token}` } },
      }),
    );
  });
  afterAll(async () => {
    await client?.close();
    await new Promise((resolve) => server.close(resolve));
    await api.close();
  });

  it('refuses them as a tool error in both languages and books no request or proposal', async () => {
    const { h } = api;
    const [before] = await api.t.db.select({ n: count() }).from(requests);
    const [proposalsBefore] = await api.t.db.select({ n: count() }).from(chatProposals);
    for (const [name, args] of [
      ['search_items', { q: 'siringa\u0000' }],
      [
        'emit_request',
        { destination_id: h.cardioStore.id, lines: [{ item_id: h.gloves.id, quantity: 1 }], note: 'x\uD800' },
      ],
      ['find_lot', { lot_code: 'G\u0000' }],
    ] as const) {
      const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
      expect(result.isError, name).toBe(true);
      const said = result.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');
      expect(said).toMatch(/NUL character or an unpaired surrogate/);
      expect(said).toMatch(/carattere NUL o un surrogato spaiato/);
    }
    const [after] = await api.t.db.select({ n: count() }).from(requests);
    expect(after!.n).toBe(before!.n);
    expect((await api.t.db.select({ n: count() }).from(chatProposals))[0]!.n).toBe(proposalsBefore!.n);
  });
});
