import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../api/access/tokens.ts';
import { createApp } from '../../app/create-app.ts';
import { localDate } from '../../api/core/time.ts';
import type { Database } from '../../db/client.ts';
import { FORBIDDEN, RESOURCE_NOT_FOUND } from '../../mcp/errors.ts';
import { mcpApp } from '../../mcp/http.ts';
import { openDatabase } from '../../server/database.ts';
import { drivers, openTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { today } from '../helpers/fixture.ts';
import { refusal, text, useGlovesInCardiology, type Result } from '../helpers/mcp.ts';
import { buildRequestsHospital, documentCounts, type RequestsHospital } from '../helpers/requests.ts';

const root = new URL('../..', import.meta.url).pathname;

/**
 * The requests hospital, plus 60 gloves of lot G-EARLY issued to Cardiology's store and 28 consumed there (W = 3.5 a
 * week).
 */
async function seed(db: Database) {
  const h = await buildRequestsHospital(db);
  await useGlovesInCardiology(h);
  const token = async (userId: string, name: string, kind: 'user' | 'assistant' = 'assistant') =>
    (await createApiToken({ ctx: h.sys, input: { userId, name, kind } })).token;
  return {
    h,
    nurseToken: await token(h.actors.nurse.userId!, 'Claude for the Cardiology nurse'),
    otherNurseToken: await token(h.actors.otherNurse.userId!, 'surgery', 'user'),
  };
}

interface Setup {
  client: Client;
  h: RequestsHospital;
  /** Requests in the database, when the test can see it (not while a stdio child holds PGlite). */
  requestCount?: () => Promise<number>;
  /** The server's clock (a stdio child runs on the real one). */
  now: () => Date;
}

const call = async (client: Client, name: string, args: Record<string, unknown>) =>
  (await client.callTool({ name, arguments: args })) as Result;
const readJson = async (client: Client, uri: string) =>
  JSON.parse(((await client.readResource({ uri })).contents[0] as { text: string }).text);

/** The same cases over every transport: a Cardiology nurse's assistant token. */
function cases(name: string, setup: () => Setup) {
  describe(name, () => {
    it('lists every tool with input and output schemas and annotations, the resources and the prompts', async () => {
      const { client } = setup();
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name).sort()).toEqual([
        'cancel_proposal',
        'confirm_proposal',
        'emit_request',
        'find_lot',
        'get_patient_supplies',
        'get_recall',
        'get_request',
        'get_stock',
        'list_alerts',
        'list_expiring_lots',
        'list_requests',
        'quarantine_lot',
        'recall_lot',
        'search_items',
        'trace_lot',
      ]);
      for (const tool of tools) {
        expect(tool.inputSchema.type).toBe('object');
        expect(tool.outputSchema?.type).toBe('object');
        expect(tool.description!.length).toBeGreaterThan(40);
      }
      const emit = tools.find((t) => t.name === 'emit_request')!;
      expect(emit.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: false });
      expect(emit.inputSchema.required).toEqual(['destination_id', 'lines']);
      const writes = ['emit_request', 'quarantine_lot', 'recall_lot', 'confirm_proposal', 'cancel_proposal'];
      for (const t of tools.filter((t) => !writes.includes(t.name)))
        expect(t.annotations).toMatchObject({ readOnlyHint: true, destructiveHint: false });
      expect((await client.listResources()).resources.map((r) => r.uri).sort()).toEqual([
        'scorta://items',
        'scorta://locations',
      ]);
      expect((await client.listResourceTemplates()).resourceTemplates.map((r) => r.uriTemplate)).toEqual([
        'scorta://lots/{lotId}/trace',
      ]);
      expect((await client.listPrompts()).prompts.map((p) => p.name).sort()).toEqual([
        'morning_stock_check',
        'prepare_recall',
      ]);
    });

    it('searches items in Italian, in English and by GTIN', async () => {
      const { client } = setup();
      expect(
        (await call(client, 'search_items', { q: 'nitrile gloves' })).structuredContent.data.map((i: any) => i.code),
      ).toEqual(['DM-GUA-M']);
      expect((await call(client, 'search_items', { q: 'siringa 10' })).structuredContent.data[0].code).toBe(
        'DM-SIR-10',
      );
      const byGtin = await call(client, 'search_items', { q: '8012345000012' });
      expect(byGtin.structuredContent.data[0]).toMatchObject({ code: 'DM-GUA-M', gtin: '08012345000012' });
      expect(JSON.parse(text(byGtin))).toEqual(byGtin.structuredContent);
    });

    it("gets a ward's stock with availability and days of cover, and a lot's stock wherever the nurse may look", async () => {
      const { client, h } = setup();
      const ward = await call(client, 'get_stock', { location_id: h.cardio.id });
      expect(ward.isError).toBeFalsy();
      expect(ward.structuredContent.totals).toEqual([
        expect.objectContaining({
          itemCode: 'DM-GUA-M',
          onHand: 32,
          available: 32,
          weeklyDemand: 3.5,
          daysOfCover: 64,
        }),
      ]);
      expect(ward.structuredContent.data.map((r: any) => [r.locationCode, r.lotCode, r.onHand])).toEqual([
        ['CARD-MR', 'G-EARLY', 32],
      ]);
      const lot = await call(client, 'get_stock', { lot_id: h.lots.glovesEarly.id });
      expect(lot.structuredContent.data.map((r: any) => [r.locationCode, r.onHand])).toEqual([
        ['CARD-MR', 32],
        ['MAG', 40],
      ]);
      expect(lot.structuredContent.totals[0].daysOfCover).toBeUndefined();
    });

    it('proposes a request that writes nothing, emits it once when confirmed, and lists it among the open ones', async () => {
      const { client, h, requestCount } = setup();
      const before = await requestCount?.();
      // Cardiology used 28 gloves (3.5 a week over 56 days): 50 is above its cap of 14, and proposes nothing.
      const above = await call(client, 'emit_request', {
        destination_id: h.cardio.id,
        lines: [{ item_id: h.gloves.id, quantity: 50 }],
      });
      expect(above.isError).toBe(true);
      expect(text(above)).toMatch(/^validation: 50 pz of DM-GUA-M .* at most 14 without an override\./);
      const args = {
        destination_id: h.cardio.id,
        urgency: 'urgent',
        lines: [
          { item_id: h.gloves.id, quantity: 12 },
          { item_id: h.drug.id, quantity: 5 },
        ],
        note: 'Scorte basse',
      };
      const proposed = await call(client, 'emit_request', args);
      expect(proposed.isError, text(proposed)).toBeFalsy();
      expect(proposed.structuredContent).toMatchObject({
        proposal: {
          action: 'request_items',
          summary: {
            destination: expect.stringContaining('(CARD)'),
            urgency: 'urgent',
            'line 1': expect.stringMatching(/^12 .* · DM-GUA-M · /),
            'line 2': expect.stringMatching(/^5 .* · FARM-PARA-1G · /),
          },
        },
        written: false,
      });
      expect(proposed.structuredContent.text.en).toMatch(
        /^I will emit a request for .* \(CARD\), urgency urgent: 12 .* DM-GUA-M .*, 5 .* FARM-PARA-1G .*Nothing has been written yet/,
      );
      expect(proposed.structuredContent.text.it).toMatch(/^Emetterò una richiesta per .* \(CARD\), urgenza urgente: /);
      expect(text(proposed)).toContain(`confirm_proposal with proposal_id ${proposed.structuredContent.proposal.id}`);
      if (requestCount) expect(await requestCount()).toBe(before);

      const proposal_id = proposed.structuredContent.proposal.id;
      const confirmed = await call(client, 'confirm_proposal', { proposal_id });
      expect(confirmed.isError, text(confirmed)).toBeFalsy();
      expect(confirmed.structuredContent).toMatchObject({
        status: 'confirmed',
        action: 'request_items',
        replayed: false,
        result: { reference: expect.stringMatching(/^RIC-/), status: 'submitted', destination: 'CARD-MR' },
      });
      const again = await call(client, 'confirm_proposal', { proposal_id });
      expect(again.structuredContent).toEqual({ ...confirmed.structuredContent, replayed: true });
      if (requestCount) expect(await requestCount()).toBe(before! + 1);

      const { requestId, reference } = confirmed.structuredContent.result;
      const status = await call(client, 'get_request', { request_id: requestId });
      expect(status.structuredContent).toMatchObject({
        number: reference,
        status: 'submitted',
        urgency: 'urgent',
        channel: 'mcp',
        lines: [
          { status: 'routed', outstanding: 12 },
          { status: 'routed', outstanding: 5 },
        ],
      });
      const open = await call(client, 'list_requests', { destination_id: h.cardio.id, status: 'open' });
      expect(open.structuredContent.data.filter((r: any) => r.number === reference)).toHaveLength(1);
      expect(open.structuredContent.data.every((r: any) => ['submitted', 'in_progress'].includes(r.status))).toBe(true);
      expect(
        (
          await call(client, 'list_requests', { destination_id: h.cardio.id, status: 'completed' })
        ).structuredContent.data.filter((r: any) => r.number === reference),
      ).toHaveLength(0);
    });

    it('traces a lot: holders with what they still hold, and its timeline', async () => {
      const { client, h } = setup();
      const trace = await call(client, 'trace_lot', { lot_id: h.lots.glovesEarly.id });
      expect(trace.structuredContent.lot).toMatchObject({
        lotCode: 'G-EARLY',
        expiry: '2027-01-31',
        status: 'available',
        item: { code: 'DM-GUA-M' },
      });
      expect(
        trace.structuredContent.holders.map((x: any) => [x.location.code, x.received, x.sent, x.consumed, x.onHand]),
      ).toEqual([
        ['MAG', 100, 60, 0, 40],
        ['CARD-MR', 60, 28, 28, 32],
      ]);
      expect(trace.structuredContent.totals).toEqual({
        received: 100,
        onHand: 72,
        consumed: 28,
        sold: 0,
        adjusted: 0,
        holdersWithStock: 2,
      });
      expect(
        trace.structuredContent.timeline.map((m: any) => [
          m.kind,
          m.quantity,
          m.from?.code ?? null,
          m.to?.code ?? null,
        ]),
      ).toEqual([
        ['receipt', 100, null, 'MAG'],
        ['issue', 60, 'MAG', 'CARD-MR'],
        ['consumption', 28, 'CARD-MR', null],
      ]);
    });

    it('lists what expires within a horizon: the core read the API answers with', async () => {
      const { client, now, h } = setup();
      const soon = await call(client, 'list_expiring_lots', { within_days: 90 });
      expect(soon.isError, text(soon)).toBeFalsy();
      expect(soon.structuredContent.today).toBe(localDate(now()));
      expect([...new Set(soon.structuredContent.data.map((r: any) => r.lot.lotCode))]).toEqual(['G-EARLY']);
      // Without a location, the nurse's own stock; a warehouse is open to read when named.
      expect(
        (await call(client, 'list_expiring_lots', { within_days: 130 })).structuredContent.data.map((r: any) => [
          r.location.code,
          r.lot.lotCode,
        ]),
      ).toEqual([['CARD-MR', 'G-EARLY']]);
      const warehouse = (await call(client, 'list_expiring_lots', { within_days: 130, location_id: h.warehouse.id }))
        .structuredContent.data;
      expect(warehouse.map((r: any) => [r.location.code, r.lot.lotCode])).toEqual([
        ['MAG', 'G-EARLY'],
        ['MAG', 'S-1'],
      ]);
      expect(warehouse.every((r: any) => r.daysLeft <= 130 && r.quantity > 0)).toBe(true);
    });

    it('answers bad arguments with a tool error naming the field', async () => {
      const { client, h } = setup();
      const badId = await call(client, 'emit_request', {
        destination_id: h.cardio.id,
        lines: [{ item_id: 'guanti', quantity: 5 }],
      });
      expect(badId.isError).toBe(true);
      expect(text(badId)).toMatch(/lines/);
      expect(text(badId)).toMatch(/item_id/);
      const unknown = await call(client, 'emit_request', {
        destination_id: h.cardio.id,
        lines: [{ item_id: '00000000-0000-4000-8000-000000000000', quantity: 5 }],
      });
      expect(unknown.isError).toBe(true);
      expect(text(unknown)).toMatch(/^not_found: item 00000000-0000-4000-8000-000000000000 does not exist\./);
      const missing = await call(client, 'get_request', { request_id: '00000000-0000-4000-8000-000000000000' });
      expect(missing.isError).toBe(true);
      expect(text(missing)).toContain('not_found');
    });

    it('refuses another ward with a protocol error, and writes nothing', async () => {
      const { client, h, requestCount } = setup();
      const before = await requestCount?.();
      const stock = await refusal(call(client, 'get_stock', { location_id: h.surgery.id }));
      expect(stock.code).toBe(FORBIDDEN);
      expect(stock.data).toEqual({ code: 'forbidden', action: 'stock.read' });
      const emit = await refusal(
        call(client, 'emit_request', { destination_id: h.surgery.id, lines: [{ item_id: h.gloves.id, quantity: 5 }] }),
      );
      expect(emit.code).toBe(FORBIDDEN);
      if (requestCount) expect(await requestCount()).toBe(before);
      expect((await call(client, 'list_requests', { destination_id: h.cardio.id })).isError).toBeFalsy();
      expect((await refusal(call(client, 'list_requests', { destination_id: h.surgery.id }))).code).toBe(FORBIDDEN);
    });

    it("reads the catalogue, the location tree and a lot's trace as resources", async () => {
      const { client, h } = setup();
      const items = await readJson(client, 'scorta://items');
      expect(items.data.map((i: any) => i.code)).toEqual(['DM-GUA-M', 'DM-SIR-10', 'DM-STENT-3', 'FARM-PARA-1G']);
      const { tree } = await readJson(client, 'scorta://locations');
      const cardio = tree.find((n: any) => n.code === 'CARD');
      expect(cardio.children.map((n: any) => [n.code, n.children.map((c: any) => c.code)])).toEqual([
        ['CARD-MR', ['CARD-ARM1']],
      ]);
      const trace = await readJson(client, `scorta://lots/${h.lots.glovesEarly.id}/trace`);
      expect(trace.totals.onHand).toBe(72);
      const missing = await refusal(
        client.readResource({ uri: 'scorta://lots/00000000-0000-4000-8000-000000000000/trace' }),
      );
      expect(missing.code).toBe(RESOURCE_NOT_FOUND);
    });

    it('offers the morning stock check and the recall preparation as prompts', async () => {
      const { client } = setup();
      const morning = await client.getPrompt({ name: 'morning_stock_check', arguments: { ward: 'CARD' } });
      const body = (morning.messages[0]!.content as { text: string }).text;
      expect(body).toContain('"CARD"');
      for (const tool of ['get_stock', 'list_expiring_lots', 'list_requests', 'emit_request'])
        expect(body).toContain(tool);
      const recall = await client.getPrompt({ name: 'prepare_recall', arguments: { lot: 'G-EARLY' } });
      for (const tool of ['trace_lot', 'recall_lot', 'get_recall'])
        expect((recall.messages[0]!.content as { text: string }).text).toContain(tool);
    });
  });
}

