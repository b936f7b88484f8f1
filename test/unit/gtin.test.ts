import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gtinCheckDigit, gtinIsValid } from '../../api/catalogue/gtin.ts';
import { Gtin } from '../../api/catalogue/items.ts';

describe('gtinCheckDigit', () => {
  it.each([
    ['9638507', 4], // GTIN-8 96385074
    ['03600029145', 2], // GTIN-12 (UPC-A) 036000291452
    ['400638133393', 1], // GTIN-13 4006381333931
    ['0801234500001', 2], // GTIN-14 08012345000012 (the fixture's gloves)
    ['1001234567890', 2], // GTIN-14 10012345678902
    ['0000000', 0],
  ])('%s → %i', (body, digit) => {
    expect(gtinCheckDigit(body)).toBe(digit);
  });
});

describe('gtinIsValid', () => {
  it.each([
    ['96385074', true],
    ['036000291452', true],
    ['4006381333931', true],
    ['08012345000012', true],
    ['10012345678902', true],
    ['00000096385074', true], // a GTIN-8 padded to 14 keeps its check digit
    ['96385075', false], // wrong check digit
    ['4006381333932', false],
    ['9638507', false], // 7 digits
    ['008012345000012', false], // 15 digits
    ['4006381333931 ', false],
    ['40063813339a1', false],
    ['', false],
  ])('%j: %s', (gtin, valid) => {
    expect(gtinIsValid(gtin)).toBe(valid);
  });

  it('accepts every body with its check digit and refuses every other last digit', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 7, max: 13 })
          .chain((n) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: n, maxLength: n })),
        fc.integer({ min: 1, max: 9 }),
        (body, shift) => {
          const digit = gtinCheckDigit(body);
          expect(gtinIsValid(body + digit)).toBe(true);
          expect(gtinIsValid(body + ((digit + shift) % 10))).toBe(false);
          // Leading zeros do not change the check digit, so padding to 14 keeps a GTIN valid.
          expect(gtinIsValid((body + digit).padStart(14, '0'))).toBe(true);
        },
      ),
    );
  });
});

describe('the Gtin input schema', () => {
  it.each([
    ['96385074', '00000096385074'],
    ['036000291452', '00036000291452'],
    ['4006381333931', '04006381333931'],
    ['08012345000012', '08012345000012'],
  ])('accepts %s and stores it padded to 14 digits', (input, stored) => {
    expect(Gtin.parse(input)).toBe(stored);
  });

  it.each([
    ['96385075', 'check digit'],
    ['963850741', 'digits'], // 9 digits: no such GTIN
    ['12345678901', 'digits'], // 11 digits
    ['9638507', 'digits'],
    ['ABCDEFGH', 'digits'],
  ])('refuses %s (%s)', (input, why) => {
    const result = Gtin.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]!.message).toContain(why);
  });
});
