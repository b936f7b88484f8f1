import { describe, expect, it } from 'vitest';
import { parseUtterance } from '../../bot/nlu/parse.ts';
import type { NluCatalogue } from '../../bot/nlu/types.ts';
import { demoNluCatalogue } from '../nlu/catalogue.ts';

const catalogue = demoNluCatalogue();
const in2027 = new Date('2027-02-01T10:00:00Z');
const parse = (text: string, now = in2027, from: NluCatalogue = catalogue) => parseUtterance(text, from, { now });

describe('request numbers as people abbreviate them', () => {
  it.each([
    ['a che punto è la RIC 123?', 'RIC-2027-000123'],
    ['stato ric123', 'RIC-2027-000123'],
    ['stato della ric-2026-123', 'RIC-2026-000123'],
    ['RIC-2026-000123', 'RIC-2026-000123'],
    ['la richiesta 45 è stata evasa?', 'RIC-2027-000045'],
    ['stato richiesta numero 77', 'RIC-2027-000077'],
    ['status of request no. 310', 'RIC-2027-000310'],
    ['novità sulla 318/2026?', 'RIC-2026-000318'],
    ['was request 5/2026 approved?', 'RIC-2026-000005'],
    ['has #87 been shipped yet', 'RIC-2027-000087'],
  ])('%j → %s (no year: the year of now)', (text, number) => {
    expect(parse(text)).toMatchObject({ intent: 'request_status', slots: { requestNumber: number } });
  });

  it('takes the year from the clock it is given', () => {
    expect(parse('status of RIC 9', new Date('2026-12-31T23:00:00Z')).slots.requestNumber).toBe('RIC-2026-000009');
  });

  it.each([
    ['cosa scade entro 10/2026', 'a month and year'],
    ['richiedi 20 guanti M per la cardiologia', 'a quantity after a request verb'],
    ['request 10 boxes of gauze for ICU', 'a quantity of boxes'],
    ['dove è finito il lotto #12345', 'a lot number'],
    ['sutura 3/0 in chirurgia', 'a suture size'],
  ])('%j is not a request number (%s)', (text) => {
    expect(parse(text).slots.requestNumber).toBeUndefined();
  });

  it('does not read "request 10 5 ml syringes" as request 10', () => {
    const r = parse('request 10 5 ml syringes for cardiology');
    expect(r.intent).toBe('request_items');
    expect(r.slots.requestNumber).toBeUndefined();
  });

  it('keeps the quantity when "request" is followed by one', () => {
    expect(parse('request 10 boxes of gauze for ICU').slots).toMatchObject({
      quantity: 10,
      unit: 'pack',
      location: { code: 'TI' },
    });
    expect(parse('dove è finito il lotto #12345').slots.lotCode).toBe('12345');
  });
});

describe('patient codes in other formats', () => {
  it.each([
    ['quanti giorni di copertura ha pz 3?', 'P-003'],
    ['forniture del paziente p3', 'P-003'],
    ['paz. 5 ha abbastanza sacche enterali?', 'P-005'],
    ['autonomia del paziente P-0004', 'P-004'],
    ['how many days of cover for pt 2', 'P-002'],
    ['supplies for patient #4', 'P-004'],
    ['quanti giorni di copertura ha la paziente numero tre', 'P-003'],
  ])('%j → the catalogue patient %s', (text, code) => {
    expect(parse(text)).toMatchObject({ intent: 'patient_supplies', slots: { patientCode: code } });
  });

  it.each([
    ['scorte del paziente PZ-0042', 'PZ-0042'],
    ['il paziente 42 ha ancora strisce?', 'P-042'],
    ['send 3 boxes of gauze to patient P-77', 'P-077'],
  ])('%j → the unknown patient %s, kept for the answer (never dropped, never a lot code)', (text, code) => {
    const r = parse(text);
    expect(r.slots.patientCode).toBe(code);
    expect(r.slots.lotCode).toBeUndefined();
  });

  it('reads "pz" after a number as pieces, not as a patient', () => {
    const r = parse('ordina 20 pz 5 ml siringhe per cardiologia');
    expect(r.slots).toMatchObject({ quantity: 20, unit: 'unit', item: { code: 'DM-SIR-005' } });
    expect(r.slots.patientCode).toBeUndefined();
  });

  it.each(['traccia il lotto P12345', 'richiama il lotto n. PZ0042', 'where did batch P-0031 go?'])(
    '%j names a lot, not a patient',
    (text) => {
      const r = parse(text);
      expect(r.slots.patientCode).toBeUndefined();
      expect(r.slots.lotCode).toBeDefined();
    },
  );

  it("writes an unknown number in the style of the catalogue's own codes", () => {
    const other: NluCatalogue = {
      ...catalogue,
      locations: [
        { id: 'h1', code: 'DOM-1', name: 'Domicilio', nameEn: null, aliases: [], kind: 'home', patientCode: 'PZ-0007' },
      ],
    };
    expect(parse('scorte del paziente 7', in2027, other).slots.patientCode).toBe('PZ-0007');
    expect(parse('scorte del paziente 42', in2027, other).slots.patientCode).toBe('PZ-0042');
    expect(parse('scorte di P-0042', in2027, other).slots.patientCode).toBe('P-0042');
  });
});

