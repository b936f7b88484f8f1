import { describe, expect, it } from 'vitest';
import {
  addDays,
  daysBetween,
  FAR_FROM_PLAN_RATIO,
  forecastItem,
  HOME_DELIVERY_HORIZON_DAYS,
  homePolicy,
  MIN_HISTORY_DAYS,
  observedDays,
  orderByDate,
  type ForecastInput,
  type RateSource,
} from '../../api/homecare/forecast-math.ts';
import { needsReorder } from '../../api/replenishment/policy-math.ts';

const today = '2026-11-23';
const days = (n: number, value: number) => new Array<number>(n).fill(value);

describe('calendar helpers', () => {
  it.each([
    ['2026-11-23', 0, '2026-11-23'],
    ['2026-11-23', 10, '2026-12-03'],
    ['2026-03-28', 2, '2026-03-30'], // across the DST change in Italy: calendar days, not 24 h slices
    ['2026-01-01', -1, '2025-12-31'],
  ])('addDays(%s, %i) = %s', (date, n, expected) => expect(addDays(date, n)).toBe(expected));

  it('daysBetween is the inverse of addDays', () => {
    expect(daysBetween('2026-11-23', '2026-12-03')).toBe(10);
    expect(daysBetween('2026-12-03', '2026-11-23')).toBe(-10);
  });

  it.each([
    [null, 28],
    ['2026-11-23', 1], // plan set today: today is its first observed day
    ['2026-11-17', 7],
    ['2026-10-01', 28], // capped at the window
    ['2026-11-30', 1], // a plan dated in the future counts one day, never zero
  ])('observedDays(plan since %s) = %i', (since, expected) => expect(observedDays(since, today)).toBe(expected));

  it('refuses a malformed date', () => expect(() => addDays('23/11/2026', 1)).toThrow(RangeError));
});

describe('forecastItem', () => {
  // [case, input, realDaily, rate, source, daysOfCover, runOutDate, deviation, farFromPlan]
  type Row = [
    string,
    Omit<ForecastInput, 'today'>,
    number,
    number,
    RateSource,
    number | null,
    string | null,
    number | null,
    boolean,
  ];
  const cases: Row[] = [
    [
      'enough history on plan: real drives',
      { daily: days(28, 4), observedDays: 14, planDaily: 4, available: 40 },
      4,
      4,
      'real',
      10,
      '2026-12-03',
      0,
      false,
    ],
    [
      'real above plan by 50 % over 14 days: real drives, far from plan',
      { daily: days(28, 6), observedDays: 14, planDaily: 4, available: 30 },
      6,
      6,
      'real',
      5,
      '2026-11-28',
      0.5,
      true,
    ],
    [
      'real below plan by 50 %: real drives (later run-out), far from plan',
      { daily: days(28, 2), observedDays: 14, planDaily: 4, available: 30 },
      2,
      2,
      'real',
      15,
      '2026-12-08',
      -0.5,
      true,
    ],
    [
      'within ±30 %: not far',
      { daily: days(28, 5), observedDays: 14, planDaily: 4, available: 20 },
      5,
      5,
      'real',
      4,
      '2026-11-27',
      0.25,
      false,
    ],
    [
      'exactly 30 % is not beyond the threshold',
      { daily: days(28, 5.2), observedDays: 14, planDaily: 4, available: 52 },
      5.2,
      5.2,
      'real',
      10,
      '2026-12-03',
      0.3,
      false,
    ],
    [
      'short history below plan: plan drives, never flagged',
      { daily: [...days(25, 0), 1, 1, 1], observedDays: 3, planDaily: 4, available: 40 },
      1,
      4,
      'plan',
      10,
      '2026-12-03',
      -0.75,
      false,
    ],
    [
      'short history above plan: the higher real rate drives',
      { daily: [...days(26, 0), 8, 8], observedDays: 2, planDaily: 4, available: 40 },
      8,
      8,
      'real',
      5,
      '2026-11-28',
      1,
      false,
    ],
    [
      'plan set today, nothing used yet: plan',
      { daily: days(28, 0), observedDays: 1, planDaily: 4, available: 40 },
      0,
      4,
      'plan',
      10,
      '2026-12-03',
      -1,
      false,
    ],
    [
      'nothing left at home: the plan (a stock-out hides real use)',
      { daily: days(28, 0), observedDays: 14, planDaily: 4, available: 0 },
      0,
      4,
      'plan',
      0,
      '2026-11-23',
      -1,
      true,
    ],
    [
      'enough history, nothing used, stock left: never runs out, flagged',
      { daily: days(28, 0), observedDays: 14, planDaily: 4, available: 10 },
      0,
      0,
      'none',
      null,
      null,
      -1,
      true,
    ],
    [
      'no plan: real over the window',
      { daily: [...days(14, 0), ...days(14, 2)], observedDays: 28, planDaily: null, available: 10 },
      1,
      1,
      'real',
      10,
      '2026-12-03',
      null,
      false,
    ],
    [
      'no plan, no use: nothing to forecast',
      { daily: [], observedDays: 28, planDaily: null, available: 10 },
      0,
      0,
      'none',
      null,
      null,
      null,
      false,
    ],
    [
      'fractional cover: one decimal, run-out on the whole day',
      { daily: days(28, 3), observedDays: 28, planDaily: 3, available: 10 },
      3,
      3,
      'real',
      3.3,
      '2026-11-26',
      0,
      false,
    ],
    [
      'only the observed days count (older use ignored)',
      { daily: [...days(20, 10), ...days(8, 4)], observedDays: 8, planDaily: 4, available: 8 },
      4,
      4,
      'real',
      2,
      '2026-11-25',
      0,
      false,
    ],
  ];

  it.each(cases)('%s', (_, input, realDaily, rate, source, cover, runOut, deviation, far) => {
    const f = forecastItem({ ...input, today });
    expect(f).toMatchObject({
      realDaily,
      rate,
      rateSource: source,
      daysOfCover: cover,
      runOutDate: runOut,
      deviation,
      farFromPlan: far,
    });
  });

  it('needs the minimum history before flagging, at the documented threshold', () => {
    const base = { daily: days(28, 8), planDaily: 4, available: 10, today };
    expect(forecastItem({ ...base, observedDays: MIN_HISTORY_DAYS - 1 }).farFromPlan).toBe(false);
    expect(forecastItem({ ...base, observedDays: MIN_HISTORY_DAYS }).farFromPlan).toBe(true);
    expect(forecastItem({ ...base, observedDays: 14, farFromPlanRatio: 1.5 }).farFromPlan).toBe(false);
    expect(FAR_FROM_PLAN_RATIO).toBe(0.3);
  });

  it.each([
    ['negative consumption', { daily: [-1], observedDays: 1, planDaily: 4, available: 1 }],
    ['zero observed days', { daily: [1], observedDays: 0, planDaily: 4, available: 1 }],
    ['a zero plan', { daily: [1], observedDays: 1, planDaily: 0, available: 1 }],
    ['NaN stock', { daily: [1], observedDays: 1, planDaily: 4, available: Number.NaN }],
  ])('refuses %s', (_, input) => expect(() => forecastItem({ ...input, today })).toThrow(RangeError));
});

