import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import postgres from 'postgres';
import { and, count, eq, inArray, isNull, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setAlertChannel } from '../../api/chat/alert-channels.ts';
import { systemActor, type Context } from '../../api/core/context.ts';
import { registerDevice } from '../../api/devices/register-device.ts';
import { deviceTopic, replyTopic } from '../../iot/topics.ts';
import { setSupplyPlan } from '../../api/homecare/set-supply-plan.ts';
import { quarantineLot } from '../../api/lots/quarantine-lot.ts';
import { returnStock } from '../../api/stock/issue-stock.ts';
import type { Database } from '../../db/client.ts';
import {
  auditLog,
  deviceAlerts,
  deviceMessages,
  devices,
  locations,
  movements,
  notifications,
  organisations,
  wardRequests,
} from '../../db/schema/index.ts';
import { openDatabase, type OpenDatabase } from '../../server/database.ts';
import { buildGlucometerSite } from '../helpers/device-site.ts';
import { receiveLots, stockCabinet } from '../helpers/device-stock.ts';
import { buildHospital, type Hospital } from '../helpers/fixture.ts';
import { lotByCode } from '../helpers/ledger.ts';
import { startFakeSlackApi } from '../helpers/slack.ts';
import { freePort, startScorta } from '../helpers/scorta-process.ts';

