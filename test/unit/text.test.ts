import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DomainError } from '../../api/core/errors.ts';
import { text } from '../../api/core/text.ts';
import { parseInput } from '../../api/core/validate.ts';
import { RfidPayload } from '../../api/devices/payloads.ts';

const Note = z.object({ lines: z.array(z.object({ note: text().trim().min(1).max(50) })) });

describe('text(): the one string rule', () => {
  it.each([
    ['plain Italian', 'Siringa 10 ml, più lenta'],
    ['a paired surrogate (emoji)', 'ok 👍'],
    ['tabs and new lines', 'a\tb\nc'],
  ])('accepts %s', (_, value) => {
    expect(text().safeParse(value).success).toBe(true);
  });

  it.each([
    ['NUL', 'tag\u0000'],
    ['a lone high surrogate', 'a\uD800b'],
    ['a lone low surrogate', '\uDC00'],
    ['a reversed pair', '\uDC00\uD800'],
    ['a high surrogate at the end', 'x\uDBFF'],
  ])('refuses %s, naming the field in both languages', (_, value) => {
    let caught: unknown;
    try {
      parseInput(Note, { lines: [{ note: 'ok' }, { note: value }] });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(DomainError);
    const error = caught as DomainError;
    expect(error).toMatchObject({ code: 'validation', key: 'unsafe_text', params: { field: 'lines.1.note' } });
    expect(error.fields).toEqual([{ field: 'lines.1.note', message: expect.stringMatching(/lines\.1\.note.*NUL/) }]);
    expect(error.localized('it')).toMatch(/Il testo in lines\.1\.note contiene un carattere NUL/);
  });

  it('guards device payloads: an RFID snapshot with a NUL tag is invalid', () => {
    const snapshot = (tags: string[]) => RfidPayload.safeParse({ seq: 1, ts: '2026-11-23T09:00:00Z', tags });
    expect(snapshot(['E2801160600002']).success).toBe(true);
    expect(snapshot(['E280\u0000']).error?.issues).toEqual([
      expect.objectContaining({ path: ['tags', 0], params: { key: 'unsafe_text' } }),
    ]);
  });
});
