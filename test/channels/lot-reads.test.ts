import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../api/access/tokens.ts';
import { createConversation } from '../../bot/conversation.ts';
import { mcpApp } from '../../mcp/http.ts';
import { drivers } from '../helpers/database.ts';
import { today } from '../helpers/fixture.ts';
import { spreadLot } from '../helpers/lot-spread.ts';
import { openApi, type Api } from './api-client.ts';

/**
 * The same read rule through HTTP, MCP and the bot: a ward nurse gets her ward in full and the other ward as totals.
 */
describe.each(drivers)('lot reads agree across channels on %s', (driver) => {
  let api: Api;
  let lotId: string;
  let http: ServerType;
  const clients: Client[] = [];
  const mcp = {} as Record<'nurse' | 'pharmacist', (name: string, args: Record<string, unknown>) => Promise<any>>;

  beforeAll(async () => {
    api = await openApi(driver);
    lotId = (await spreadLot(api.t.db, api.h)).lot.id;
    api.app.route('/mcp', mcpApp({ db: api.t.db, now: () => today }));
    http = await new Promise<ServerType>((resolve) => {
      const server = serve({ fetch: api.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(server));
    });
    const url = new URL(`http://127.0.0.1:${(http.address() as AddressInfo).port}/mcp`);
    for (const key of ['nurse', 'pharmacist'] as const) {
      const { token } = await createApiToken({
        ctx: api.h.sys,
        input: { userId: api.h.actors[key].userId!, name: `assistant ${key}`, kind: 'assistant' },
      });
      const client = new Client({ name: `scorta-reads-${key}`, version: '1.0.0' });
      await client.connect(
        new StreamableHTTPClientTransport(url, { requestInit: { headers: { authorization: `Bearer ${token}` } } }),
      );
      clients.push(client);
      mcp[key] = async (name, args) => {
        const result = (await client.callTool({ name, arguments: args })) as any;
        expect(result.isError, JSON.stringify(result.content)).toBeFalsy();
        return result.structuredContent;
      };
    }
  }, 180_000);
  afterAll(async () => {
    for (const client of clients) await client.close();
    await new Promise((resolve) => http?.close(resolve));
    await api?.close();
  });

  const holders = (trace: any) =>
    trace.holders.map((x: any) => [
      x.location.code,
      x.detail,
      x.received,
      x.sent,
      x.consumed,
      x.onHand,
      x.firstAt ?? null,
    ]);

  it('HTTP: history, trace and FHIR give the nurse full rows at her ward, totals without actors for the other ward', async () => {
    const history = await api.call('GET', `/v1/lots/${lotId}/history`, { as: 'nurse' });
    const trace = await api.call('GET', `/v1/lots/${lotId}/trace`, { as: 'nurse' });
    const fhir = await api.call('GET', `/v1/fhir/lots/${lotId}`, { as: 'nurse' });
    expect([history.status, trace.status, fhir.status]).toEqual([200, 200, 200]);
    expect(history.body.detail).toBe('own');
    expect(history.body.data.map((m: any) => m.id)).toEqual(trace.body.timeline.map((m: any) => m.id));
    expect(history.body.data).toHaveLength(5);
    expect(history.body.others.map((x: any) => [x.location.code, x.onHand, x.firstAt])).toEqual([
      ['CHIR', 12, null],
      ['CHIR-ARM1', 3, null],
    ]);
    for (const body of [history.body, trace.body, fhir.body])
      expect(JSON.stringify(body)).not.toContain(api.h.actors.otherNurse.userId!);
    expect(trace.body.holders.filter((x: any) => x.detail === 'totals').map((x: any) => x.location.code)).toEqual([
      'CHIR',
      'CHIR-ARM1',
    ]);
    const deliveries = fhir.body.entry.filter((e: any) => e.resource.resourceType === 'SupplyDelivery');
    expect(deliveries).toHaveLength(3);

    const all = await api.call('GET', `/v1/lots/${lotId}/history`, { as: 'pharmacist' });
    expect(all.body).toMatchObject({ detail: 'all', others: [] });
    expect(all.body.data).toHaveLength(7);
    expect(all.body.data.map((m: any) => m.actorId)).toContain(api.h.actors.otherNurse.userId);
  });

  it('MCP: trace_lot answers what the HTTP trace answers, for the nurse and for the pharmacist', async () => {
    const viaHttp = (await api.call('GET', `/v1/lots/${lotId}/trace`, { as: 'nurse' })).body;
    const viaMcp = await mcp.nurse('trace_lot', { lot_id: lotId });
    expect(viaMcp.detail).toBe('own');
    expect(viaMcp.timeline.map((m: any) => m.id)).toEqual(viaHttp.timeline.map((m: any) => m.id));
    expect(holders(viaMcp)).toEqual(holders(viaHttp));
    expect(viaMcp.totals).toEqual(viaHttp.totals);

    const pharmacist = await mcp.pharmacist('trace_lot', { lot_id: lotId });
    expect(pharmacist.detail).toBe('all');
    expect(pharmacist.timeline).toHaveLength(7);
    expect(pharmacist.totals).toEqual(viaHttp.totals);
    expect(pharmacist.holders.every((x: any) => x.detail === 'full')).toBe(true);
  });

  it("bot: the trace answer shows the nurse her ward's timeline and the whole lot's totals, and says the rest is totals only", async () => {
    const conversation = createConversation({ db: api.t.db, now: () => today });
    const nurse = await conversation.handle(
      { actor: { ...api.h.actors.nurse, channel: 'slack' }, locale: 'it' },
      "dov'è finito il lotto SPREAD-1?",
    );
    const viaHttp = (await api.call('GET', `/v1/lots/${lotId}/trace`, { as: 'nurse' })).body;
    expect(nurse.kind).toBe('answer');
    expect(nurse.timeline).toHaveLength(viaHttp.timeline.length);
    expect(nurse.timeline!.map((x) => x.text).join('\n')).not.toContain('CHIR-ARM1');
    expect(nurse.text).toContain(`${viaHttp.totals.onHand} pezzi ancora presenti`);
    expect(nurse.text).toContain('Movimenti di altri 2 luoghi non mostrati: solo i totali.');

    const pharmacist = await conversation.handle(
      { actor: { ...api.h.actors.pharmacist, channel: 'slack' }, locale: 'en' },
      'where did lot SPREAD-1 go?',
    );
    expect(pharmacist.timeline).toHaveLength(7);
    expect(pharmacist.text).not.toContain('totals only');
  });
});