describe.each(drivers)('MCP over Streamable HTTP on %s', (driver) => {
  let t: TestDatabase;
  let http: ServerType;
  let base: string;
  const state = {} as Setup & { otherNurseToken: string };

  beforeAll(async () => {
    t = await openTestDatabase(driver);
    const { h, nurseToken, otherNurseToken } = await seed(t.db);
    const app = createApp({ db: t.db, now: () => today });
    app.route('/mcp', mcpApp({ db: t.db, now: () => today }));
    http = await new Promise<ServerType>((resolve) => {
      const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(server));
    });
    base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
    state.client = new Client({ name: 'scorta-test', version: '1.0.0' });
    await state.client.connect(
      new StreamableHTTPClientTransport(new URL(`${base}/mcp`), {
        requestInit: { headers: { authorization: `Bearer ${nurseToken}` } },
      }),
    );
    Object.assign(state, {
      h,
      otherNurseToken,
      now: () => today,
      requestCount: async () => (await documentCounts(t.db)).requests,
    });
  });
  afterAll(async () => {
    await state.client?.close();
    await new Promise((resolve) => http?.close(resolve));
    await t?.close();
  });

  cases('tools, resources and prompts', () => state);

  it('refuses a request without a valid token with 401, before any MCP', async () => {
    const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' });
    const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
    const none = await fetch(`${base}/mcp`, { method: 'POST', headers, body });
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer /);
    const wrong = await fetch(`${base}/mcp`, {
      method: 'POST',
      headers: { ...headers, authorization: 'Bearer sct_nope' },
      body,
    });
    expect(wrong.status).toBe(401);
    expect((await wrong.json()).error.message).toMatch(/unknown, revoked or expired/);
    expect((await fetch(`${base}/mcp`, { headers })).status).toBe(405);
  });

  it("shows a request only to its ward: another ward's nurse gets a protocol error", async () => {
    const [request] = (await call(state.client, 'list_requests', { destination_id: state.h.cardio.id, status: 'open' }))
      .structuredContent.data;
    const other = new Client({ name: 'scorta-test-surgery', version: '1.0.0' });
    await other.connect(
      new StreamableHTTPClientTransport(new URL(`${base}/mcp`), {
        requestInit: { headers: { authorization: `Bearer ${state.otherNurseToken}` } },
      }),
    );
    try {
      expect((await refusal(call(other, 'get_request', { request_id: request.id }))).code).toBe(FORBIDDEN);
    } finally {
      await other.close();
    }
  });
});

