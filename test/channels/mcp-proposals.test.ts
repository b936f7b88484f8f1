import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { ElicitRequestSchema, type ElicitResult, type Tool } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../api/access/tokens.ts';
import { createApp } from '../../app/create-app.ts';
import { Quantity } from '../../api/stock/schemas.ts';
import { chatProposals } from '../../db/schema/index.ts';
import { mcpApp } from '../../mcp/http.ts';
import { createScortaServer } from '../../mcp/server.ts';
import { drivers, openTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { today } from '../helpers/fixture.ts';
import { text, type Result } from '../helpers/mcp.ts';
import { buildRequestsHospital, documentCounts, type RequestsHospital } from '../helpers/requests.ts';
import { issueBetween } from '../helpers/stock-moves.ts';

const hints = ['readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint'] as const;

/**
 * The MCP Inspector's tool-schema portability rules (its `tools/list` report): no `type` arrays, no schema that
 * constrains nothing (`{}`), no bare boolean schema outside the keywords that take one, no remote `$ref`.
 */
function portabilityFindings(tool: Tool): string[] {
  const found: string[] = [];
  const booleanKeywords = ['additionalProperties', 'unevaluatedProperties', 'additionalItems', 'unevaluatedItems'];
  const constrainingKeywords = [
    'type',
    'enum',
    'const',
    'multipleOf',
    'maximum',
    'exclusiveMaximum',
    'minimum',
    'exclusiveMinimum',
    'maxLength',
    'minLength',
    'pattern',
    'format',
    'contentMediaType',
    'contentEncoding',
    'contentSchema',
    'maxItems',
    'minItems',
    'uniqueItems',
    'maxContains',
    'minContains',
    'maxProperties',
    'minProperties',
    'required',
    'dependentRequired',
    'allOf',
    'anyOf',
    'oneOf',
    'not',
    'items',
    'prefixItems',
    'contains',
    'additionalItems',
    'unevaluatedItems',
    'properties',
    'patternProperties',
    'additionalProperties',
    'unevaluatedProperties',
    'propertyNames',
    'dependentSchemas',
    'dependencies',
    '\\$ref',
    '\\$dynamicRef',
    '\\$recursiveRef',
  ];
  const constraining = new RegExp(`^(${constrainingKeywords.join('|')})$`);
  const walk = (node: unknown, path: string, keyword?: string): void => {
    if (typeof node === 'boolean') {
      if (!keyword || !booleanKeywords.includes(keyword)) found.push(`${path}: bare boolean schema`);
      return;
    }
    if (typeof node !== 'object' || node === null || Array.isArray(node)) return;
    const n = node as Record<string, unknown>;
    if (Array.isArray(n.type)) found.push(`${path}: type array ${JSON.stringify(n.type)}`);
    if (typeof n.$ref === 'string' && !n.$ref.startsWith('#')) found.push(`${path}: remote $ref`);
    if (keyword !== 'not' && !Object.keys(n).some((k) => constraining.test(k)))
      found.push(`${path}: constrains nothing`);
    for (const key of ['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas', 'dependencies']) {
      if (n[key] && typeof n[key] === 'object')
        for (const [k, v] of Object.entries(n[key] as object)) walk(v, `${path}.${key}.${k}`, key);
    }
    for (const key of ['allOf', 'anyOf', 'oneOf', 'prefixItems'])
      if (Array.isArray(n[key]))
        for (const [i, v] of (n[key] as unknown[]).entries()) walk(v, `${path}.${key}[${i}]`, key);
    for (const key of [
      'items',
      'contains',
      'not',
      'propertyNames',
      'if',
      'then',
      'else',
      'additionalProperties',
      'unevaluatedProperties',
      'additionalItems',
      'unevaluatedItems',
    ]) {
      if (key in n) walk(n[key], `${path}.${key}`, key);
    }
  };
  walk(tool.inputSchema, `${tool.name}.inputSchema`);
  if (tool.outputSchema) walk(tool.outputSchema, `${tool.name}.outputSchema`);
  return found;
}

describe.each(drivers)('MCP proposals, new tools and tool schemas over Streamable HTTP on %s', (driver) => {
  let t: TestDatabase;
  let http: ServerType;
  let h: RequestsHospital;
  const clients: Client[] = [];
  const as = {} as Record<
    'nurse' | 'nurseLater' | 'otherNurse' | 'warehouse',
    (name: string, args: Record<string, unknown>) => Promise<Result>
  >;
  const proposalCount = async () => (await t.db.select().from(chatProposals)).length;

  beforeAll(async () => {
    t = await openTestDatabase(driver);
    h = await buildRequestsHospital(t.db);
    // G-EARLY: 40 at the warehouse, 50 in Cardiology's store, 10 in Surgery (a ward the Cardiology nurse may not read).
    await issueBetween(h.sys, h.warehouse.id, h.cardioStore.id, [
      { itemId: h.gloves.id, lotId: h.lots.glovesEarly.id, quantity: 50 },
    ]);
    await issueBetween(h.sys, h.warehouse.id, h.surgery.id, [
      { itemId: h.gloves.id, lotId: h.lots.glovesEarly.id, quantity: 10 },
    ]);

    const app = createApp({ db: t.db, now: () => today });
    app.route('/mcp', mcpApp({ db: t.db, now: () => today }));
    // The same server sixteen minutes later: past a proposal's default 15-minute life.
    app.route('/mcp-later', mcpApp({ db: t.db, now: () => new Date(today.getTime() + 16 * 60_000) }));
    http = await new Promise<ServerType>((resolve) => {
      const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(server));
    });
    const base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
    const users = {
      nurse: [h.actors.nurse, '/mcp'],
      nurseLater: [h.actors.nurse, '/mcp-later'],
      otherNurse: [h.actors.otherNurse, '/mcp'],
      warehouse: [h.actors.warehouse, '/mcp'],
    } as const;
    for (const [key, [actor, path]] of Object.entries(users) as [
      keyof typeof users,
      (typeof users)[keyof typeof users],
    ][]) {
      const { token } = await createApiToken({
        ctx: h.sys,
        input: { userId: actor.userId!, name: `assistant ${key}`, kind: 'assistant' },
      });
      const client = new Client({ name: `scorta-test-${key}`, version: '1.0.0' });
      await client.connect(
        new StreamableHTTPClientTransport(new URL(`${base}${path}`), {
          requestInit: { headers: { authorization: `Bearer ${token}` } },
        }),
      );
      clients.push(client);
      as[key] = async (name, args) => (await client.callTool({ name, arguments: args })) as Result;
    }
  }, 60_000);
  afterAll(async () => {
    for (const client of clients) await client.close();
    await new Promise((resolve) => http?.close(resolve));
    await t?.close();
  });

  const propose = async () => {
    const result = await as.nurse('emit_request', {
      destination_id: h.cardio.id,
      lines: [{ item_id: h.syringe.id, quantity: 12 }],
    });
    expect(result.isError, text(result)).toBeFalsy();
    return result.structuredContent.proposal.id as string;
  };

  it('sets all four annotations on every tool: reads read-only, proposals neither read-only nor destructive, confirmation destructive', async () => {
    const { tools } = await clients[0]!.listTools();
    for (const tool of tools)
      for (const hint of hints) expect(typeof tool.annotations?.[hint], `${tool.name} ${hint}`).toBe('boolean');
    const annotations = (name: string) => tools.find((x) => x.name === name)!.annotations;
    for (const name of ['emit_request', 'quarantine_lot', 'recall_lot'])
      expect(annotations(name)).toMatchObject({ readOnlyHint: false, destructiveHint: false });
    expect(annotations('confirm_proposal')).toMatchObject({
      readOnlyHint: false,
      destructiveHint: true,
      idempotentHint: true,
    });
    expect(annotations('cancel_proposal')).toMatchObject({
      readOnlyHint: false,
      destructiveHint: false,
      idempotentHint: true,
    });
    for (const name of ['find_lot', 'list_requests', 'list_alerts', 'search_items', 'get_stock', 'trace_lot'])
      expect(annotations(name)).toMatchObject({ readOnlyHint: true, destructiveHint: false });
  });

  it("derives emit_request's schema from the core: the quantity maximum is the core's, and a larger one proposes nothing", async () => {
    const { tools } = await clients[0]!.listTools();
    const emit = tools.find((x) => x.name === 'emit_request')!;
    const lines = (emit.inputSchema.properties as any).lines;
    expect(Quantity.maxValue).toBeGreaterThan(0);
    expect(lines.items.properties.quantity).toMatchObject({ type: 'integer', maximum: Quantity.maxValue });
    expect(lines.items.required).toEqual(['item_id', 'quantity']);
    expect(lines.maxItems).toBe(200);
    expect(Object.keys(emit.inputSchema.properties!).sort()).toEqual([
      'destination_id',
      'lines',
      'needed_by',
      'note',
      'urgency',
    ]);
    const before = await proposalCount();
    const tooMany = await as.nurse('emit_request', {
      destination_id: h.cardio.id,
      lines: [{ item_id: h.gloves.id, quantity: Quantity.maxValue! + 1 }],
    });
    expect(tooMany.isError).toBe(true);
    expect(text(tooMany)).toMatch(/quantity/);
    expect(await proposalCount()).toBe(before);
  });

  it("emits tool schemas every client reads the same (the Inspector's portability rules)", async () => {
    const { tools } = await clients[0]!.listTools();
    expect(tools).toHaveLength(15);
    expect(tools.flatMap(portabilityFindings)).toEqual([]);
    // A nullable field is still nullable, spelled as one type per branch.
    const lot = (tools.find((x) => x.name === 'find_lot')!.outputSchema as any).properties.data.items.properties.expiry;
    expect(lot.anyOf).toEqual([{ type: 'string' }, { type: 'null' }]);
  });

  it("refuses another user's proposal as unknown, and it stays theirs to confirm", async () => {
    const id = await propose();
    const before = await documentCounts(t.db);
    const confirm = await as.otherNurse('confirm_proposal', { proposal_id: id });
    expect(confirm.isError).toBe(true);
    expect(text(confirm)).toMatch(new RegExp(`^not_found: Proposal ${id} does not exist or is not yours to decide`));
    expect((await as.otherNurse('cancel_proposal', { proposal_id: id })).isError).toBe(true);
    expect(await documentCounts(t.db)).toEqual(before);
    const mine = await as.nurse('confirm_proposal', { proposal_id: id });
    expect(mine.structuredContent).toMatchObject({ status: 'confirmed', replayed: false });
    expect((await documentCounts(t.db)).requests).toBe(before.requests + 1);
  });

  it('cancels a proposal: nothing is written, and it can no longer be confirmed', async () => {
    const id = await propose();
    const before = await documentCounts(t.db);
    const cancelled = await as.nurse('cancel_proposal', { proposal_id: id });
    expect(cancelled.structuredContent).toMatchObject({ status: 'cancelled', replayed: false, result: null });
    expect((await as.nurse('cancel_proposal', { proposal_id: id })).structuredContent).toMatchObject({
      status: 'cancelled',
      replayed: true,
    });
    const late = await as.nurse('confirm_proposal', { proposal_id: id });
    expect(late.isError).toBe(true);
    expect(text(late)).toMatch(/^conflict: This proposal was already cancelled/);
    expect(await documentCounts(t.db)).toEqual(before);
  });

  it('refuses to confirm an expired proposal and writes nothing', async () => {
    const id = await propose();
    const before = await documentCounts(t.db);
    const late = await as.nurseLater('confirm_proposal', { proposal_id: id });
    expect(late.isError).toBe(true);
    expect(text(late)).toMatch(/^precondition_failed: This proposal expired: ask again\./);
    expect(text(late)).toContain('(it) Questa proposta è scaduta');
    expect(await documentCounts(t.db)).toEqual(before);
  });

  it('refuses a proposal for a lot that does not exist, before recording anything', async () => {
    const before = await proposalCount();
    const unknown = await as.warehouse('quarantine_lot', {
      lot_id: '00000000-0000-4000-8000-000000000000',
      reason: 'Avviso',
    });
    expect(text(unknown)).toMatch(/^not_found: lot 00000000-0000-4000-8000-000000000000/);
    expect(await proposalCount()).toBe(before);
  });

  it('finds a lot by its code: status, expiry and where it is held, other wards as totals only', async () => {
    const found = await as.nurse('find_lot', { lot_code: 'G-EARLY' });
    expect(found.isError, text(found)).toBeFalsy();
    const [lot] = found.structuredContent.data;
    expect(found.structuredContent.data).toHaveLength(1);
    expect(lot).toMatchObject({
      id: h.lots.glovesEarly.id,
      lotCode: 'G-EARLY',
      expiry: '2027-01-31',
      status: 'available',
      item: { code: 'DM-GUA-M' },
      onHand: 100,
    });
    expect(lot.heldAt.map((x: any) => [x.location.code, x.onHand, x.detail]).sort()).toEqual([
      ['CARD-MR', 50, 'full'],
      ['CHIR', 10, 'totals'],
      ['MAG', 40, 'full'],
    ]);
    const byItem = await as.nurse('find_lot', { lot_code: 'G-EARLY', item_id: h.syringe.id });
    expect(text(byItem)).toMatch(/^not_found: lot G-EARLY/);
    const blank = await as.nurse('find_lot', { lot_code: '' });
    expect(blank.isError).toBe(true);
    expect(text(blank)).toContain('lot_code');
  });

  it('asks a client that can ask its user (elicitation) yes or no, and applies the answer in the same call', async () => {
    // A session that stays open (as over stdio), here in memory: the client declares form elicitation.
    const server = createScortaServer({
      db: t.db,
      actor: { ...h.actors.nurse, channel: 'mcp', via: 'assistant' },
      now: () => today,
    });
    const client = new Client(
      { name: 'scorta-test-elicit', version: '1.0.0' },
      { capabilities: { elicitation: { form: {} } } },
    );
    const asked: string[] = [];
    let answer: ElicitResult = { action: 'accept', content: { confirm: true } };
    client.setRequestHandler(ElicitRequestSchema, async (request) => {
      asked.push(request.params.message);
      return answer;
    });
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await Promise.all([server.connect(serverSide), client.connect(clientSide)]);
    try {
      const args = { destination_id: h.cardio.id, lines: [{ item_id: h.gloves.id, quantity: 7 }] };
      const before = await documentCounts(t.db);
      const yes = (await client.callTool({ name: 'emit_request', arguments: args })) as Result;
      expect(yes.isError, text(yes)).toBeFalsy();
      expect(asked[0]).toMatch(
        /^I will emit a request for .* \(CARD\), urgency normal: 7 .* DM-GUA-M .*\n\(it\) Emetterò una richiesta/,
      );
      expect(yes.structuredContent).toMatchObject({
        written: true,
        decision: {
          status: 'confirmed',
          result: { reference: expect.stringMatching(/^RIC-/), destination: 'CARD-MR' },
        },
      });
      expect((await documentCounts(t.db)).requests).toBe(before.requests + 1);

      answer = { action: 'accept', content: { confirm: false } };
      const no = (await client.callTool({ name: 'emit_request', arguments: args })) as Result;
      expect(no.structuredContent).toMatchObject({ written: false, decision: { status: 'cancelled', result: null } });
      answer = { action: 'decline' };
      const declined = (await client.callTool({ name: 'emit_request', arguments: args })) as Result;
      expect(declined.structuredContent).toMatchObject({ written: false, decision: { status: 'cancelled' } });
      expect((await documentCounts(t.db)).requests).toBe(before.requests + 1);
      expect(asked).toHaveLength(3);
      // The answer is checked: anything but a yes or no is refused and nothing is written.
      answer = { action: 'accept', content: { confirm: 'yes please' } };
      await client.callTool({ name: 'emit_request', arguments: args });
      expect((await documentCounts(t.db)).requests).toBe(before.requests + 1);
    } finally {
      await client.close();
      await server.close();
    }
  });
});
