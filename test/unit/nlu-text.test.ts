import { describe, expect, it } from 'vitest';
import { editDistance, trigramSimilarity, wordSimilarity } from '../../bot/nlu/fuzzy.ts';
import { detectLanguage } from '../../bot/nlu/language.ts';
import { fold, stem, tokenize } from '../../bot/nlu/normalize.ts';
import { italianNumberWord, readNumber } from '../../bot/nlu/numbers.ts';

const number = (text: string) => {
  const tokens = tokenize(text);
  return readNumber(tokens, 0)?.value ?? null;
};

describe('numbers', () => {
  it.each([
    ['20', 20],
    ['2,5', 2.5],
    ['7.5', 7.5],
    ['1.000', 1000],
    ['-5', -5],
    ['meno cinque', -5],
    ['minus five', -5],
    ['venti', 20],
    ['ventuno', 21],
    ['ventiquattro', 24],
    ['ventotto', 28],
    ['trentacinque', 35],
    ['novanta', 90],
    ['cento', 100],
    ['centocinquanta', 150],
    ['duecento', 200],
    ['trecentoventi', 320],
    ['mille', 1000],
    ['duemila', 2000],
    ['dodici', 12],
    ['zero', 0],
    ['thirty', 30],
    ['thirty five', 35],
    ['thirty-five', 35],
    ['fourty', 40],
    ['a hundred', 100],
    ['one hundred and fifty', 150],
    ['two hundred', 200],
    ['a dozen', 12],
    ['una dozzina', 12],
    ['mezza dozzina', 6],
    ['half a dozen', 6],
    ['due dozzine', 24],
    ['3 dozen', 36],
    ['un paio di', 2],
    ['twelve', 12],
  ])('%j → %d', (text, value) => {
    expect(number(text)).toBe(value);
  });

  it.each([['a'], ['una'], ['un'], ['uno'], ['siringhe'], ['ventilatore'], ['percento'], ['and'], ['']])(
    '%j is not a number',
    (text) => {
      expect(number(text)).toBeNull();
    },
  );

  it('reads Italian compounds with the elided tens only before uno and otto', () => {
    expect(italianNumberWord('ventuno')).toBe(21);
    expect(italianNumberWord('ventiuno')).toBeNull();
    expect(italianNumberWord('trentotto')).toBe(38);
    expect(italianNumberWord('trentaotto')).toBeNull();
  });
});

describe('normalisation', () => {
  it.each([
    ["Disponibilità c'è", ['disponibilita', 'ce']],
    ['siringhe da 10ml', ['siringhe', 'da', '10', 'ml']],
    ['Foley CH14', ['foley', 'ch', '14']],
    ['paracetamolo 1g', ['paracetamolo', '1', 'g']],
    ['guanti 7,5', ['guanti', '7.5']],
    ['sutura 3/0', ['sutura', '3', '0']],
    ["dell'ICU", ['icu']],
    ["what's in the ER?", ['what', 'in', 'the', 'er']],
    ['drug-eluting stent', ['drug', 'eluting', 'stent']],
    ['  PIÙ   spazi ', ['piu', 'spazi']],
  ])('%j → %j', (text, words) => {
    expect(tokenize(text).map((t) => t.norm)).toEqual(words);
  });

  it('keeps the sign of a number typed with a minus, but not of a hyphenated range', () => {
    expect(tokenize('ordina -3 scatole')[1]).toMatchObject({ norm: '3', negative: true });
    expect(tokenize('sutura 3-0')[2]).toMatchObject({ norm: '0', negative: false });
  });

  it('marks capitals (PS, TI) and glued sizes', () => {
    const [ps, ten, ml] = tokenize('PS 10ml');
    expect(ps!.upper).toBe(true);
    expect(ten).toMatchObject({ norm: '10', glued: true });
    expect(ml).toMatchObject({ norm: 'ml', glued: true });
  });

  it.each([
    ['siringhe', 'siringa'],
    ['aghi', 'ago'],
    ['guanti', 'guanto'],
    ['strisce', 'striscia'],
    ['gloves', 'glove'],
    ['syringes', 'syringe'],
    ['boxes', 'box'],
  ])('%s and %s share a stem', (a, b) => {
    expect(stem(a)).toBe(stem(b));
  });

  it('folds accents and case', () => {
    expect(fold('Età PIÙ È')).toBe('eta piu e');
  });
});

describe('fuzzy matching', () => {
  it.each([
    ['siringa', 'siringa', 0],
    ['sirigna', 'siringa', 1],
    ['sirnga', 'siringa', 1],
    ['eparnia', 'eparina', 1],
    ['hepairn', 'heparin', 1],
    ['cardiolgia', 'cardiologia', 1],
    ['socorso', 'soccorso', 1],
    ['guanti', 'guanto', 1],
    ['abc', 'xyz', 3],
    ['', 'abc', 3],
  ])('distance(%s, %s) = %d', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
  });

  it('gives up early past the bound', () => {
    expect(editDistance('paracetamolo', 'pantoprazolo', 2)).toBe(3);
  });

  it.each([
    ['siring', 'siring', 1],
    ['sirng', 'siring', 0.8],
    ['glov', 'glvo', 0],
    ['marz', 'garz', 0],
    ['10', '20', 0],
    ['ml', 'mg', 0],
    ['cardiologia', 'cardiolgoia', 0.8],
    ['eparina', 'morfina', 0],
  ])('similarity(%s, %s) = %d (no typo allowed on words of four letters or fewer)', (a, b, s) => {
    expect(wordSimilarity(a, b)).toBe(s);
  });

  it('ranks phrases by shared trigrams', () => {
    expect(trigramSimilarity('siringa 10 ml', 'siringa 10 ml')).toBe(1);
    expect(trigramSimilarity('siringa 10 ml', 'siringa 10ml')).toBeGreaterThan(
      trigramSimilarity('siringa 10 ml', 'guanti M'),
    );
  });
});

describe('reply language', () => {
  it.each([
    ['quante siringhe in cardiologia?', 'it'],
    ['how many syringes in cardiology?', 'en'],
    ['ordina 20 boxes of gloves for ICU', 'en'],
    ['ordina 20 boxes di gloves per la TI', 'it'],
  ])('%j → %s', (text, language) => {
    expect(detectLanguage(tokenize(text))).toBe(language);
  });

  it('falls back to the user language on a tie', () => {
    expect(detectLanguage(tokenize('DM-SIR-010'), 'en')).toBe('en');
    expect(detectLanguage(tokenize('DM-SIR-010'), 'it')).toBe('it');
  });
});
