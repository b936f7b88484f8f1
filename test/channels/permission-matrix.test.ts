import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { McpError, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../api/access/tokens.ts';
import { createUser } from '../../api/access/users.ts';
import { createApp } from '../../app/create-app.ts';
import { permissions, type PermissionName, type Reach } from '../../api/auth/permissions.ts';
import { withTransaction } from '../../api/core/context.ts';
import { transitLocation } from '../../api/locations/transit.ts';
import { receiveGoods } from '../../api/stock/receive-goods.ts';
import { moveStock } from '../../api/stock/move-stock.ts';
import { issueStock, returnStock, transferStock } from '../../api/stock/issue-stock.ts';
import { recordConsumption } from '../../api/stock/record-consumption.ts';
import { FORBIDDEN } from '../../mcp/errors.ts';
import { mcpApp } from '../../mcp/http.ts';
import { drivers, openTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { buildHospital, today, type Hospital } from '../helpers/fixture.ts';
import { rows } from '../helpers/ledger.ts';
import {
  expectAt,
  expectMove,
  foreign,
  kindOf,
  placesOf,
  users,
  type Outcome,
  type Place,
  type Who,
} from '../helpers/matrix.ts';

/**
 * The permission matrix, generated from the permission table: every write action × every role × own location,
 * another location of the organisation, a location of another organisation (and, for moves, each source × each
 * destination: own subtree, another ward, the stores, a patient's home, in-transit, another organisation),
 * through HTTP with real tokens and through MCP with the real SDK client. The expectation is derived from the
 * table's data (roles, `ledger`, `to`, `assistants`) and the fixture's scopes written out in helpers/matrix.ts, never
 * from `can` itself. The users: every role, a user whose only role is `assistant`, and an admin's assistant token.
 * A refusal is 403 problem+json (404 for another organisation's location, not revealed) and writes nothing.
 */

/** Every matrix user but the ward's admin (its organisation-level cells are in permission-matrix-flows.test.ts). */
const everyone = (Object.keys(users) as Who[]).filter((w) => w !== 'wardAdmin');

const moves = {
  'stock.issue': '/v1/movements/issues',
  'stock.transfer': '/v1/movements/transfers',
  'stock.return': '/v1/movements/returns',
} as const;
const destinations: Place[] = [
  'warehouse',
  'pharmacy',
  'cardioStore',
  'cabinet',
  'surgery',
  'home',
  'transit',
  'otherStore',
];
/**
 * Sources per user: its own place, a place of the organisation outside its scope (or inside, for organisation-wide
 * roles), another organisation's.
 */
const sourcesOf = (who: Who): Place[] => [
  users[who].own,
  users[who].own === 'surgery' ? 'cardioStore' : 'surgery',
  'otherStore',
];
const singlePlaces: Place[] = [
  'warehouse',
  'pharmacy',
  'cardio',
  'cardioStore',
  'cabinet',
  'surgery',
  'homeCare',
  'home',
  'transit',
  'otherStore',
];
const requestPlaces: Place[] = ['cardioStore', 'cabinet', 'surgery', 'home', 'otherStore'];

/**
 * The movements each user tries to reverse: [source, destination] of a movement posted beforehand (null: a receipt or a
 * consumption).
 */
const reversible: Array<[Place | null, Place | null]> = [
  ['warehouse', 'cardioStore'],
  ['cardioStore', 'cabinet'],
  ['cardioStore', 'warehouse'],
  ['warehouse', 'home'],
  ['warehouse', 'transit'],
  ['transit', 'cardioStore'],
  [null, 'pharmacy'],
  ['cabinet', null],
  [null, 'otherStore'],
];
function expectReversal(who: Who, from: Place | null, to: Place | null): Outcome {
  const author = (from ?? to)!;
  const other = from && to ? to : null;
  return other ? expectMove(who, 'movement.reverse', author, other) : expectAt(who, 'movement.reverse', author);
}

describe('the matrix covers every write of the ledger in the table', () => {
  it('every permission that writes the ledger is exercised below, and every move declares its reach', () => {
    const ledger = (Object.keys(permissions) as PermissionName[]).filter((n) => 'ledger' in permissions[n]);
    // stock.put_away has no route: an RFID cabinet's snapshot (test/channels/iot-rfid.test.ts,
    // test/unit/permissions.test.ts).
    expect(ledger.sort()).toEqual([
      'movement.reverse',
      'stock.adjust',
      'stock.consume',
      'stock.issue',
      'stock.put_away',
      'stock.receive',
      'stock.return',
      'stock.transfer',
    ]);
    for (const name of [...Object.keys(moves), 'movement.reverse'] as PermissionName[]) {
      for (const role of permissions[name].roles)
        expect((permissions[name] as { to: Record<string, Reach> }).to[role], `${name} ${role}`).toBeDefined();
    }
  });
});

describe.each(drivers)('permission matrix on %s', (driver) => {
  let t: TestDatabase;
  let h: Hospital;
  let other: Hospital;
  let http: ServerType;
  let base: string;
  const where = {} as Record<Place, string>;
  const tokens = {} as Record<Who, string>;
  const lotsForStatus: string[] = [];
  let app: ReturnType<typeof createApp>;

  beforeAll(async () => {
    t = await openTestDatabase(driver);
    h = await buildHospital(t.db, 'MTX');
    other = await buildHospital(t.db, 'OTH');
    const transit = await transitLocation(h.sys);
    Object.assign(where, { ...placesOf(h, other), transit: transit.id });
    const assistant = await createUser({
      ctx: h.sys,
      input: { username: 'mtx.assistantrole', displayName: 'assistant role', roles: [{ role: 'assistant' }] },
    });
    const ids: Record<Who, string> = {
      ...Object.fromEntries(Object.entries(h.actors).map(([k, a]) => [k, a.userId!])),
      assistant: assistant.id,
      adminAssistant: h.actors.admin.userId!,
    } as Record<Who, string>;
    for (const who of everyone) {
      tokens[who] = (
        await createApiToken({
          ctx: h.sys,
          input: {
            userId: ids[who],
            name: `matrix ${who}`,
            kind: users[who].via === 'assistant' ? 'assistant' : 'user',
          },
        })
      ).token;
    }
    // Plenty of one lot everywhere in the hospital (not in-transit: nothing is received there), so every allowed move
    // finds stock.
    for (const p of singlePlaces.filter((p) => p !== 'transit' && !foreign(p))) {
      await receiveGoods({
        ctx: h.sys,
        input: {
          locationId: where[p],
          lines: [{ itemId: h.gloves.id, lotCode: 'MTX-STOCK', expiry: '2028-12-31', quantity: 10_000 }],
        },
      });
    }
    await receiveGoods({
      ctx: other.sys,
      input: {
        locationId: other.cardioStore.id,
        lines: [{ itemId: other.gloves.id, lotCode: 'OTH-STOCK', expiry: '2028-12-31', quantity: 100 }],
      },
    });
    const statusLots = everyone.flatMap((_, i) =>
      [0, 1].map((k) => ({ itemId: h.syringe.id, lotCode: `MTX-ST-${i * 2 + k}`, expiry: '2028-12-31', quantity: 5 })),
    );
    lotsForStatus.push(
      ...(await receiveGoods({ ctx: h.sys, input: { locationId: h.warehouse.id, lines: statusLots } })).movements.map(
        (m) => m.lotId,
      ),
    );
    app = createApp({ db: t.db, now: () => today });
    app.route('/mcp', mcpApp({ db: t.db, now: () => today }));
    http = await new Promise<ServerType>((resolve) => {
      const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(server));
    });
    base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  }, 240_000);
  afterAll(async () => {
    await new Promise((resolve) => http?.close(resolve));
    await t?.close();
  });

  /**
   * Posts, as the system, a movement of the given shape to reverse (the in-transit legs as the issue-note flow posts
   * them).
   */
  async function postShape(from: Place | null, to: Place | null): Promise<number> {
    const line = [{ itemId: h.gloves.id, quantity: 1 }];
    if (from === null && to === 'otherStore')
      return (
        await receiveGoods({
          ctx: other.sys,
          input: {
            locationId: other.cardioStore.id,
            lines: [{ itemId: other.gloves.id, lotCode: 'OTH-STOCK', expiry: '2028-12-31', quantity: 1 }],
          },
        })
      ).movements[0]!.id;
    if (from === null)
      return (
        await receiveGoods({
          ctx: h.sys,
          input: {
            locationId: where[to!],
            lines: [{ itemId: h.gloves.id, lotCode: 'MTX-STOCK', expiry: '2028-12-31', quantity: 1 }],
          },
        })
      ).movements[0]!.id;
    if (to === null)
      return (await recordConsumption({ ctx: h.sys, input: { locationId: where[from], lines: line } })).movements[0]!
        .id;
    if (from === 'transit' || to === 'transit') {
      return withTransaction(
        h.sys,
        async (tx) =>
          (
            await moveStock(tx, {
              kind: from === 'transit' ? 'transfer' : 'issue',
              fromLocationId: where[from],
              toLocationId: where[to],
              lines: line,
              requireUsable: false,
            })
          )[0]!.id,
      );
    }
    const act = kindOf[to] === 'warehouse' ? returnStock : from === 'warehouse' ? issueStock : transferStock;
    return (
      await act({
        ctx: h.sys,
        input: { fromLocationId: where[from], toLocationId: where[to], lines: line, reason: 'matrice' },
      })
    ).movements[0]!.id;
  }

  /** What a write can leave behind: movements, audit rows, requests, lots, idempotency keys. */
  const written = async () => {
    const [row] = await rows<Record<string, number>>(
      t.db,
      sql`select
      (select count(*)::int from movements) as movements, (select count(*)::int from audit_log) as audit,
      (select count(*)::int from ward_requests) as requests, (select count(*)::int from lots) as lots,
      (select count(*)::int from lot_recalls) as recalls, (select count(*)::int from idempotency_keys) as keys`,
    );
    return row as Record<'movements' | 'audit' | 'requests' | 'lots' | 'recalls' | 'keys', number>;
  };

  async function post(who: Who, path: string, body: unknown) {
    const res = await app.request(path, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens[who]}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, type: res.headers.get('content-type') ?? '', body: text ? JSON.parse(text) : null };
  }

  /**
   * Sends one write, then checks the outcome the table predicts and what it wrote: `movements` when allowed, nothing
   * when refused.
   */
  async function check(
    who: Who,
    path: string,
    body: unknown,
    expected: Outcome,
    label: string,
    wrote: Partial<Record<string, number>>,
  ) {
    const before = await written();
    const reply = await post(who, path, body);
    const after = await written();
    if (expected === 'allowed') {
      expect(reply.status, `${label}: ${JSON.stringify(reply.body)}`).toBe(201);
      for (const [k, n] of Object.entries(wrote))
        expect(after[k as keyof typeof after] - before[k as keyof typeof before], `${label}: ${k}`).toBe(n);
      return;
    }
    expect(reply.status, `${label}: ${JSON.stringify(reply.body)}`).toBe(expected === 'not_found' ? 404 : 403);
    expect(reply.type, label).toContain('application/problem+json');
    if (expected !== 'not_found') expect(reply.body.type, label).toBe(`https://scorta.dev/problems/${expected}`);
    expect(after, `${label}: wrote nothing`).toEqual(before);
  }

  const cells = <T>(f: (who: Who) => T[]) => everyone.flatMap(f);

  it.each(Object.entries(moves))(
    '%s (%s): every role × source × destination',
    async (name, path) => {
      const table = cells((who) =>
        sourcesOf(who).flatMap((from) =>
          destinations
            .filter((to) => to !== from)
            .map((to) => ({ who, from, to, expected: expectMove(who, name as PermissionName, from, to) })),
        ),
      );
      // The matrix is not vacuous: each move has cells allowed, refused at the source and refused at the destination.
      expect(new Set(table.map((c) => c.expected))).toEqual(
        new Set(['allowed', 'forbidden', 'forbidden_destination', 'not_found']),
      );
      for (const { who, from, to, expected } of table) {
        await check(
          who,
          path,
          {
            fromLocationId: where[from],
            toLocationId: where[to],
            reason: 'matrice',
            lines: [{ itemId: h.gloves.id, quantity: 1 }],
          },
          expected,
          `${who} ${name} ${from}→${to}`,
          { movements: 1, audit: 1 },
        );
      }
    },
    240_000,
  );

  it('stock.receive, stock.consume, stock.adjust: every role × every place', async () => {
    let n = 0;
    const [{ id: lotId }] = (await rows<{ id: string }>(
      t.db,
      sql`select id from lots where lot_code = 'MTX-STOCK'`,
    )) as [{ id: string }];
    for (const who of everyone) {
      for (const at of singlePlaces) {
        n++;
        await check(
          who,
          '/v1/movements/receipts',
          {
            locationId: where[at],
            lines: [{ itemId: h.gloves.id, lotCode: 'MTX-STOCK', expiry: '2028-12-31', quantity: 1 }],
          },
          expectAt(who, 'stock.receive', at),
          `${who} receive ${at}`,
          { movements: 1 },
        );
        await check(
          who,
          '/v1/movements/consumptions',
          { locationId: where[at], lines: [{ itemId: h.gloves.id, quantity: 1 }] },
          expectAt(who, 'stock.consume', at),
          `${who} consume ${at}`,
          { movements: 1 },
        );
        await check(
          who,
          '/v1/movements/adjustments',
          { locationId: where[at], lotId, countedQuantity: 20_000 + n, reason: 'inventario' },
          expectAt(who, 'stock.adjust', at),
          `${who} adjust ${at}`,
          { movements: 1 },
        );
      }
    }
  }, 240_000);

  it('movement.reverse: every role × the movements it might undo, in-transit legs included', async () => {
    // One movement per shape, posted again after each reversal that is allowed (a refused one leaves it untouched).
    const pending = new Map<string, number>();
    for (const who of everyone) {
      for (const [from, to] of reversible) {
        const key = `${from}>${to}`;
        if (!pending.has(key)) pending.set(key, await postShape(from, to));
        const expected = expectReversal(who, from, to);
        await check(
          who,
          `/v1/movements/${pending.get(key)}/reversal`,
          { reason: 'storno matrice' },
          expected,
          `${who} reverse ${from}→${to}`,
          { movements: 1 },
        );
        if (expected === 'allowed') pending.delete(key);
      }
    }
  }, 240_000);

  it('requests.emit over HTTP: every role × every destination', async () => {
    for (const who of everyone) {
      for (const at of requestPlaces) {
        await check(
          who,
          '/v1/requests',
          { destinationId: where[at], lines: [{ itemId: h.gloves.id, quantity: 2 }] },
          expectAt(who, 'requests.emit', at),
          `${who} emit ${at}`,
          { requests: 1, movements: 0 },
        );
      }
    }
  }, 240_000);

  describe('through MCP with the real SDK client', () => {
    const clients = new Map<Who, Client>();
    beforeAll(async () => {
      for (const who of everyone) {
        const client = new Client({ name: `matrix-${who}`, version: '1.0.0' });
        await client.connect(
          new StreamableHTTPClientTransport(new URL(`${base}/mcp`), {
            requestInit: { headers: { authorization: `Bearer ${tokens[who]}` } },
          }),
        );
        clients.set(who, client);
      }
    });
    afterAll(async () => {
      for (const c of clients.values()) await c.close();
    });

    /**
     * A tool call's outcome as the table names it: allowed, forbidden (a JSON-RPC refusal), not_found (a tool error).
     * A write tool only proposes: its proposal is confirmed at once (confirm_proposal), so `allowed` means written.
     */
    async function tool(who: Who, name: string, args: Record<string, unknown>): Promise<Outcome> {
      try {
        let result = (await clients.get(who)!.callTool({ name, arguments: args })) as CallToolResult;
        const proposal = (result.structuredContent as { proposal?: { id: string } } | undefined)?.proposal;
        if (!result.isError && proposal)
          result = (await clients
            .get(who)!
            .callTool({ name: 'confirm_proposal', arguments: { proposal_id: proposal.id } })) as CallToolResult;
        if (!result.isError) return 'allowed';
        const text = result.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');
        return text.startsWith('not_found') ? 'not_found' : (`tool error: ${text}` as Outcome);
      } catch (error) {
        expect(error).toBeInstanceOf(McpError);
        expect((error as McpError).code).toBe(FORBIDDEN);
        return 'forbidden';
      }
    }

    it('emit_request: every role × every destination', async () => {
      for (const who of everyone) {
        for (const at of requestPlaces) {
          const before = await written();
          const outcome = await tool(who, 'emit_request', {
            destination_id: where[at],
            lines: [{ item_id: h.gloves.id, quantity: 1 }],
          });
          const expected = expectAt(who, 'requests.emit', at);
          expect(outcome, `${who} emit_request ${at}`).toBe(expected);
          const after = await written();
          if (expected === 'allowed') expect(after.requests - before.requests).toBe(1);
          else expect(after, `${who} emit_request ${at}: wrote nothing`).toEqual(before);
        }
      }
    }, 240_000);

    it('every MCP tool that writes is one of the tools exercised here', async () => {
      const { tools } = await clients.get('admin')!.listTools();
      const writes = tools.filter((t) => t.annotations?.readOnlyHint !== true).map((t) => t.name);
      // confirm_proposal and cancel_proposal carry out or drop what the three others propose (confirmed in `tool`).
      expect(writes.sort()).toEqual([
        'cancel_proposal',
        'confirm_proposal',
        'emit_request',
        'quarantine_lot',
        'recall_lot',
      ]);
    });

    it.each([['quarantine_lot'], ['recall_lot']])(
      '%s: every role, on its organisation’s lots and another organisation’s',
      async (name) => {
        const [{ id: foreignLot }] = (await rows<{ id: string }>(
          t.db,
          sql`select id from lots where lot_code = 'OTH-STOCK'`,
        )) as [{ id: string }];
        for (const [i, who] of everyone.entries()) {
          for (const at of ['org', 'otherOrg'] as const) {
            const lotId = at === 'otherOrg' ? foreignLot : lotsForStatus[i * 2 + (name === 'recall_lot' ? 1 : 0)]!;
            const before = await written();
            const outcome = await tool(who, name, { lot_id: lotId, reason: 'Avviso del fornitore' });
            const expected = expectAt(who, 'lots.status', at);
            if (expected === 'refused') expect(['forbidden', 'not_found'], `${who} ${name} ${at}`).toContain(outcome);
            else expect(outcome, `${who} ${name} ${at}`).toBe(expected);
            const after = await written();
            if (expected === 'allowed') expect(after.recalls - before.recalls).toBe(1);
            else expect(after, `${who} ${name} ${at}: wrote nothing`).toEqual(before);
          }
        }
      },
      240_000,
    );
  });
});
