import { count, eq } from 'drizzle-orm';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../api/access/tokens.ts';
import { receiveGoods } from '../../api/stock/receive-goods.ts';
import { createConversation } from '../../bot/conversation.ts';
import { auditLog, chatProposals, wardRequests } from '../../db/schema/index.ts';
import { drivers } from '../helpers/database.ts';
import { contextFor, today } from '../helpers/fixture.ts';
import { connectMcp, openApi, type Api, type Reply } from './api-client.ts';
import { useSyringesInCardiology } from '../helpers/stock-moves.ts';

/**
 * The rules of a person's request (destination kind, quantity cap, audited override) live in the request
 * core: the API, MCP and the chat refuse the same request with the same sentence, and write nothing.
 */
describe.each(drivers)('request rules on every channel (%s)', (driver) => {
  let api: Api;
  const written = async () => ({
    requests: (await api.t.db.select({ n: count() }).from(wardRequests))[0]!.n,
    proposals: (await api.t.db.select({ n: count() }).from(chatProposals))[0]!.n,
  });
  const problem = (reply: Reply, status: number, key: string) => {
    expect(reply.status, JSON.stringify(reply.body)).toBe(status);
    expect(reply.headers.get('content-type')).toBe('application/problem+json');
    expect(reply.body.type).toBe(`https://scorta.dev/problems/${key}`);
  };

  beforeAll(async () => {
    api = await openApi(driver);
    const { h } = api;
    // Cardiology used 8 syringes a week for the last four weeks: W = 32 / 8 = 4 a week over 56 days, cap 16.
    await receiveGoods({
      ctx: contextFor(api.t.db, h.actors.warehouse),
      input: {
        locationId: h.warehouse.id,
        lines: [{ itemId: h.syringe.id, lotCode: 'S-RULES', expiry: '2028-01-31', quantity: 100 }],
      },
    });
    await useSyringesInCardiology(api.t.db, h);
  }, 60_000);
  afterAll(() => api?.close());

  it('refuses a request to a warehouse or a pharmacy over HTTP, writing nothing', async () => {
    const { call, h } = api;
    const before = await written();
    for (const destination of [h.warehouse, h.pharmacy]) {
      const reply = await call('POST', '/v1/requests', {
        as: 'admin',
        headers: { 'accept-language': 'en' },
        body: { destinationId: destination.id, lines: [{ itemId: h.gloves.id, quantity: 10 }] },
      });
      problem(reply, 400, 'destination_not_orderable');
      expect(reply.body.detail).toContain(`not to ${destination.name} (${destination.code})`);
      expect(reply.body.errors.map((e: { field: string }) => e.field)).toEqual(['destinationId']);
    }
    expect(await written()).toEqual(before);
  });

  it('caps a line at 4 weeks of the usual consumption, and at 5 packs without consumption', async () => {
    const { call, h } = api;
    const before = await written();
    const above = await call('POST', '/v1/requests', {
      as: 'nurse',
      headers: { 'accept-language': 'it' },
      body: {
        destinationId: h.cardio.id,
        lines: [
          { itemId: h.gloves.id, quantity: 10 },
          { itemId: h.syringe.id, quantity: 17 },
        ],
      },
    });
    problem(above, 400, 'quantity_above_usual');
    expect(above.body.detail).toBe(
      '17 pz di DM-SIR-10 · Siringa monouso 10 ml sono più di 4 volte il consumo abituale di Cardiologia (4 pz a settimana negli ultimi 56 giorni): al massimo 16 senza una deroga.',
    );
    expect(above.body.errors.map((e: { field: string }) => e.field)).toEqual(['lines.1.quantity']);
    // Gloves (packs of 100) never used in Cardiology: at most 5 packs.
    const unused = await call('POST', '/v1/requests', {
      as: 'nurse',
      headers: { 'accept-language': 'en' },
      body: { destinationId: h.cardio.id, lines: [{ itemId: h.gloves.id, quantity: 501 }] },
    });
    problem(unused, 400, 'quantity_above_usual_no_history');
    expect(unused.body.detail).toContain('at most 500 (5 packs) without an override');
    expect(await written()).toEqual(before);

    const within = await call('POST', '/v1/requests', {
      as: 'nurse',
      body: {
        destinationId: h.cardio.id,
        lines: [
          { itemId: h.gloves.id, quantity: 500 },
          { itemId: h.syringe.id, quantity: 16 },
        ],
      },
    });
    expect(within.status, JSON.stringify(within.body)).toBe(201);
  });

  it("lets an admin exceed the cap with a reason, audited; a nurse or an admin's assistant may not override", async () => {
    const { call, h } = api;
    const body = {
      destinationId: h.cardio.id,
      lines: [{ itemId: h.syringe.id, quantity: 40 }],
      override: { reason: 'Apertura di 6 letti aggiuntivi' },
    };
    const before = await written();
    problem(await call('POST', '/v1/requests', { as: 'nurse', body }), 403, 'forbidden');
    const assistant = (
      await createApiToken({
        ctx: h.sys,
        input: { userId: h.actors.admin.userId!, name: 'assistant', kind: 'assistant' },
      })
    ).token;
    problem(await call('POST', '/v1/requests', { token: assistant, body }), 403, 'forbidden_assistant');
    expect(await written()).toEqual(before);

    const done = await call('POST', '/v1/requests', { as: 'admin', body });
    expect(done.status, JSON.stringify(done.body)).toBe(201);
    const [entry] = await api.t.db.select().from(auditLog).where(eq(auditLog.action, 'requests.exceed_cap'));
    expect(entry).toMatchObject({
      entityId: done.body.id,
      actorId: h.actors.admin.userId,
      detail: {
        reason: 'Apertura di 6 letti aggiuntivi',
        lines: [{ line: 0, itemId: h.syringe.id, quantity: 40, max: 16 }],
      },
    });
  });

  it('refuses over MCP with the same sentence as the API, proposing nothing', async () => {
    const { app, call, h, tokens } = api;
    const client = await connectMcp(app, tokens.nurse);
    try {
      const before = await written();
      const mcp = (await client.callTool({
        name: 'emit_request',
        arguments: { destination_id: h.cardio.id, lines: [{ item_id: h.syringe.id, quantity: 17 }] },
      })) as CallToolResult;
      const http = await call('POST', '/v1/requests', {
        as: 'nurse',
        headers: { 'accept-language': 'en' },
        body: { destinationId: h.cardio.id, lines: [{ itemId: h.syringe.id, quantity: 17 }] },
      });
      expect(mcp.isError).toBe(true);
      const first = (mcp.content[0] as { text: string }).text.split('\n')[0];
      expect(first).toBe(`validation: ${http.body.detail}`);
      expect(await written()).toEqual(before);
    } finally {
      await client.close();
    }
  });

  it('refuses in chat with the same sentence as the API, proposing nothing', async () => {
    const { call, h } = api;
    const conversation = createConversation({ db: api.t.db, now: () => today });
    const speaker = { actor: { ...h.actors.nurse, channel: 'slack' as const }, locale: 'it' as const };
    const before = await written();
    const chat = await conversation.handle(speaker, 'ordina 17 siringhe da 10 ml per cardiologia');
    const http = await call('POST', '/v1/requests', {
      as: 'nurse',
      headers: { 'accept-language': 'it' },
      body: { destinationId: h.cardio.id, lines: [{ itemId: h.syringe.id, quantity: 17 }] },
    });
    expect(chat.kind).toBe('refusal');
    expect(chat.text.startsWith(http.body.detail)).toBe(true);
    expect(chat.text).toContain('Non ho ordinato niente');
    const store = await conversation.handle({ ...speaker, locale: 'en' }, 'order 10 M gloves for the warehouse');
    expect(store.kind === 'refusal' || store.kind === 'question').toBe(true);
    expect(await written()).toEqual(before);
  });
});
