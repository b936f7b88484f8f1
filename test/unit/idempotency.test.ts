import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sha256Hex, stableJson } from '../../api/core/idempotency.ts';

/** The same value with every object's keys inserted in reverse order. */
function reversedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reversedKeys);
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value)
        .reverse()
        .map(([k, v]) => [k, reversedKeys(v)]),
    );
  return value;
}

describe('stableJson', () => {
  it.each([
    [{ b: 1, a: 2 }, '{"a":2,"b":1}'],
    [
      { lines: [{ quantity: 2, itemId: 'x' }], locationId: 'l' },
      '{"lines":[{"itemId":"x","quantity":2}],"locationId":"l"}',
    ],
    [[3, 1, 2], '[3,1,2]'], // arrays keep their order: line order is part of the request
    [{ z: { y: { x: 1, w: 2 } } }, '{"z":{"y":{"w":2,"x":1}}}'],
    [{ a: undefined, b: null }, '{"b":null}'],
    [{ at: new Date('2026-11-23T09:00:00Z') }, '{"at":"2026-11-23T09:00:00.000Z"}'],
    ['text', '"text"'],
    [42, '42'],
    [null, 'null'],
  ])('%j → %s', (value, json) => {
    expect(stableJson(value)).toBe(json);
  });

  it('does not depend on key order, at any depth', () => {
    const a = {
      locationId: 'l',
      idempotencyKey: 'k',
      lines: [{ itemId: 'i', lotCode: 'L1', quantity: 3, expiry: '2027-01-31' }],
    };
    const b = {
      lines: [{ expiry: '2027-01-31', quantity: 3, lotCode: 'L1', itemId: 'i' }],
      idempotencyKey: 'k',
      locationId: 'l',
    };
    expect(stableJson(a)).toBe(stableJson(b));
  });

  it('tells apart keys that a locale collation would call equal', () => {
    // ICU collation ignores U+0000 and treats composed and decomposed é alike; the ordering must not.
    for (const [x, y] of [
      ['a', 'a\u0000'],
      ['\u00e9', 'e\u0301'],
    ]) {
      expect(stableJson({ [x!]: 1, [y!]: 2 })).toBe(stableJson({ [y!]: 2, [x!]: 1 }));
    }
  });

  it('for any JSON value: key order never matters, and the value survives the round trip', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const json = stableJson(value);
        expect(stableJson(reversedKeys(value))).toBe(json);
        expect(stableJson(JSON.parse(json))).toBe(json);
      }),
      { numRuns: 500 },
    );
  });

  it('tells different payloads apart', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.integer()), fc.string(), fc.integer(), (value, key, n) => {
        fc.pre(value[key] !== n);
        expect(stableJson({ ...value, [key]: n })).not.toBe(stableJson(value));
      }),
    );
  });
});

describe('sha256Hex', () => {
  it.each([
    ['', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
    ['stock.issue\n{"a":1}', undefined],
  ])('%j', async (text, digest) => {
    const hex = await sha256Hex(text);
    expect(hex).toMatch(/^[0-9a-f]{64}$/);
    if (digest) expect(hex).toBe(digest);
  });
});