describe('clinical requests about a patient are out of scope', () => {
  it.each([
    'prenota una TAC per il paziente P-003',
    'registra la pressione del paziente P-002: 140/90',
    'qual è la saturazione del paziente 4?',
    'book an MRI for patient P-001',
    'what is the heart rate of patient P-002?',
    'schedule a blood test for patient 3',
  ])('%j', (text) => {
    expect(parse(text)).toMatchObject({
      intent: 'out_of_scope',
      clinical: true,
      slots: {},
      requiresConfirmation: false,
    });
  });

  it('an order that gives a clinical reason stays an order, to confirm', () => {
    expect(parse('ordina 3 bombole di ossigeno per il paziente P-003, saturazione bassa')).toMatchObject({
      intent: 'request_items',
      slots: { item: { code: 'GAS-O2-B2' }, quantity: 3, patientCode: 'P-003' },
      requiresConfirmation: true,
    });
  });

  it('an item whose name starts like a booking verb is not a booking', () => {
    expect(
      parse('quante medicazioni trasparenti per il fissaggio agocannula ha il paziente P-002 dopo la visita?').clinical,
    ).toBeUndefined();
  });

  it('a clinical word without a patient is not the clinical refusal', () => {
    expect(parse('pressione delle bombole di ossigeno in TI').clinical).toBeUndefined();
  });
});

describe('home-care horizons', () => {
  it.each([
    ['chi resta senza strisce entro 10 giorni?', 10, 'DIAG-STR-GLI'],
    ['a chi finiscono le sacche enterali entro una settimana?', 7, 'NUTR-ENT-STD'],
    ['who will run out of test strips in the next 2 weeks', 14, 'DIAG-STR-GLI'],
    ['which patients run out of supplies within 5 days?', 5, undefined],
  ])('%j → patient supplies within %d days', (text, days, item) => {
    const r = parse(text);
    expect(r).toMatchObject({ intent: 'patient_supplies', slots: { horizonDays: days } });
    expect(r.slots.item?.code).toBe(item);
  });
});

describe('home-care words do not take over expiry questions', () => {
  it('"cosa scade per i pazienti a domicilio entro 30 giorni" is about expiry', () => {
    expect(parse('cosa scade per i pazienti a domicilio entro 30 giorni')).toMatchObject({
      intent: 'expiring',
      slots: { horizonDays: 30 },
    });
  });
});

describe('counts and sizes', () => {
  it.each([
    ['ordina 20 guanti M per la cardiologia', 20, 'DPI-GUA-NM', undefined],
    ['mi servono 2 paia di guanti sterili misura 7 in chirurgia', 2, 'DM-GUA-ST70', 'unit'],
    ['ordina 10 siringhe 5 ml per il PS', 10, 'DM-SIR-005', undefined],
    ['3 scatole di garze 10x10 per medicina interna', 3, 'MEDIC-GAR-10', 'pack'],
    ['order 30 10 ml syringes for cardiology', 30, 'DM-SIR-010', undefined],
    ['we need 12 CH16 foley catheters in the ICU', 12, 'DM-FOL-CH16', undefined],
  ])('%j → %d of %s', (text, quantity, code, unit) => {
    const r = parse(text);
    expect(r).toMatchObject({ intent: 'request_items', slots: { quantity, item: { code } }, issues: [] });
    expect(r.slots.unit).toBe(unit);
  });

  it.each([
    'ordina 0 guanti M per la cardiologia',
    'ordina -3 siringhe da 10 ml per la TI',
    'manda zero garze al pronto soccorso',
    'order minus three ampoules of morphine for the ICU',
  ])('%j carries a not_positive issue', (text) => {
    expect(parse(text).issues.map((i) => i.code)).toEqual(['not_positive']);
  });
});
