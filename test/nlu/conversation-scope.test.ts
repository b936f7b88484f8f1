import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createItem } from '../../api/catalogue/items.ts';
import type { Actor } from '../../api/core/context.ts';
import { setSupplyPlan } from '../../api/homecare/set-supply-plan.ts';
import { createLocation } from '../../api/locations/locations.ts';
import { createConversation, type Conversation } from '../../bot/conversation.ts';
import { chatProposals } from '../../db/schema/index.ts';
import { drivers, openTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { buildHospital, contextFor, today, type Hospital } from '../helpers/fixture.ts';
import { receiveAtWarehouse, issueBetween } from '../helpers/stock-moves.ts';

/**
 * The bot text path (createConversation → parse → answer) for what issue #16 item 5 adds: unknown patients,
 * clinical requests, zero or negative quantities and home-care horizons, in Italian and English.
 */
describe.each(drivers)('conversation: patients, scope and quantities (%s)', (driver) => {
  let database: TestDatabase;
  let h: Hospital;
  let conversation: Conversation;
  let homeCare: Actor;
  let nurse: Actor;
  const proposals = async () => (await database.db.select().from(chatProposals)).length;

  beforeAll(async () => {
    database = await openTestDatabase(driver);
    h = await buildHospital(database.db, 'NLU');
    homeCare = { ...h.actors.homeCare, channel: 'slack' };
    nurse = { ...h.actors.nurse, channel: 'slack' };
    const strips = await createItem({
      ctx: h.sys,
      input: {
        code: 'DIAG-STR',
        name: 'Strisce glicemia',
        nameEn: 'Glucose test strips',
        synonyms: ['strisce', 'test strips'],
        categoryId: h.category.id,
        unit: 'pz',
        packSize: 50,
        referencePrice: 0.3,
      },
    });
    const lancets = await createItem({
      ctx: h.sys,
      input: {
        code: 'DIAG-LAN',
        name: 'Lancette pungidito',
        nameEn: 'Lancets',
        synonyms: ['lancette', 'lancets'],
        categoryId: h.category.id,
        unit: 'pz',
        packSize: 200,
        referencePrice: 0.1,
      },
    });
    const home2 = await createLocation({
      ctx: h.sys,
      input: { kind: 'home', code: 'DOM-P002', name: 'Domicilio P-002', parentId: h.homeCare.id, patientCode: 'P-002' },
    });
    await receiveAtWarehouse(h, [
      { itemId: strips.id, lotCode: 'S1', expiry: '2028-01-31', quantity: 1000 },
      { itemId: lancets.id, lotCode: 'L1', expiry: '2028-01-31', quantity: 1000 },
    ]);
    // P-001: 20 strips at 4 a day (5 days), 300 lancets at 3 a day (100 days); P-002: 200 strips at 4 a day (50 days).
    await issueBetween(h.sys, h.warehouse.id, h.home.id, [
      { itemId: strips.id, quantity: 20 },
      { itemId: lancets.id, quantity: 300 },
    ]);
    await issueBetween(h.sys, h.warehouse.id, home2.id, [{ itemId: strips.id, quantity: 200 }]);
    const ctx = contextFor(database.db, h.actors.homeCare);
    await setSupplyPlan({ ctx, input: { locationId: h.home.id, itemId: strips.id, dailyQuantity: 4 } });
    await setSupplyPlan({ ctx, input: { locationId: h.home.id, itemId: lancets.id, dailyQuantity: 3 } });
    await setSupplyPlan({ ctx, input: { locationId: home2.id, itemId: strips.id, dailyQuantity: 4 } });
    conversation = createConversation({ db: database.db, now: () => today });
  }, 60_000);
  afterAll(async () => database?.close());

  describe('unknown patient', () => {
    it.each([
      ['it', 'scorte del paziente PZ-0042', 'Paziente PZ-0042 sconosciuto. Controlla il codice (per esempio P-001).'],
      ['en', 'home supplies of patient PZ-0099', 'Unknown patient PZ-0099. Check the code (for example P-001).'],
      [
        'it',
        'il paziente 42 ha ancora strisce?',
        'Paziente P-042 sconosciuto. Controlla il codice (per esempio P-001).',
      ],
    ] as const)('%s: %j is answered as unknown, not ignored', async (locale, text, answer) => {
      expect(await conversation.handle({ actor: homeCare, locale }, text)).toMatchObject({
        kind: 'answer',
        language: locale,
        text: answer,
      });
    });

    it.each([
      [
        'it',
        'ordina 2 confezioni di strisce per il paziente PZ-0042',
        'Paziente PZ-0042 sconosciuto. Non ho ordinato niente.',
      ],
      ['en', 'send 3 boxes of test strips to patient P-77', 'Unknown patient P-077. Nothing was ordered.'],
    ] as const)(
      "%s: an order for %j proposes nothing (not even for the user's own ward)",
      async (locale, text, start) => {
        const before = await proposals();
        const reply = await conversation.handle({ actor: homeCare, locale }, text);
        expect(reply.kind).toBe('answer');
        expect(reply.text.startsWith(start)).toBe(true);
        expect(reply.proposal).toBeUndefined();
        expect(await proposals()).toBe(before);
      },
    );

    it('a known patient in another format is answered as that patient', async () => {
      const reply = await conversation.handle({ actor: homeCare, locale: 'it' }, 'quanti giorni di copertura ha pz 1?');
      expect(reply).toMatchObject({
        kind: 'answer',
        text: expect.stringMatching(/^Paziente P-001: scorte per 5 giorni\./),
      });
    });
  });

  describe('clinical requests are out of scope', () => {
    it.each([
      [
        'it',
        'prenota una TAC per il paziente P-001',
        'Mi occupo di logistica: non posso prenotare esami o registrare parametri clinici.',
      ],
      [
        'it',
        'registra la pressione del paziente P-002: 140/90',
        'Mi occupo di logistica: non posso prenotare esami o registrare parametri clinici.',
      ],
      ['en', 'book an MRI for patient P-001', 'I handle logistics: I cannot book exams or record clinical parameters.'],
      [
        'en',
        'what is the heart rate of patient P-002?',
        'I handle logistics: I cannot book exams or record clinical parameters.',
      ],
    ] as const)('%s: %j', async (locale, text, answer) => {
      const before = await proposals();
      expect(await conversation.handle({ actor: homeCare, locale }, text)).toMatchObject({
        kind: 'refusal',
        language: locale,
        text: answer,
      });
      expect(await proposals()).toBe(before);
    });

    it('other out-of-scope text still gets the help', async () => {
      expect(await conversation.handle({ actor: nurse, locale: 'it' }, 'raccontami una barzelletta')).toMatchObject({
        kind: 'help',
        text: expect.stringMatching(/^Non posso aiutarti con questo\./),
      });
    });
  });

  describe('zero or negative quantities are never a proposal', () => {
    it.each([
      [
        'it',
        'ordina 0 guanti M per la cardiologia',
        'La quantità deve essere maggiore di zero (hai scritto 0). Non ho ordinato niente.',
      ],
      [
        'it',
        'ordina -3 siringhe da 10 per la cardiologia',
        'La quantità deve essere maggiore di zero (hai scritto -3). Non ho ordinato niente.',
      ],
      [
        'en',
        'order zero medium gloves for cardiology',
        'The quantity must be more than zero (you wrote 0). Nothing was ordered.',
      ],
      [
        'en',
        'order minus five syringes 10 ml for cardiology',
        'The quantity must be more than zero (you wrote -5). Nothing was ordered.',
      ],
    ] as const)('%s: %j', async (locale, text, answer) => {
      const before = await proposals();
      const reply = await conversation.handle({ actor: nurse, locale }, text);
      expect(reply).toMatchObject({ kind: 'refusal', language: locale, text: answer });
      expect(reply.proposal).toBeUndefined();
      expect(await proposals()).toBe(before);
    });
  });

  describe('request numbers typed short reach the status answer', () => {
    let n = 0;
    beforeAll(async () => {
      const proposal = await conversation.handle(
        { actor: nurse, locale: 'it' },
        'ordina 5 guanti M per la cardiologia',
      );
      const done = await conversation.confirm({ actor: nurse, locale: 'it' }, proposal.proposal!.id);
      n = Number(/richiesta RIC-2026-(\d{6}) inviata/.exec(done.text)![1]);
    });

    it.each([
      [
        'it',
        (k: number) => `a che punto è la richiesta ${k}?`,
        'La richiesta {number} per Magazzino Cardiologia è inviata, in attesa di valutazione.',
      ],
      [
        'it',
        (k: number) => `stato ric${k}`,
        'La richiesta {number} per Magazzino Cardiologia è inviata, in attesa di valutazione.',
      ],
      [
        'en',
        (k: number) => `where is #${k}?`,
        'Request {number} for Magazzino Cardiologia is submitted, waiting for evaluation.',
      ],
      [
        'en',
        (k: number) => `status of request ${k}/2026`,
        'Request {number} for Magazzino Cardiologia is submitted, waiting for evaluation.',
      ],
    ] as const)('%s: %s', async (locale, text, answer) => {
      const number = `RIC-2026-${String(n).padStart(6, '0')}`;
      expect((await conversation.handle({ actor: nurse, locale }, text(n))).text.split('\n')[0]).toBe(
        answer.replace('{number}', number),
      );
    });
  });

  describe('home-care horizons reach the answer', () => {
    it('it: who runs out of strips within 10 days (P-001 in 5, not P-002 in 50)', async () => {
      const reply = await conversation.handle(
        { actor: homeCare, locale: 'it' },
        'chi resta senza strisce entro 10 giorni?',
      );
      expect(reply.text).toBe(
        'Un paziente resta senza Strisce glicemia entro 10 giorni: P-001. Il primo: P-001, Strisce glicemia tra 5 giorni.',
      );
      expect(reply.table?.rows).toEqual([['P-001', 'Strisce glicemia', '20 pezzi', '5', expect.any(String)]]);
    });

    it('en: a longer horizon takes in the other patient too', async () => {
      const reply = await conversation.handle(
        { actor: homeCare, locale: 'en' },
        'which patients run out of supplies within 60 days?',
      );
      expect(reply.text).toBe(
        '2 patients run out of supplies within 60 days: P-001, P-002. First: P-001, Glucose test strips in 5 days.',
      );
    });

    it('en: nobody within a shorter horizon', async () => {
      const reply = await conversation.handle(
        { actor: homeCare, locale: 'en' },
        'who will run out of test strips within 3 days',
      );
      expect(reply).toMatchObject({
        kind: 'answer',
        text: 'No patient runs out of Glucose test strips within 3 days.',
      });
    });

    it('it: one patient and a horizon says whether the supplies last it', async () => {
      const short = await conversation.handle(
        { actor: homeCare, locale: 'it' },
        'il paziente P-001 ha forniture per i prossimi 14 giorni?',
      );
      expect(short.text).toContain('Non bastano per 14 giorni: Strisce glicemia (5).');
      const enough = await conversation.handle(
        { actor: homeCare, locale: 'it' },
        'il paziente P-002 ha forniture per i prossimi 14 giorni?',
      );
      expect(enough.text).toContain('Bastano per i prossimi 14 giorni.');
    });
  });
});
