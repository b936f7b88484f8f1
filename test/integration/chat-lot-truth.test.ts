import { count } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../api/core/context.ts';
import { emitRequest } from '../../api/requests/emit-request.ts';
import { createConversation } from '../../bot/conversation.ts';
import { chatProposals } from '../../db/schema/index.ts';
import { drivers, openTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { buildHospital, contextFor, today, type Hospital } from '../helpers/fixture.ts';
import { lotByCode } from '../helpers/ledger.ts';
import { receiveAtWarehouse, issueBetween, transferBetween } from '../helpers/stock-moves.ts';

/**
 * Issue #16: an answer about a lot tells its status first and every holder (or how many more), and a recall or
 * quarantine the lot's status forbids is refused before anything is proposed, in the user's language.
 */
describe.each(drivers)('chat answers about a lot tell the whole truth (%s)', (driver) => {
  let t: TestDatabase;
  let h: Hospital;
  const slack = (actor: Actor): Actor => ({ ...actor, channel: 'slack' });
  const proposals = async () => (await t.db.select({ n: count() }).from(chatProposals))[0]!.n;
  // Seven holders: the warehouse (60), Surgery (15), ADI (10), Cardiology's store (5), its cabinet (5), the pharmacy
  // (3), a home (2).
  const holders = [
    'Magazzino Generale',
    'Chirurgia Generale',
    'Assistenza Domiciliare',
    'Magazzino Cardiologia',
    'Armadio Cardiologia',
    'Farmacia',
    'Domicilio P-001',
  ];

  beforeAll(async () => {
    t = await openTestDatabase(driver);
    h = await buildHospital(t.db, 'TRU');
    await receiveAtWarehouse(h, [
      { itemId: h.gloves.id, lotCode: 'TRUTH-1', expiry: '2028-06-30', quantity: 100 },
      { itemId: h.syringe.id, lotCode: 'SOON-1', expiry: '2026-12-01', quantity: 10 },
    ]);
    const lot = await lotByCode(t.db, h.gloves.id, 'TRUTH-1');
    const line = (quantity: number) => [{ itemId: h.gloves.id, lotId: lot.id, quantity }];
    await issueBetween(h.sys, h.warehouse.id, h.cardioStore.id, line(10));
    await issueBetween(h.sys, h.warehouse.id, h.surgery.id, line(15));
    await issueBetween(h.sys, h.warehouse.id, h.homeCare.id, line(12));
    await transferBetween(h.sys, h.homeCare.id, h.home.id, line(2));
    await transferBetween(h.sys, h.cardioStore.id, h.cabinet.id, line(5));
    await transferBetween(h.sys, h.warehouse.id, h.pharmacy.id, line(3));
  }, 60_000);
  afterAll(async () => t?.close());

  it('names every holder in writing, the first three aloud and how many more, with the status first', async () => {
    const conversation = createConversation({ db: t.db, now: () => today });
    const it_ = await conversation.handle(
      { actor: slack(h.actors.pharmacist), locale: 'it' },
      "dov'è il lotto TRUTH-1?",
    );
    expect(it_.kind).toBe('answer');
    expect(
      it_.text.startsWith(
        'Il lotto TRUTH-1 di Guanti in nitrile taglia M è disponibile, scade il 2028-06-30. 100 pezzi ancora presenti in 7 luoghi: Magazzino Generale 60 pezzi, Chirurgia Generale 15 pezzi, ',
      ),
    ).toBe(true);
    for (const name of holders) expect(it_.text).toContain(name);
    expect(it_.speech).toContain(
      'in 7 luoghi: Magazzino Generale 60 pezzi, Chirurgia Generale 15 pezzi, Assistenza Domiciliare 10 pezzi e altri 4 luoghi',
    );
    expect(it_.speech).not.toContain('Farmacia');

    const en = await conversation.handle({ actor: slack(h.actors.pharmacist), locale: 'en' }, 'where is lot TRUTH-1?');
    expect(
      en.text.startsWith(
        'Lot TRUTH-1 of Nitrile gloves size M is available, expiring on 2028-06-30. 100 pieces still on hand at 7 locations:',
      ),
    ).toBe(true);
    for (const name of holders) expect(en.text).toContain(name);
    expect(en.speech).toContain('and 4 more locations');
  });

  it('after a recall through chat, says RECALLED with the reason before anything else, aloud too', async () => {
    const conversation = createConversation({ db: t.db, now: () => today });
    const warehouse = { actor: slack(h.actors.warehouse), locale: 'it' as const };
    // A quarantine proposed before the recall: it will be refused on confirmation, in words.
    const stale = await conversation.handle(warehouse, 'quarantena lotto TRUTH-1');
    expect(stale.kind).toBe('proposal');
    const proposal = await conversation.handle(warehouse, 'richiama il lotto TRUTH-1');
    expect(proposal.kind).toBe('proposal');
    const done = await conversation.confirm(warehouse, proposal.proposal!.id);
    expect(done).toMatchObject({ kind: 'confirmed', text: expect.stringContaining('lotto TRUTH-1 richiamato') });

    const late = await conversation.confirm(warehouse, stale.proposal!.id);
    expect(late).toMatchObject({
      kind: 'refusal',
      text: 'Il lotto TRUTH-1 è richiamato e il richiamo è definitivo: non può più essere «in quarantena».',
    });
    const lateEn = await conversation.confirm({ ...warehouse, locale: 'en' }, stale.proposal!.id);
    expect(lateEn).toMatchObject({
      kind: 'refusal',
      text: 'Lot TRUTH-1 is recalled and a recall is final: it can no longer be “quarantined”.',
    });

    const it_ = await conversation.handle(
      { actor: slack(h.actors.pharmacist), locale: 'it' },
      "dov'è il lotto TRUTH-1?",
    );
    expect(
      it_.text.startsWith(
        'Il lotto TRUTH-1 di Guanti in nitrile taglia M è RICHIAMATO (motivo: Chat: richiama il lotto TRUTH-1). 100 pezzi ancora presenti in 7 luoghi:',
      ),
    ).toBe(true);
    expect(it_.title).toContain('RICHIAMATO');
    expect(
      it_.speech.startsWith(
        'Il lotto TRUTH-1 di Guanti in nitrile taglia M è RICHIAMATO. 100 pezzi ancora presenti in 7 luoghi:',
      ),
    ).toBe(true);
    const en = await conversation.handle({ actor: slack(h.actors.pharmacist), locale: 'en' }, 'trace lot TRUTH-1');
    expect(
      en.text.startsWith('Lot TRUTH-1 of Nitrile gloves size M is RECALLED (reason: Chat: richiama il lotto TRUTH-1).'),
    ).toBe(true);
    expect(en.speech).toMatch(
      /^Lot TRUTH-1 of Nitrile gloves size M is RECALLED\. 100 pieces still on hand at 7 locations: .* and 4 more locations; 0 pieces consumed\.$/,
    );
  });

  it("refuses a second recall, or a quarantine of the recalled lot, before proposing anything, in the user's language", async () => {
    const conversation = createConversation({ db: t.db, now: () => today });
    const before = await proposals();
    const again = await conversation.handle(
      { actor: slack(h.actors.warehouse), locale: 'it' },
      'richiama il lotto TRUTH-1',
    );
    expect(again).toMatchObject({
      kind: 'refusal',
      text: "Il lotto TRUTH-1 è già richiamato: non c'è niente da cambiare.",
    });
    const againEn = await conversation.handle({ actor: slack(h.actors.warehouse), locale: 'en' }, 'recall lot TRUTH-1');
    expect(againEn).toMatchObject({
      kind: 'refusal',
      language: 'en',
      text: 'Lot TRUTH-1 is already recalled: there is nothing to change.',
    });
    const hold = await conversation.handle(
      { actor: slack(h.actors.warehouse), locale: 'en' },
      'put lot TRUTH-1 in quarantine',
    );
    expect(hold).toMatchObject({
      kind: 'refusal',
      text: 'Lot TRUTH-1 is recalled and a recall is final: it can no longer be “quarantined”.',
    });
    expect(await proposals()).toBe(before);
  });

  it('says the recalled stock in a stock answer instead of a bare 0 available', async () => {
    const conversation = createConversation({ db: t.db, now: () => today });
    const it_ = await conversation.handle(
      { actor: slack(h.actors.nurse), locale: 'it' },
      'quanti guanti M ci sono nel magazzino cardiologia?',
    );
    expect(it_.text).toContain(
      '0 pezzi disponibili di Guanti in nitrile taglia M, più 10 non utilizzabili (richiamato: 10)',
    );
    const en = await conversation.handle(
      { actor: slack(h.actors.nurse), locale: 'en' },
      'how many M gloves in the cardiology store?',
    );
    expect(en.text).toContain('0 pieces available of Nitrile gloves size M, plus 10 not usable (recalled: 10)');
  });

  it('calls a lot past its expiry (by the local date) EXPIRED, in the trace and in what expires', async () => {
    const later = () => new Date('2026-12-01T23:30:00Z'); // 2 December in Rome: SOON-1 expired yesterday there.
    const conversation = createConversation({ db: t.db, now: later });
    const it_ = await conversation.handle(
      { actor: slack(h.actors.pharmacist), locale: 'it' },
      "dov'è il lotto SOON-1?",
    );
    expect(
      it_.text.startsWith(
        'Il lotto SOON-1 di Siringa monouso 10 ml è SCADUTO il 2026-12-01. 10 pezzi ancora presenti in un luogo: Magazzino Generale 10 pezzi;',
      ),
    ).toBe(true);
    const en = await conversation.handle({ actor: slack(h.actors.pharmacist), locale: 'en' }, 'where is lot SOON-1?');
    expect(
      en.speech.startsWith(
        'Lot SOON-1 of Disposable syringe 10 ml is EXPIRED on 2026-12-01. 10 pieces still on hand at one location: Magazzino Generale 10 pieces;',
      ),
    ).toBe(true);
    const expiring = await conversation.handle(
      { actor: slack(h.actors.warehouse), locale: 'it' },
      'cosa scade entro 30 giorni in magazzino?',
    );
    expect(expiring.table!.rows.find((r) => r.includes('SOON-1'))).toContain('scaduto');
    expect(expiring.text).toContain('Un lotto non è più utilizzabile: scaduto, richiamato o in quarantena.');
  });

  it("says a request's status, its lines' statuses and its urgency in words, never as codes", async () => {
    const request = await emitRequest({
      ctx: contextFor(t.db, h.actors.nurse),
      input: { destinationId: h.cardioStore.id, urgency: 'urgent', lines: [{ itemId: h.syringe.id, quantity: 2 }] },
    });
    const conversation = createConversation({ db: t.db, now: () => today });
    expect(request.lines[0]!.status).toBe('routed');
    for (const [locale, status, urgency, line] of [
      ['it', 'inviata, in attesa di valutazione', 'urgente', 'inoltrata'],
      ['en', 'submitted, waiting for evaluation', 'urgent', 'routed'],
    ] as const) {
      const answer = await conversation.handle(
        { actor: slack(h.actors.nurse), locale },
        locale === 'it'
          ? `a che punto è la richiesta ${request.number}?`
          : `what is the status of request ${request.number}?`,
      );
      expect(answer.kind).toBe('answer');
      expect(answer.speech).toContain(status);
      expect(answer.title).toBe(`${request.number} · ${urgency}`);
      expect(answer.table!.rows[0]![1]).toBe(line);
    }
  });
});
