import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../api/access/tokens.ts';
import { createApp } from '../../app/create-app.ts';
import { createConversation } from '../../bot/conversation.ts';
import { drivers, openTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { buildHospital, contextFor, type Hospital } from '../helpers/fixture.ts';
import { connectMcp } from './api-client.ts';
import { receiveAtWarehouse, issueBetween } from '../helpers/stock-moves.ts';

/** 23:30 UTC on 23 November is already 24 November in Italy: a lot expiring on the 23rd has expired. */
const lateEvening = new Date('2026-11-23T23:30:00Z');
const morning = new Date('2026-11-23T09:00:00Z');

/** "What expires" is one core read: the API, MCP and the chat give the same lots, judged by the hospital's day. */
describe.each(drivers)('what expires, on every channel (%s)', (driver) => {
  let t: TestDatabase;
  let h: Hospital;
  let token: string;

  beforeAll(async () => {
    t = await openTestDatabase(driver);
    h = await buildHospital(t.db, 'EXP');
    const warehouse = { ...contextFor(t.db, h.actors.warehouse), now: () => morning };
    await receiveAtWarehouse(
      h,
      [
        { itemId: h.syringe.id, lotCode: 'S-LASTDAY', expiry: '2026-11-23', quantity: 6 },
        { itemId: h.gloves.id, lotCode: 'G-DEC', expiry: '2026-12-10', quantity: 200 },
        { itemId: h.gloves.id, lotCode: 'G-LATER', expiry: '2027-06-30', quantity: 100 },
      ],
      warehouse,
    );
    await issueBetween(warehouse, h.warehouse.id, h.cardioStore.id, [
      { itemId: h.syringe.id, quantity: 6 },
      { itemId: h.gloves.id, quantity: 150 },
    ]);
    token = (await createApiToken({ ctx: h.sys, input: { userId: h.actors.nurse.userId!, name: 'nurse' } })).token;
  }, 60_000);
  afterAll(() => t?.close());

  it('answers the same lots over HTTP and in chat, with a lot expired by the Italian date', async () => {
    const app = createApp({ db: t.db, now: () => lateEvening });
    const res = await app.request(`/v1/stock/expiring?locationId=${h.cardio.id}&withinDays=30`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(200);
    const http = (await res.json()) as {
      today: string;
      data: { lot: { lotCode: string; status: string }; daysLeft: number; quantity: number }[];
    };
    expect(http.today).toBe('2026-11-24');
    expect(http.data.map((r) => [r.lot.lotCode, r.daysLeft, r.quantity])).toEqual([
      ['S-LASTDAY', -1, 6],
      ['G-DEC', 16, 150],
    ]);

    const conversation = createConversation({ db: t.db, now: () => lateEvening });
    const chat = await conversation.handle(
      { actor: { ...h.actors.nurse, channel: 'slack' }, locale: 'it' },
      'cosa scade entro 30 giorni in cardiologia?',
    );
    expect(chat.kind).toBe('answer');
    expect(chat.text).toBe(
      '2 lotti scadono entro 30 giorni in Cardiologia. Il primo: Siringa monouso 10 ml, lotto S-LASTDAY (SCADUTO), 6 pezzi, il 2026-11-23. Un lotto non è più utilizzabile: scaduto, richiamato o in quarantena.',
    );
    expect(chat.table?.rows.map((r) => r[2])).toEqual(http.data.map((r) => r.lot.lotCode));

    const client = await connectMcp(app, token);
    try {
      const mcp = (await client.callTool({
        name: 'list_expiring_lots',
        arguments: { location_id: h.cardio.id, within_days: 30 },
      })) as unknown as { structuredContent: typeof http };
      expect(mcp.structuredContent).toEqual(http);
    } finally {
      await client.close();
    }

    const onlyGloves = await conversation.handle(
      { actor: { ...h.actors.nurse, channel: 'slack' }, locale: 'en' },
      'what expires within 30 days in cardiology for M gloves?',
    );
    expect(onlyGloves.table?.rows.map((r) => r[2])).toEqual(['G-DEC']);
  });
});
