import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLinkCode, linkChatAccount } from '../../api/chat/link-codes.ts';
import { cancelProposal, confirmProposal, proposeWrite } from '../../api/chat/proposals.ts';
import type { Actor } from '../../api/core/context.ts';
import { createConversation } from '../../bot/conversation.ts';
import { chatProposals } from '../../db/schema/index.ts';
import { drivers, openTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { contextFor, today } from '../helpers/fixture.ts';
import { failsWith } from '../helpers/ledger.ts';
import { buildRequestsHospital, contextAt, documentCounts, type RequestsHospital } from '../helpers/requests.ts';
import { useSyringesInCardiology } from '../helpers/stock-moves.ts';

describe.each(drivers)('chat proposals and write safety (%s)', (driver) => {
  let database: TestDatabase;
  let h: RequestsHospital;
  let nurse: Actor;

  beforeAll(async () => {
    database = await openTestDatabase(driver);
    h = await buildRequestsHospital(database.db, 'CHT');
    nurse = { ...h.actors.nurse, channel: 'slack' };
    // Cardiology used 32 syringes over the last four weeks: W = 32 / 8 = 4 a week over the 56-day history.
    await useSyringesInCardiology(database.db, h);
  }, 60_000);
  afterAll(async () => database?.close());

  const proposal = () =>
    proposeWrite({
      ctx: contextFor(database.db, nurse),
      input: {
        action: 'request_items',
        input: { destinationId: h.cardio.id, urgency: 'normal', lines: [{ itemId: h.gloves.id, quantity: 10 }] },
        summary: { item: 'DM-GUA-M' },
      },
    });

  it("refuses a chat order beyond 4 weeks of the ward's usual consumption, with the reason", async () => {
    const conversation = createConversation({ db: database.db, now: () => today });
    const speaker = { actor: nurse, locale: 'it' as const };
    const refused = await conversation.handle(speaker, 'ordina 17 siringhe da 10 ml per cardiologia');
    expect(refused.kind).toBe('refusal');
    expect(refused.text).toContain('più di 4 volte il consumo abituale di Cardiologia (4 pz a settimana');
    const ok = await conversation.handle(speaker, 'ordina 16 siringhe da 10 ml per cardiologia');
    expect(ok.kind).toBe('proposal');
  });

  it("refuses a message with NUL or a lone surrogate in the reader's language, and proposes nothing", async () => {
    const conversation = createConversation({ db: database.db, now: () => today });
    const before = (await database.db.select().from(chatProposals)).length;
    const nul = await conversation.handle(
      { actor: nurse, locale: 'it' },
      'ordina 16 siringhe da 10 ml\u0000 per cardiologia',
    );
    expect(nul).toMatchObject({
      kind: 'refusal',
      text: 'Il testo in text contiene un carattere NUL o un surrogato spaiato: invia testo Unicode valido.',
    });
    const lone = await conversation.handle(
      { actor: nurse, locale: 'en' },
      'order 16 syringes',
      'for cardiology \uD800',
    );
    expect(lone).toMatchObject({
      kind: 'refusal',
      text: expect.stringMatching(/^The text in followUp contains a NUL character/),
    });
    expect((await database.db.select().from(chatProposals)).length).toBe(before);
  });

  it('refuses an expired proposal and writes nothing', async () => {
    const p = await proposal();
    const before = await documentCounts(database.db);
    await failsWith(
      confirmProposal({
        ctx: contextAt(database.db, nurse, new Date(today.getTime() + 16 * 60_000)),
        input: { proposalId: p.id },
      }),
      { code: 'precondition_failed', key: 'proposal_expired' },
    );
    expect(await documentCounts(database.db)).toEqual(before);
    expect((await database.db.select().from(chatProposals).where(eq(chatProposals.id, p.id)))[0]!.status).toBe(
      'expired',
    );
  });

  it('only the proposing user decides, on the channel it was proposed on; a cancelled proposal cannot be confirmed', async () => {
    const p = await proposal();
    await failsWith(
      confirmProposal({
        ctx: contextFor(database.db, { ...h.actors.admin, channel: 'slack' }),
        input: { proposalId: p.id },
      }),
      { code: 'not_found', key: 'proposal_not_found' },
    );
    // The same user through an AI assistant (MCP) or by voice may not decide what was proposed in Slack.
    for (const channel of ['mcp', 'voice'] as const) {
      await failsWith(
        confirmProposal({ ctx: contextFor(database.db, { ...nurse, channel }), input: { proposalId: p.id } }),
        { code: 'not_found', key: 'proposal_not_found' },
      );
      await failsWith(
        cancelProposal({ ctx: contextFor(database.db, { ...nurse, channel }), input: { proposalId: p.id } }),
        { code: 'not_found', key: 'proposal_not_found' },
      );
    }
    expect((await database.db.select().from(chatProposals).where(eq(chatProposals.id, p.id)))[0]!.status).toBe(
      'pending',
    );
    await cancelProposal({ ctx: contextFor(database.db, nurse), input: { proposalId: p.id } });
    await failsWith(confirmProposal({ ctx: contextFor(database.db, nurse), input: { proposalId: p.id } }), {
      code: 'conflict',
      key: 'proposal_closed',
    });
  });

  it("refuses to propose for a ward outside the user's scope", async () => {
    await failsWith(
      proposeWrite({
        ctx: contextFor(database.db, nurse),
        input: {
          action: 'request_items',
          input: { destinationId: h.surgery.id, lines: [{ itemId: h.gloves.id, quantity: 1 }] },
          summary: {},
        },
      }),
      { code: 'forbidden' },
    );
  });

  it('writes once when the same proposal is confirmed concurrently', async () => {
    const p = await proposal();
    const before = await documentCounts(database.db);
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        confirmProposal({ ctx: contextFor(database.db, nurse), input: { proposalId: p.id } }),
      ),
    );
    expect(results.filter((r) => !r.replayed)).toHaveLength(1);
    expect(new Set(results.map((r) => r.result?.reference)).size).toBe(1);
    expect((await documentCounts(database.db)).requests).toBe(before.requests + 1);
  });

  it('redeems a link code once, and not after it expires', async () => {
    const { code } = await createLinkCode({ ctx: contextFor(database.db, h.actors.nurse), input: {} });
    const account = { provider: 'slack' as const, workspace: 'T9', externalUserId: 'U1', code };
    await expect(
      linkChatAccount({ ctx: { db: database.db, now: () => new Date(today.getTime() + 16 * 60_000) }, input: account }),
    ).rejects.toMatchObject({ key: 'link_code_invalid' });
    expect(await linkChatAccount({ ctx: { db: database.db, now: () => today }, input: account })).toMatchObject({
      userId: h.actors.nurse.userId,
    });
    await expect(
      linkChatAccount({ ctx: { db: database.db, now: () => today }, input: { ...account, externalUserId: 'U2' } }),
    ).rejects.toMatchObject({ key: 'link_code_invalid' });
    await failsWith(
      createLinkCode({ ctx: contextFor(database.db, h.actors.nurse), input: { userId: h.actors.otherNurse.userId! } }),
      { code: 'forbidden' },
    );
  });
});