// Two real Scorta servers (server/main.ts, two processes) on one fresh PostgreSQL database and one external broker
// (the machine's Mosquitto, MQTT_URL), with a fake Slack Web API. Mosquitto is shared: device codes, client ids and
// the share group are unique per run, and every session is ended at the end.
const brokerUrl = process.env.MQTT_URL;
const postgresUrl = process.env.DATABASE_URL;
const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`.toUpperCase();
const readingsPerDevice = 40;
const lotsInCabinet = 4;

const until = async (what: string, check: () => Promise<boolean> | boolean, timeoutMs = 60_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
};

interface Server {
  child: ChildProcess;
  clientId: string;
  output: () => string;
}

/** `npm start`'s entry point as its own process, with this instance's broker client id. */
async function startServer(name: string, env: Record<string, string>): Promise<Server> {
  const child = await startScorta(env, `Scorta ${name}`);
  return { child, clientId: env.MQTT_CLIENT_ID!, output: child.output };
}

/** A device as a plain client of the broker, collecting what it hears on its reply and command topics. */
async function deviceClient(code: string) {
  const client: MqttClient = await mqtt.connectAsync(brokerUrl!, {
    clientId: `dev-${code}`,
    protocolVersion: 5,
    reconnectPeriod: 0,
    connectTimeout: 5000,
  });
  const replies: any[] = [];
  const commands: any[] = [];
  client.on('message', (topic, payload) => {
    if (topic === replyTopic(code)) replies.push(JSON.parse(payload.toString()));
    if (topic === deviceTopic(code, 'commands')) commands.push(JSON.parse(payload.toString()));
  });
  await client.subscribeAsync([replyTopic(code), deviceTopic(code, 'commands')], { qos: 1 });
  return { code, client, replies, commands };
}

/** Ends an MQTT session the broker keeps for a client id (our servers keep theirs on shutdown, as they should). */
async function forgetSession(clientId: string) {
  const client = await mqtt.connectAsync(brokerUrl!, {
    clientId,
    protocolVersion: 5,
    clean: true,
    properties: { sessionExpiryInterval: 0 },
    reconnectPeriod: 0,
    connectTimeout: 5000,
  });
  await client.endAsync();
}

describe.skipIf(!brokerUrl || !postgresUrl)(
  'two Scorta servers on one PostgreSQL and one external broker (shared subscription)',
  () => {
    const slackSecret = 'two-instances-signing-secret';
    let slack: Awaited<ReturnType<typeof startFakeSlackApi>>;
    let admin: postgres.Sql;
    let dbName: string;
    let dir: string;
    let database: OpenDatabase;
    let db: Database;
    const servers: Server[] = [];
    const clients: MqttClient[] = [];
    let site: Awaited<ReturnType<typeof buildGlucometerSite>>;
    let h: Hospital;
    let siteCtx: Context;
    let telehealthId: string;

    beforeAll(async () => {
      console.log(`two instances: run ${run}`);
      slack = await startFakeSlackApi();
      admin = postgres(postgresUrl!, { max: 1, onnotice: () => {} });
      dbName = `scorta_two_${run.toLowerCase()}`;
      await admin.unsafe(`create database ${dbName}`);
      const dbUrl = new URL(postgresUrl!);
      dbUrl.pathname = `/${dbName}`;
      dir = await mkdtemp(join(tmpdir(), 'scorta-two-'));
      // Both start at once on the empty database, each with the demo on: one loads it, the other finds it loaded.
      const started = await Promise.allSettled(
        ['a', 'b'].map(async (name) =>
          startServer(name, {
            PORT: String(await freePort()),
            HOST: '127.0.0.1',
            DATABASE_URL: dbUrl.toString(),
            MQTT_URL: brokerUrl!,
            MQTT_CLIENT_ID: `scorta-two-${run}-${name}`,
            MQTT_SHARE_GROUP: `scorta-two-${run}`,
            SCORTA_DEMO: 'true',
            SCORTA_DEVICES_FILE: join(dir, `${name}-devices.json`),
            SWEEP_INTERVAL_SECONDS: '1',
            SLACK_SIGNING_SECRET: slackSecret,
            SLACK_BOT_TOKEN: 'xoxb-two-instances',
            SLACK_API_URL: slack.apiUrl,
            SLACK_PORT: '0',
            SLACK_APP_TOKEN: '',
          }),
        ),
      );
      for (const s of started) if (s.status === 'fulfilled') servers.push(s.value);
      const failed = started.find((s) => s.status === 'rejected');
      if (failed) throw (failed as PromiseRejectedResult).reason;

      database = await openDatabase({ databaseUrl: dbUrl.toString(), dataDir: '' });
      db = database.db;
      // A home-care site: glucometers at four homes, a telehealth box that never speaks, a ward channel on Slack,
      // and a supply plan whose home has only a few days of strips left (the sweep asks for a delivery).
      site = await buildGlucometerSite(db, { devices: 4, strips: 200, lancets: 200, code: `T${run}` });
      siteCtx = { db, actor: systemActor(site.organisationId), now: () => new Date() };
      const [adi] = await db
        .select()
        .from(locations)
        .where(and(eq(locations.organisationId, site.organisationId), eq(locations.code, 'ADI')));
      const [warehouse] = await db
        .select()
        .from(locations)
        .where(and(eq(locations.organisationId, site.organisationId), eq(locations.code, 'MAG')));
      await setAlertChannel({ ctx: siteCtx, input: { locationId: adi!.id, channelId: `C-ADI-${run}` } });
      const home1 = site.devices[0]!.homeId;
      await setSupplyPlan({ ctx: siteCtx, input: { locationId: home1, itemId: site.strips.id, dailyQuantity: 4 } });
      await returnStock({
        ctx: siteCtx,
        input: {
          fromLocationId: home1,
          toLocationId: warehouse!.id,
          lines: [{ itemId: site.strips.id, quantity: 188 }],
          reason: 'Ricovero: reso parziale',
        },
      });
      const telehealth = await registerDevice({
        ctx: siteCtx,
        input: {
          code: `TEL-T${run}`,
          kind: 'telehealth',
          name: 'Telemonitoraggio',
          locationId: home1,
          expectedIntervalSeconds: 600,
        },
      });
      telehealthId = telehealth.id;
      await db
        .update(devices)
        .set({ createdAt: new Date(Date.now() - 3_600_000) })
        .where(eq(devices.id, telehealthId)); // silent for an hour
      // A hospital whose smart cabinet holds lots that will be quarantined: a lock command each, and a Slack alert
      // each.
      h = await buildHospital(db, `H${run}`);
      await receiveLots(
        h,
        Array.from({ length: lotsInCabinet }, (_, i) => ({
          itemId: h.gloves.id,
          lotCode: `G-${i + 1}`,
          expiry: '2029-01-31',
          quantity: 30,
        })),
      );
      await stockCabinet(h, h.gloves.id, { toStore: 30 * lotsInCabinet, toCabinet: 30 * lotsInCabinet });
      await registerDevice({
        ctx: h.sys,
        input: { code: `ARM-H${run}`, kind: 'smart_cabinet', name: 'Armadio Cardiologia', locationId: h.cabinet.id },
      });
      await setAlertChannel({ ctx: h.sys, input: { locationId: h.cardio.id, channelId: `C-CARD-${run}` } });
    }, 300_000);

    afterAll(async () => {
      await Promise.all(clients.map((c) => c.endAsync().catch(() => {})));
      await Promise.all(
        servers.map(
          (s) =>
            new Promise<void>((resolve) => {
              if (s.child.exitCode !== null) return resolve();
              s.child.once('exit', () => resolve());
              s.child.kill('SIGTERM');
              setTimeout(() => s.child.kill('SIGKILL'), 10_000).unref();
            }),
        ),
      );
      for (const s of servers) await forgetSession(s.clientId).catch(() => {});
      await database?.close();
      if (dbName) await admin.unsafe(`drop database if exists ${dbName} with (force)`);
      await admin?.end();
      await slack?.close();
      if (dir) await rm(dir, { recursive: true, force: true });
    }, 60_000);

    it('starts both on one empty database, the demo loaded once', async () => {
      expect(servers.map((s) => s.output()).filter((o) => o.includes('Demo data loaded')).length).toBe(1);
      const orgs = await db
        .select({ code: organisations.code, n: count() })
        .from(organisations)
        .where(inArray(organisations.code, ['AOPD', 'ULSS6']))
        .groupBy(organisations.code);
      expect(orgs.sort((a, b) => a.code.localeCompare(b.code))).toEqual([
        { code: 'AOPD', n: 1 },
        { code: 'ULSS6', n: 1 },
      ]);
    });

    it('stores every reading once and answers each exactly once, whichever server took it', async () => {
      const glucometers = await Promise.all(site.devices.slice(1).map((d) => deviceClient(d.code)));
      clients.push(...glucometers.map((g) => g.client));
      const reading = (seq: number) =>
        JSON.stringify({ seq, ts: new Date().toISOString(), type: 'glucose', value: 100 + seq, unit: 'mg/dL' });
      await Promise.all(
        glucometers.flatMap((g) =>
          Array.from({ length: readingsPerDevice }, (_, i) =>
            g.client.publishAsync(deviceTopic(g.code, 'readings'), reading(i + 1), { qos: 1 }),
          ),
        ),
      );
      await until('a reply to every reading', () =>
        glucometers.every((g) => new Set(g.replies.map((r) => r.seq)).size === readingsPerDevice),
      );
      await new Promise((r) => setTimeout(r, 2000)); // a second answer, if any, would come now
      for (const g of glucometers) {
        const answers = g.replies;
        expect(answers).toHaveLength(readingsPerDevice);
        expect(answers.every((r) => r.status === 'accepted' && !r.duplicate)).toBe(true);
        const [device] = await db.select().from(devices).where(eq(devices.code, g.code));
        expect(
          (await db.select({ n: count() }).from(deviceMessages).where(eq(deviceMessages.deviceId, device!.id)))[0]!.n,
        ).toBe(readingsPerDevice);
        const used = await db
          .select({ n: count() })
          .from(movements)
          .where(and(eq(movements.fromLocationId, device!.locationId), eq(movements.kind, 'consumption')));
        expect(used[0]!.n).toBe(2 * readingsPerDevice); // a strip and a lancet per reading
      }
    }, 180_000);

    it('sweeps on both servers raise one silent alert and ask once for the home delivery, posted once to the ward channel', async () => {
      const home1 = site.devices[0]!.homeId;
      const openAuto = () =>
        db
          .select({ id: wardRequests.id, number: wardRequests.number })
          .from(wardRequests)
          .where(
            and(
              eq(wardRequests.autoKey, `${home1}|${site.strips.id}`),
              inArray(wardRequests.status, ['submitted', 'in_progress']),
            ),
          );
      await until(
        'the silent alert and the delivery request',
        async () =>
          (await openAuto()).length > 0 &&
          (await db.select({ n: count() }).from(deviceAlerts).where(eq(deviceAlerts.deviceId, telehealthId)))[0]!.n > 0,
      );
      const [request] = await openAuto();
      await until('the delivery request posted to Slack', () =>
        slack.of('chat.postMessage').some((c) => c.body.text?.includes(request!.number)),
      );
      await new Promise((r) => setTimeout(r, 5000)); // five more rounds of sweeps and outbox runs on each server
      expect(await openAuto()).toHaveLength(1);
      const alerts = await db.select().from(deviceAlerts).where(eq(deviceAlerts.deviceId, telehealthId));
      expect(alerts).toHaveLength(1);
      expect(alerts[0]!.resolvedAt).toBeNull();
      const raisedIn = await db
        .select({ id: auditLog.id })
        .from(auditLog)
        .where(and(eq(auditLog.action, 'devices.alerts.sweep'), sql`${auditLog.detail}->'raised' ? ${alerts[0]!.id}`));
      expect(raisedIn).toHaveLength(1);
      expect(slack.of('chat.postMessage').filter((c) => c.body.text?.includes(request!.number))).toHaveLength(1);
      expect(slack.of('chat.postMessage').find((c) => c.body.text?.includes(request!.number))!.body.channel).toBe(
        `C-ADI-${run}`,
      );
      // Every under-stock notice of the site went out once, whatever request it was for.
      const notices = await db
        .select()
        .from(notifications)
        .where(and(eq(notifications.organisationId, site.organisationId), eq(notifications.target, 'chat')));
      await until(
        'every notice delivered',
        async () =>
          (
            await db
              .select({ n: count() })
              .from(notifications)
              .where(
                and(
                  eq(notifications.organisationId, site.organisationId),
                  eq(notifications.target, 'chat'),
                  isNull(notifications.deliveredAt),
                ),
              )
          )[0]!.n === 0,
      );
      for (const n of notices) {
        const number = (n.payload as { number: string }).number;
        expect(slack.of('chat.postMessage').filter((c) => c.body.text?.includes(`richiesta ${number} `))).toHaveLength(
          1,
        );
      }
    }, 180_000);

    it('sends each cabinet command and each ward alert of a quarantine once', async () => {
      const cabinet = await deviceClient(`ARM-H${run}`);
      clients.push(cabinet.client);
      const lotCodes = Array.from({ length: lotsInCabinet }, (_, i) => `G-${i + 1}`);
      for (const code of lotCodes) {
        const lot = await lotByCode(db, h.gloves.id, code);
        await quarantineLot({
          ctx: { ...h.sys, now: () => new Date() },
          input: { lotId: lot.id, reason: 'Sospetto difetto di fabbricazione', reference: `NC-${code}` },
        });
      }
      const alertsTo = () => slack.of('chat.postMessage').filter((c) => c.body.channel === `C-CARD-${run}`);
      await until(
        'a lock command and an alert per lot',
        () => cabinet.commands.length >= lotsInCabinet && alertsTo().length >= lotsInCabinet,
      );
      await new Promise((r) => setTimeout(r, 5000)); // two more outbox runs on each server
      expect(cabinet.commands.map((c) => `${c.command} ${c.lotCode}`).sort()).toEqual(
        lotCodes.map((c) => `lock_bins ${c}`),
      );
      expect(
        alertsTo()
          .map((c) => c.body.text.match(/lotto (\S+)/)?.[1])
          .sort(),
      ).toEqual(lotCodes);
      const pending = await db
        .select({ n: count() })
        .from(notifications)
        .where(
          and(
            eq(notifications.organisationId, h.org.id),
            isNull(notifications.deliveredAt),
            inArray(notifications.target, ['chat', 'device']),
          ),
        );
      expect(pending[0]!.n).toBe(0);
    }, 120_000);
  },
);