describe('orderByDate', () => {
  it('is the run-out date minus the lead time, null when nothing runs out', () => {
    expect(orderByDate({ runOutDate: '2026-12-03' }, 3)).toBe('2026-11-30');
    expect(orderByDate({ runOutDate: null }, 3)).toBeNull();
  });
});

describe('homePolicy: a request exists once run-out minus lead time falls within the horizon', () => {
  const L = 3;
  // [case, daily, observedDays, plan, W, B]
  const cases: Array<[string, number[], number, number, number, number]> = [
    ['plan-driven (short history): W = 7 × plan, no safety stock', days(28, 0), 1, 4, 28, 0],
    ['real-driven, constant use: W = 7 × real, no variability', days(28, 6), 14, 4, 42, 0],
  ];
  it.each(cases)('%s', (_, daily, observed, plan, W, B) => {
    const forecast = forecastItem({ daily, observedDays: observed, planDaily: plan, available: 100, today });
    const policy = homePolicy({ forecast, daily, leadTimeDays: L });
    expect(policy).toMatchObject({ weeklyDemand: W, safetyStock: B, leadTimeDays: L });
    expect(policy.reorderLevel).toBe(Math.ceil(((L + HOME_DELIVERY_HORIZON_DAYS) * W) / 7) + B);
    // On hand covering exactly L + horizon days triggers; one unit more does not.
    const trigger = ((L + HOME_DELIVERY_HORIZON_DAYS) * W) / 7;
    expect(needsReorder(policy, trigger, 0)).toBe(true);
    expect(needsReorder(policy, trigger + 1, 0)).toBe(false);
  });

  it('takes safety stock from the variability of real use', () => {
    const daily = Array.from({ length: 14 }, (_, i) => (i % 2 ? 6 : 2));
    const forecast = forecastItem({ daily, observedDays: 14, planDaily: 4, available: 100, today });
    expect(forecast.rateSource).toBe('real');
    expect(homePolicy({ forecast, daily, leadTimeDays: L }).safetyStock).toBeGreaterThan(0);
  });

  it('asks for nothing when nothing is used and nothing is planned', () => {
    const forecast = forecastItem({ daily: days(28, 0), observedDays: 28, planDaily: null, available: 5, today });
    expect(homePolicy({ forecast, daily: days(28, 0), leadTimeDays: L })).toMatchObject({
      weeklyDemand: 0,
      reorderLevel: 0,
    });
  });
});
