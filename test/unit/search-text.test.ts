import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { itemSearchText, normalizeText } from '../../api/catalogue/search-text.ts';

describe('normalizeText', () => {
  it.each([
    ['Siringa 10 ml (Luer-Lock)', 'siringa 10 ml luer lock'],
    ['GUANTI in Nitrile', 'guanti in nitrile'],
    ['Età pediatrica', 'eta pediatrica'],
    ['àèéìòù ÀÈÉÌÒÙ', 'aeeiou aeeiou'],
    ['Perfusión über Crème', 'perfusion uber creme'],
    ['e\u0301 (decomposed)', 'e decomposed'],
    ['Soluzione 0,9% - 500 mL', 'soluzione 0 9 500 ml'],
    ['ago 0.8 mm', 'ago 0.8 mm'], // dots stay: sizes are searched as written
    ['  spazi   multipli\t\n', 'spazi multipli'],
    ['DM-GUA-M', 'dm gua m'],
    ['', ''],
    ['---', ''],
  ])('%j → %j', (input, output) => {
    expect(normalizeText(input)).toBe(output);
  });

  it('always yields lower-case ascii words separated by single spaces, and is idempotent', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        const normal = normalizeText(text);
        expect(normal).toMatch(/^(?:[a-z0-9.]+(?: [a-z0-9.]+)*)?$/);
        expect(normalizeText(normal)).toBe(normal);
      }),
      { numRuns: 500 },
    );
  });

  it('ignores case and accents: a word and its accented, capitalised form normalise alike', () => {
    const accents: Record<string, string> = { a: 'àáâä', e: 'èéêë', i: 'ìíîï', o: 'òóôö', u: 'ùúûü' };
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(...'abcdefghilmnoprstuvz'), minLength: 1, maxLength: 12 }),
        fc.nat(),
        (word, seed) => {
          const dressed = [...word].map((c, i) => {
            const variants = accents[c];
            const accented = variants ? variants[(seed + i) % variants.length]! : c;
            return (seed >> i) & 1 ? accented.toUpperCase() : accented;
          });
          expect(normalizeText(dressed.join(''))).toBe(word);
        },
      ),
    );
  });
});

describe('itemSearchText', () => {
  it('joins code, GTIN, both names and every synonym, normalised', () => {
    expect(
      itemSearchText({
        code: 'DM-GUA-M',
        gtin: '08012345000012',
        name: 'Guanti in nitrile taglia M',
        nameEn: 'Nitrile gloves size M',
        synonyms: ['guanti M', 'gloves medium'],
      }),
    ).toBe(
      '| dm gua m | 08012345000012 | guanti in nitrile taglia m | nitrile gloves size m | guanti m | gloves medium |',
    );
  });

  it('leaves no gap where the GTIN or synonyms are missing', () => {
    expect(
      itemSearchText({
        code: 'DM-SIR-10',
        gtin: null,
        name: 'Siringa monouso 10 ml',
        nameEn: 'Disposable syringe 10 ml',
        synonyms: [],
      }),
    ).toBe('| dm sir 10 | siringa monouso 10 ml | disposable syringe 10 ml |');
    expect(itemSearchText({ code: 'X1', name: 'Età', nameEn: 'Age', synonyms: ['Ünità'] })).toBe(
      '| x1 | eta | age | unita |',
    );
  });
});