// The fixture lives on `today`; the stdio child is started on that day too (SCORTA_CLOCK), so its expiry
// dates and 56-day consumption window read the same truth whatever the real date.
describe('MCP over stdio (npx scorta-mcp) on pglite', () => {
  const dir = mkdtempSync(join(tmpdir(), 'scorta-mcp-'));
  const state = {} as Setup;
  let stderr = '';

  beforeAll(async () => {
    const dataDir = join(dir, 'pglite');
    const opened = await openDatabase({ dataDir });
    const { h, nurseToken } = await seed(opened.db);
    await opened.close();
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [join(root, 'bin/scorta-mcp.mjs')],
      cwd: root,
      env: {
        PATH: process.env.PATH ?? '',
        SCORTA_TOKEN: nurseToken,
        SCORTA_DATA_DIR: dataDir,
        SCORTA_CLOCK: today.toISOString(),
        TZ: 'UTC',
      },
      stderr: 'pipe',
    });
    transport.stderr?.on('data', (chunk) => (stderr += String(chunk)));
    state.client = new Client({ name: 'scorta-test', version: '1.0.0' });
    await state.client.connect(transport);
    state.h = h;
    const started = Date.now();
    state.now = () => new Date(today.getTime() + (Date.now() - started));
  }, 120_000);
  afterAll(async () => {
    await state.client?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  cases('tools, resources and prompts', () => state);

  it('logs to stderr only, saying who it acts for', () => {
    expect(stderr).toMatch(/Scorta MCP server on stdio \(pglite\), acting as user .* through an assistant token/);
  });
});
