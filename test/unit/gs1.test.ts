import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gtinCheckDigit } from '../../api/catalogue/gtin.ts';
import { decodeSgtin96, encodeSgtin96, readTag } from '../../api/catalogue/epc.ts';
import { formatGs1, gs1Date, gs1Failure, gs1Year, parseGs1, type Gs1Data } from '../../api/catalogue/gs1.ts';

const GS = '\u001d';
const reference = new Date('2026-11-23T09:00:00Z');
const gtin = '08012345678907'; // valid: the check digit of 0801234567890 is 7
const sscc = '080123450000000012';

describe('parseGs1: what a pack code says', () => {
  it.each<[string, string, Partial<Gs1Data>]>([
    [
      'human-readable, parentheses',
      `(01)${gtin}(17)281231(10)L123(21)S1`,
      { gtin, expiry: '2028-12-31', lot: 'L123', serial: 'S1' },
    ],
    [
      'DataMatrix ]d2, FNC1 as GS after the lot',
      `]d201${gtin}1728123110L123${GS}21S1`,
      { gtin, expiry: '2028-12-31', lot: 'L123', serial: 'S1' },
    ],
    [
      'GS1-128 ]C1, serial before expiry, day 00',
      `]C101${gtin}21ABC123${GS}1728060010LOT-7`,
      { gtin, expiry: '2028-06-30', serial: 'ABC123', lot: 'LOT-7' },
    ],
    [
      'raw, fixed-length AIs chained, the variable one last',
      `01${gtin}112501151727020010A1B2`,
      { gtin, productionDate: '2025-01-15', expiry: '2027-02-28', lot: 'A1B2' },
    ],
    ['day 00 in a leap February', `(01)${gtin}(17)280200`, { expiry: '2028-02-29' }],
    ['a leading GS (FNC1 sent as GS)', `${GS}01${gtin}10X${GS}`, { gtin, lot: 'X' }],
    ['variable count (30)', `(01)${gtin}(30)12`, { count: 12 }],
    ['logistic unit: SSCC, content, count', `(00)${sscc}(02)${gtin}(37)24`, { sscc, content: gtin, count: 24 }],
    [
      'an FMD pack: product code, serial, batch, expiry',
      `]d201${gtin}21PK7Q2X9M4R${GS}10B2311A${GS}17270331`,
      { serial: 'PK7Q2X9M4R', lot: 'B2311A', expiry: '2027-03-31' },
    ],
    ['GS1 character set 82 in a lot', `(01)${gtin}(10)A-1/2.b_C`, { lot: 'A-1/2.b_C' }],
    ['whitespace around the code', `  (01)${gtin}(10)L1  `, { lot: 'L1' }],
  ])('%s', (_, input, expected) => {
    const result = parseGs1(input, reference);
    expect(result).toMatchObject({ ok: true, data: expected });
  });

  it.each<[string, string, string, string | null]>([
    ['a wrong GTIN check digit', `(01)08012345678906(17)281231(10)L123(21)S1`, 'bad_check_digit', '01'],
    ['a wrong SSCC check digit', `(00)080123450000000013`, 'bad_check_digit', '00'],
    ['month 13', `(01)${gtin}(17)281331`, 'bad_date', '17'],
    ['30 February', `(01)${gtin}(17)270230`, 'bad_date', '17'],
    ['29 February of a common year', `(01)${gtin}(17)270229`, 'bad_date', '17'],
    ['an unknown AI in parentheses', `(01)${gtin}(99)X`, 'unknown_ai', null],
    ['an unknown AI in a raw string', `01${gtin}9912`, 'unknown_ai', null],
    [
      'a lot running into the next AI (no separator)',
      `01${gtin}10LOTNUMBER123456789012321SERIAL`,
      'missing_separator',
      '10',
    ],
    ['a GTIN one digit short', `(01)0801234567890`, 'wrong_length', '01'],
    ['a GS inside a fixed-length field', `01080123456789${GS}07`, 'wrong_length', '01'],
    ['an empty lot', `(01)${gtin}(10)`, 'wrong_length', '10'],
    ['a space in a lot', `(01)${gtin}(10)L 123`, 'invalid_characters', '10'],
    ['letters in a count', `(01)${gtin}(30)1A`, 'not_numeric', '30'],
    ['the same AI twice, different values', `(10)A(10)B`, 'duplicate_ai', '10'],
    ['nothing', '   ', 'empty', null],
    ['free text', 'GUANTI M', 'syntax', null],
    ['a stray parenthesis', `(01)${gtin})`, 'syntax', null],
  ])('refuses %s', (_, input, code, ai) => {
    const result = parseGs1(input, reference);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toMatchObject({ code, ai });
    expect(result.error.message).toMatch(/\w/);
    expect(result.error.messageIt).not.toBe(result.error.message);
  });

  it('names the expected check digit in both languages', () => {
    const result = parseGs1(`(01)08012345678906`, reference);
    expect(result).toMatchObject({
      ok: false,
      error: {
        message: 'Field (01) 08012345678906 has a wrong check digit: it should be 7.',
        messageIt: 'Il campo (01) 08012345678906 ha la cifra di controllo errata: dovrebbe essere 7.',
      },
    });
  });

  it('spells a pack one way whatever the scanner sent', () => {
    const raw = parseGs1(`]d201${gtin}21S1${GS}1728123110L123`, reference);
    const readable = parseGs1(`(01)${gtin}(10)L123(17)281231(21)S1`, reference);
    expect(raw.ok && readable.ok).toBe(true);
    if (!raw.ok || !readable.ok) return;
    expect(formatGs1(raw.data.elements)).toBe(`(01)${gtin}(10)L123(17)281231(21)S1`);
    expect(formatGs1(readable.data.elements)).toBe(formatGs1(raw.data.elements));
  });

  it('wraps an error as the core validation error, naming the field', () => {
    const result = parseGs1('(01)08012345678906', reference);
    if (result.ok) throw new Error('expected an error');
    const error = gs1Failure(result.error, 'code');
    expect(error).toMatchObject({
      code: 'validation',
      fields: [{ field: 'code', message: expect.stringContaining('check digit') }],
    });
  });
});

