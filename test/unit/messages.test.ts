import { describe, expect, it } from 'vitest';
import { DomainError, errorCodes, insufficientStock, invalid, render } from '../../api/core/errors.ts';
import { messages, pickLocale, type MessageKey } from '../../api/core/messages.ts';

const params = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
const keys = Object.keys(messages) as MessageKey[];

describe('messages', () => {
  it.each(keys)('%s has Italian and English with the same {params}', (key) => {
    const { it: italian, en } = messages[key];
    expect(italian.trim()).not.toBe('');
    expect(en.trim()).not.toBe('');
    expect(italian).not.toBe(en);
    expect(params(italian)).toEqual(params(en));
  });

  it('covers every error code with a generic message', () => {
    for (const code of errorCodes.filter((c) => c !== 'conflict' && c !== 'precondition_failed')) {
      expect(keys).toContain(code === 'not_found' ? 'not_found' : code);
    }
  });
});

describe('render', () => {
  it('fills parameters in either language and leaves unknown ones visible', () => {
    expect(render('insufficient_stock', 'it', { requested: 5, available: 2 })).toBe('Giacenza insufficiente: richiesti 5, disponibili 2.');
    expect(render('insufficient_stock', 'en', { requested: 5, available: 2 })).toBe('Not enough stock: 5 requested, 2 available.');
    expect(render('insufficient_stock', 'en', { requested: 5 })).toBe('Not enough stock: 5 requested, {available} available.');
  });

  it('gives domain errors a message per locale and the failing fields', () => {
    const error = invalid('lines.0.expiry', 'lot_expired', { lotCode: 'L1', expiry: '2026-11-22' });
    expect(error).toBeInstanceOf(DomainError);
    expect(error.code).toBe('validation');
    expect(error.fields).toEqual([{ field: 'lines.0.expiry', message: 'Lot L1 expired on 2026-11-22.' }]);
    expect(error.localized('it')).toBe('Il lotto L1 è scaduto il 2026-11-22.');
    expect(error.message).toBe('Lot L1 expired on 2026-11-22. (lines.0.expiry: Lot L1 expired on 2026-11-22.)');
  });

  it('makes insufficient stock a conflict carrying lot, requested and available', () => {
    const error = insufficientStock({ lotId: 'lot', itemId: 'item', locationId: 'loc', requested: 5, available: 2 });
    expect(error).toMatchObject({ code: 'conflict', key: 'insufficient_stock', params: { requested: 5, available: 2 }, context: { lotId: 'lot', requested: 5, available: 2 } });
    expect(error.localized('it')).toBe('Giacenza insufficiente: richiesti 5, disponibili 2.');
  });
});

describe('pickLocale', () => {
  it.each([
    [undefined, 'it'],
    [null, 'it'],
    ['', 'it'],
    ['it', 'it'],
    ['en', 'en'],
    ['it-IT,it;q=0.9,en-US;q=0.8,en;q=0.7', 'it'],
    ['en-US,en;q=0.9', 'en'],
    ['EN-GB', 'en'],
    ['fr-FR,fr;q=0.9,en;q=0.8,it;q=0.7', 'en'], // the first language we speak
    ['de-DE, it;q=0.5', 'it'],
    ['de, fr', 'it'], // none we speak: the fallback
    ['*', 'it'],
    // q-values rank the choices, whatever their order in the header; q=0 means "not this one".
    ['en;q=0.2, it;q=0.8', 'it'],
    ['it;q=0.4, en', 'en'],
    ['it;q=0, en;q=0.1', 'en'],
    ['it;q=0', 'it'],
    [' en ; q=0.9 , it ; q=0.5 ', 'en'],
  ])('%j → %s', (header, locale) => {
    expect(pickLocale(header)).toBe(locale);
  });

  it('falls back to the given locale', () => {
    expect(pickLocale(undefined, 'en')).toBe('en');
    expect(pickLocale('de', 'en')).toBe('en');
    expect(pickLocale('it;q=0', 'en')).toBe('en');
    expect(pickLocale('it', 'en')).toBe('it');
  });
});
