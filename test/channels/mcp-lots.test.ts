import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../api/access/tokens.ts';
import { createApp } from '../../app/create-app.ts';
import { sweepSilentDevices } from '../../api/devices/alerts.ts';
import { registerDevice } from '../../api/devices/register-device.ts';
import { setSupplyPlan } from '../../api/homecare/set-supply-plan.ts';
import { chatProposals, lotRecalls, lots } from '../../db/schema/index.ts';
import { FORBIDDEN } from '../../mcp/errors.ts';
import { mcpApp } from '../../mcp/http.ts';
import { drivers, openTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { today } from '../helpers/fixture.ts';
import { refusal, text, useGlovesInCardiology, type Result } from '../helpers/mcp.ts';
import { buildRequestsHospital, type RequestsHospital } from '../helpers/requests.ts';
import { issueBetween } from '../helpers/stock-moves.ts';

describe.each(drivers)('MCP lot, alert and home-care tools over Streamable HTTP on %s', (driver) => {
  let t: TestDatabase;
  let http: ServerType;
  let h: RequestsHospital;
  const clients: Client[] = [];
  const as = {} as Record<
    'warehouse' | 'nurse' | 'homeCare',
    (name: string, args: Record<string, unknown>) => Promise<Result>
  >;
  const recallsOf = async (lotId: string) => t.db.select().from(lotRecalls).where(eq(lotRecalls.lotId, lotId));
  const lotStatus = async (lotId: string) =>
    (await t.db.select({ status: lots.status }).from(lots).where(eq(lots.id, lotId)))[0]!.status;

  beforeAll(async () => {
    t = await openTestDatabase(driver);
    h = await buildRequestsHospital(t.db);
    // Cardiology's store holds 32 gloves of G-EARLY (60 issued, 28 consumed); the warehouse keeps 40.
    await useGlovesInCardiology(h);
    // Patient P-001 at home: 20 syringes, a plan of 4 a day.
    await issueBetween(h.sys, h.warehouse.id, h.home.id, [{ itemId: h.syringe.id, quantity: 20 }]);
    await setSupplyPlan({ ctx: h.sys, input: { locationId: h.home.id, itemId: h.syringe.id, dailyQuantity: 4 } });
    // A cabinet in Cardiology that stopped talking: the sweep a day later raises a `silent` alert.
    await registerDevice({
      ctx: h.sys,
      input: {
        code: 'CARD-ARM1-X',
        kind: 'smart_cabinet',
        name: 'Armadio Cardiologia',
        locationId: h.cabinet.id,
        expectedIntervalSeconds: 60,
      },
    });
    await sweepSilentDevices({ ctx: { ...h.sys, now: () => new Date(Date.now() + 86_400_000) } });

    const app = createApp({ db: t.db, now: () => today });
    app.route('/mcp', mcpApp({ db: t.db, now: () => today }));
    http = await new Promise<ServerType>((resolve) => {
      const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(server));
    });
    const url = new URL(`http://127.0.0.1:${(http.address() as AddressInfo).port}/mcp`);
    for (const key of ['warehouse', 'nurse', 'homeCare'] as const) {
      const { token } = await createApiToken({
        ctx: h.sys,
        input: { userId: h.actors[key].userId!, name: `assistant ${key}`, kind: 'assistant' },
      });
      const client = new Client({ name: `scorta-test-${key}`, version: '1.0.0' });
      await client.connect(
        new StreamableHTTPClientTransport(url, { requestInit: { headers: { authorization: `Bearer ${token}` } } }),
      );
      clients.push(client);
      as[key] = async (name, args) => (await client.callTool({ name, arguments: args })) as Result;
    }
  });
  afterAll(async () => {
    for (const client of clients) await client.close();
    await new Promise((resolve) => http?.close(resolve));
    await t?.close();
  });

  it('lists the lot tools: status changes only propose (not destructive), the rest read-only', async () => {
    const { tools } = await clients[0]!.listTools();
    for (const name of ['quarantine_lot', 'recall_lot']) {
      const tool = tools.find((x) => x.name === name)!;
      expect(tool.annotations).toEqual({
        readOnlyHint: false,
        destructiveHint: false,
        idempotentHint: false,
        openWorldHint: false,
      });
      expect(tool.inputSchema.required).toEqual(['lot_id', 'reason']);
    }
    for (const name of ['get_recall', 'list_alerts', 'get_patient_supplies'])
      expect(tools.find((x) => x.name === name)?.annotations).toMatchObject({
        readOnlyHint: true,
        destructiveHint: false,
      });
  });

  it('refuses a ward nurse recalling a lot with a protocol error, and writes nothing', async () => {
    const error = await refusal(
      as.nurse('recall_lot', { lot_id: h.lots.glovesEarly.id, reason: 'Avviso del fornitore' }),
    );
    expect(error.code).toBe(FORBIDDEN);
    expect(error.data).toEqual({ code: 'forbidden', action: 'lots.status' });
    expect(await recallsOf(h.lots.glovesEarly.id)).toHaveLength(0);
    expect(await lotStatus(h.lots.glovesEarly.id)).toBe('available');
  });

  it('answers bad arguments with a tool error naming the field, and writes nothing', async () => {
    const proposals = (await t.db.select().from(chatProposals)).length;
    const badId = await as.warehouse('recall_lot', { lot_id: 'G-EARLY', reason: 'Avviso' });
    expect(badId.isError).toBe(true);
    expect(text(badId)).toContain('lot_id');
    const noReason = await as.warehouse('quarantine_lot', { lot_id: h.lots.glovesEarly.id, reason: '' });
    expect(noReason.isError).toBe(true);
    expect(text(noReason)).toContain('reason');
    const unknown = await as.warehouse('recall_lot', {
      lot_id: '00000000-0000-4000-8000-000000000000',
      reason: 'Avviso',
    });
    expect(text(unknown)).toMatch(/^not_found: /);
    const noRecall = await as.warehouse('get_recall', {});
    expect(noRecall.isError).toBe(true);
    expect(text(noRecall)).toContain('recall_id');
    expect(await recallsOf(h.lots.glovesEarly.id)).toHaveLength(0);
    expect(await t.db.select().from(chatProposals)).toHaveLength(proposals);
  });

  it('proposes a recall that writes nothing, records it once when confirmed, and get_recall shows what is still out', async () => {
    const proposed = await as.warehouse('recall_lot', {
      lot_id: h.lots.glovesEarly.id,
      reason: 'Difetto di tenuta segnalato dal fornitore',
      reference: 'FSN-2026-118',
    });
    expect(proposed.isError, text(proposed)).toBeFalsy();
    expect(proposed.structuredContent).toMatchObject({
      proposal: {
        action: 'recall_lot',
        summary: {
          lot: expect.stringContaining('G-EARLY · DM-GUA-M'),
          expiry: '2027-01-31',
          reference: 'FSN-2026-118',
        },
      },
      written: false,
    });
    expect(proposed.structuredContent.text.en).toMatch(
      /^I will recall lot G-EARLY of DM-GUA-M .*expiry 2027-01-31: final/,
    );
    expect(proposed.structuredContent.text.it).toMatch(/^Richiamerò il lotto G-EARLY di DM-GUA-M/);
    expect(await recallsOf(h.lots.glovesEarly.id)).toHaveLength(0);
    expect(await lotStatus(h.lots.glovesEarly.id)).toBe('available');

    const proposal_id = proposed.structuredContent.proposal.id;
    const first = await as.warehouse('confirm_proposal', { proposal_id });
    expect(first.isError, text(first)).toBeFalsy();
    expect(first.structuredContent).toMatchObject({
      status: 'confirmed',
      action: 'recall_lot',
      replayed: false,
      result: { reference: 'G-EARLY', lotId: h.lots.glovesEarly.id, status: 'recalled' },
    });
    expect(await lotStatus(h.lots.glovesEarly.id)).toBe('recalled');
    const again = await as.warehouse('confirm_proposal', { proposal_id });
    expect(again.structuredContent).toEqual({ ...first.structuredContent, replayed: true });
    const recalls = await recallsOf(h.lots.glovesEarly.id);
    expect(recalls.map((r) => [r.kind, r.reference])).toEqual([['recall', 'FSN-2026-118']]);

    const progress = await as.nurse('get_recall', { recall_id: recalls[0]!.id });
    expect(progress.isError).toBeFalsy();
    expect(progress.structuredContent.returnsTo.code).toBe('MAG');
    expect(
      progress.structuredContent.holders.map((x: any) => [
        x.location.code,
        x.atRecall,
        x.consumedBefore,
        x.returned,
        x.stillOut,
      ]),
    ).toEqual(
      expect.arrayContaining([
        ['MAG', 40, 0, 0, 0],
        ['CARD-MR', 32, 28, 0, 32],
      ]),
    );
    expect(progress.structuredContent.totals).toMatchObject({
      stillOut: 32,
      consumedBefore: 28,
      returned: 0,
      holdersOut: 1,
    });
    expect(progress.structuredContent.closable).toBe(false);
    const byLot = await as.nurse('get_recall', { lot_id: h.lots.glovesEarly.id });
    expect(byLot.structuredContent.recall.id).toBe(recalls[0]!.id);
  });

  it('quarantines a lot once its proposal is confirmed', async () => {
    const proposed = await as.warehouse('quarantine_lot', {
      lot_id: h.lots.glovesLate.id,
      reason: 'Confezioni danneggiate in arrivo',
    });
    expect(proposed.structuredContent.text.en).toMatch(/^I will put lot G-LATE of DM-GUA-M .* in quarantine/);
    expect(await recallsOf(h.lots.glovesLate.id)).toHaveLength(0);
    const first = await as.warehouse('confirm_proposal', { proposal_id: proposed.structuredContent.proposal.id });
    expect(first.structuredContent).toMatchObject({
      status: 'confirmed',
      result: { reference: 'G-LATE', status: 'quarantined' },
    });
    expect(await recallsOf(h.lots.glovesLate.id)).toHaveLength(1);
    const progress = await as.warehouse('get_recall', { lot_id: h.lots.glovesLate.id });
    expect(progress.structuredContent).toMatchObject({
      recall: { kind: 'quarantine' },
      closable: false,
      totals: { stillOut: 0 },
    });
  });

  it("lists a ward's device alerts and its recall alerts, and refuses another ward", async () => {
    const alerts = await as.nurse('list_alerts', { location_id: h.cardio.id, open: true });
    expect(alerts.isError).toBeFalsy();
    expect(alerts.structuredContent.data.map((a: any) => [a.kind, a.device.code, a.location.code, a.open])).toEqual([
      ['silent', 'CARD-ARM1-X', 'CARD-ARM1', true],
    ]);
    // The recall of G-EARLY (previous case) put an alert on the dashboard of Cardiology's store.
    expect(alerts.structuredContent.notifications.map((n: any) => [n.kind, n.locationCode])).toEqual([
      ['recall', 'CARD-MR'],
    ]);
    const surgery = await refusal(as.nurse('list_alerts', { location_id: h.surgery.id }));
    expect(surgery.code).toBe(FORBIDDEN);
    const silent = await as.nurse('list_alerts', { kind: 'silent' });
    expect(silent.structuredContent.data.map((a: any) => [a.kind, a.device.code])).toEqual([['silent', 'CARD-ARM1-X']]);
    expect((await as.nurse('list_alerts', { kind: 'unknown_tag' })).structuredContent.data).toEqual([]);
    const bad = await as.nurse('list_alerts', { kind: 'fire' });
    expect(bad.isError).toBe(true);
    expect(text(bad)).toContain('kind');
  });

  it("gives a home patient's supplies with days of cover and forecast run-out", async () => {
    const result = await as.homeCare('get_patient_supplies', { patient_code: 'P-001' });
    expect(result.isError).toBeFalsy();
    const [patient] = result.structuredContent.patients;
    expect(result.structuredContent.patients).toHaveLength(1);
    expect(patient).toMatchObject({ patientCode: 'P-001', code: 'DOM-P001' });
    expect(patient.items).toEqual([expect.objectContaining({ itemCode: 'DM-SIR-10', available: 20, daysOfCover: 5 })]);
    expect(patient.runOutDate).toBe(patient.items[0].runOutDate);
    expect(patient.runOutDate).not.toBeNull();
    const byHome = await as.homeCare('get_patient_supplies', { location_id: h.home.id });
    expect(byHome.structuredContent.patients.map((p: any) => p.patientCode)).toEqual(['P-001']);
    const unknown = await as.homeCare('get_patient_supplies', { patient_code: 'P-999' });
    expect(unknown.isError).toBe(true);
    expect(text(unknown)).toMatch(/^not_found: patient P-999/);
    expect((await refusal(as.nurse('get_patient_supplies', { patient_code: 'P-001' }))).code).toBe(FORBIDDEN);
  });
});