describe('two-digit years (GS1 General Specifications 7.12 sliding window)', () => {
  it.each([
    [28, 2026, 2028],
    [75, 2026, 2075], // 49 ahead: this century
    [76, 2026, 2076], // 50 ahead: still this century
    [77, 2026, 1977], // 51 ahead: the previous century
    [99, 2026, 1999],
    [0, 2026, 2000],
    [20, 2080, 2120], // 60 behind: the next century
    [30, 2080, 2130], // 50 behind: the next century
    [31, 2080, 2031], // 49 behind: this century
  ])('%i seen in %i → %i', (yy, year, expected) => {
    expect(gs1Year(yy, year)).toBe(expected);
  });

  it.each([
    ['281231', '2028-12-31'],
    ['280200', '2028-02-29'],
    ['270200', '2027-02-28'],
    ['270400', '2027-04-30'],
    ['271200', '2027-12-31'],
    ['270001', null],
    ['271301', null],
    ['270431', null],
    ['27043', null],
  ])('%s → %s', (yymmdd, expected) => {
    expect(gs1Date(yymmdd, 2026)).toBe(expected);
  });
});

/** An SGTIN-96 built field by field, to reach encodings `encodeSgtin96` refuses to make. */
function rawSgtin(
  header: number,
  filter: number,
  partition: number,
  companyPrefix: bigint,
  cpBits: number,
  itemReference: bigint,
  serial: bigint,
): string {
  let bits = BigInt(header);
  for (const [value, width] of [
    [BigInt(filter), 3],
    [BigInt(partition), 3],
    [companyPrefix, cpBits],
    [itemReference, 44 - cpBits],
    [serial, 38],
  ] as const)
    bits = (bits << BigInt(width)) | value;
  return bits.toString(16).toUpperCase().padStart(24, '0');
}

