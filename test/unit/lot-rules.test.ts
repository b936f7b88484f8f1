import { describe, expect, it } from 'vitest';
import { DomainError } from '../../api/core/errors.ts';
import { localDate } from '../../api/core/time.ts';
import { assertUsable, effectiveStatus, isUsable, type LotFacts } from '../../api/lots/lot-rules.ts';
import type { LotStatus } from '../../db/schema/index.ts';

const today = '2026-11-23';
const lot = (status: LotStatus, expiry: string | null): LotFacts => ({ id: 'lot-1', lotCode: 'L-001', status, expiry });

describe('effectiveStatus and isUsable', () => {
  // [stored status, expiry, status staff see, usable]
  const cases: Array<[LotStatus, string | null, LotStatus, boolean]> = [
    ['available', '2027-01-31', 'available', true],
    ['available', '2026-11-24', 'available', true],
    ['available', today, 'available', true], // usable through its expiry day
    ['available', '2026-11-22', 'expired', false],
    ['available', '2020-01-01', 'expired', false],
    ['available', null, 'available', true], // no expiry (many devices)
    ['quarantined', '2027-01-31', 'quarantined', false],
    ['quarantined', '2026-11-22', 'quarantined', false], // an explicit status wins over the date
    ['recalled', '2027-01-31', 'recalled', false],
    ['recalled', '2026-11-22', 'recalled', false],
    ['recalled', null, 'recalled', false],
    ['expired', '2027-01-31', 'expired', false],
    ['expired', null, 'expired', false],
  ];

  it.each(cases)('%s lot expiring %s reads as %s (usable: %s)', (status, expiry, seen, usable) => {
    expect(effectiveStatus(lot(status, expiry), today)).toBe(seen);
    expect(isUsable(lot(status, expiry), today)).toBe(usable);
  });
});

describe('assertUsable', () => {
  it('accepts a usable lot', () => {
    expect(() => assertUsable(lot('available', today), today)).not.toThrow();
    expect(() => assertUsable(lot('available', null), today)).not.toThrow();
  });

  const refusal = (facts: LotFacts, field?: string) => {
    try {
      assertUsable(facts, today, field);
    } catch (error) {
      expect(error).toBeInstanceOf(DomainError);
      return error as DomainError;
    }
    throw new Error('expected a refusal');
  };

  it('does not claim a date has passed when a lot was marked expired before its printed expiry', () => {
    const error = refusal(lot('expired', '2028-01-31'), 'lotId');
    expect(error).toMatchObject({ key: 'lot_unavailable', params: { lotCode: 'L-001', status: 'expired' } });
  });

  it('refuses an expired lot naming its expiry', () => {
    const error = refusal(lot('available', '2026-11-22'), 'lines.1.lotId');
    expect(error).toMatchObject({
      code: 'precondition_failed',
      key: 'lot_expired',
      params: { lotCode: 'L-001', expiry: '2026-11-22' },
      fields: [{ field: 'lines.1.lotId' }],
      context: { lotId: 'lot-1', status: 'expired' },
    });
    expect(error.localized('it')).toBe('Il lotto L-001 è scaduto il 2026-11-22.');
  });

  it.each(['quarantined', 'recalled'] as const)('refuses a %s lot naming its status', (status) => {
    const error = refusal(lot(status, '2027-01-31'));
    expect(error).toMatchObject({
      code: 'precondition_failed',
      key: 'lot_unavailable',
      params: { lotCode: 'L-001', status },
      fields: [{ field: 'lotId' }],
      context: { lotId: 'lot-1', status },
    });
  });

  it('refuses a lot marked expired without an expiry date as unavailable', () => {
    expect(refusal(lot('expired', null))).toMatchObject({ key: 'lot_unavailable', params: { status: 'expired' } });
  });
});

describe('localDate: expiry is judged by the day in Italy', () => {
  it.each([
    ['2026-11-23T09:00:00Z', '2026-11-23'],
    ['2026-11-22T23:30:00Z', '2026-11-23'], // already the 23rd in Rome (UTC+1)
    ['2026-11-23T22:59:59Z', '2026-11-23'],
    ['2026-11-23T23:00:00Z', '2026-11-24'],
    ['2026-07-31T22:30:00Z', '2026-08-01'], // summer time, UTC+2
    ['2026-07-31T21:59:59Z', '2026-07-31'],
  ])('%s is %s', (at, day) => {
    expect(localDate(new Date(at))).toBe(day);
  });
});