describe('SGTIN-96 EPC', () => {
  it('decodes the EPC Tag Data Standard example urn:epc:tag:sgtin-96:3.0614141.812345.6789', () => {
    expect(decodeSgtin96('3074257BF7194E4000001A85')).toEqual({
      ok: true,
      data: {
        filter: 3,
        partition: 5,
        companyPrefix: '0614141',
        itemReference: '812345',
        serial: '6789',
        gtin: '80614141123458',
      },
    });
    expect(encodeSgtin96({ gtin: '80614141123458', companyPrefixLength: 7, serial: 6789, filter: 3 })).toBe(
      '3074257BF7194E4000001A85',
    );
  });

  it.each([6, 7, 8, 9, 10, 11, 12])('round-trips a GTIN with a %i-digit company prefix', (length) => {
    const hex = encodeSgtin96({ gtin: '08012345000012', companyPrefixLength: length, serial: '274877906943' });
    expect(hex).toMatch(/^30[0-9A-F]{22}$/);
    expect(decodeSgtin96(hex)).toMatchObject({
      ok: true,
      data: {
        gtin: '08012345000012',
        serial: '274877906943',
        filter: 1,
        companyPrefix: '08012345000012'.slice(1, 1 + length),
      },
    });
  });

  it('round-trips any GTIN-14 and serial (property)', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^\d{13}$/),
        fc.integer({ min: 6, max: 12 }),
        fc.bigInt({ min: 0n, max: (1n << 38n) - 1n }),
        fc.integer({ min: 0, max: 7 }),
        (body, length, serial, filter) => {
          const g = body + gtinCheckDigit(body);
          const decoded = decodeSgtin96(
            encodeSgtin96({ gtin: g, companyPrefixLength: length, serial: serial.toString(), filter }),
          );
          expect(decoded).toMatchObject({ ok: true, data: { gtin: g, serial: serial.toString(), filter } });
        },
      ),
    );
  });

  it.each([
    ['another EPC scheme (SSCC-96, header 0x31)', '3174257BF7194E4000001A85', 'not_epc'],
    ['too short', '3074257BF7194E40', 'not_epc'],
    ['not hexadecimal', '3074257BF7194E4000001AZZ', 'not_epc'],
    ['partition 7', rawSgtin(0x30, 1, 7, 0n, 20, 0n, 1n), 'bad_epc'],
    ['a company prefix over 12 digits', rawSgtin(0x30, 1, 0, 10n ** 12n, 40, 0n, 1n), 'bad_epc'],
    ['an item reference over 7 digits', rawSgtin(0x30, 1, 6, 801234n, 20, 10_000_000n, 1n), 'bad_epc'],
  ])('refuses %s', (_, hex, code) => {
    expect(decodeSgtin96(hex)).toMatchObject({ ok: false, error: { code } });
  });

  it.each([
    ['a bad GTIN', { gtin: '08012345000013', companyPrefixLength: 7, serial: 1 }],
    ['a serial over 38 bits', { gtin: '08012345000012', companyPrefixLength: 7, serial: (1n << 38n).toString() }],
    ['a serial with leading zeros', { gtin: '08012345000012', companyPrefixLength: 7, serial: '0042' }],
    ['a company prefix of 5 digits', { gtin: '08012345000012', companyPrefixLength: 5, serial: 1 }],
  ])('will not encode %s', (_, input) => {
    expect(() => encodeSgtin96(input)).toThrow(RangeError);
  });
});

describe('readTag: an RFID tag or a scanned code', () => {
  it.each([
    [
      'an EPC, any case',
      '3074257bf7194e4000001a85',
      {
        tag: '3074257BF7194E4000001A85',
        source: 'epc',
        gtin: '80614141123458',
        serial: '6789',
        lot: null,
        expiry: null,
      },
    ],
    [
      'a GS1 string',
      `]d201${gtin}10L9${GS}17290100`,
      { tag: `(01)${gtin}(10)L9(17)290100`, source: 'gs1', gtin, lot: 'L9', expiry: '2029-01-31', serial: null },
    ],
  ])('%s', (_, raw, expected) => {
    expect(readTag(raw, reference)).toEqual({ ok: true, data: { count: null, ...expected } });
  });

  it.each([
    ['a GS1 string without a GTIN', '(10)L1(17)281231', 'no_gtin'],
    ['an EPC of another scheme read as GS1', '3174257BF7194E4000001A85', 'unknown_ai'],
    ['a bad check digit', '(01)08012345678906(10)L1', 'bad_check_digit'],
  ])('refuses %s', (_, raw, code) => {
    expect(readTag(raw, reference)).toMatchObject({ ok: false, error: { code } });
  });
});
