import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  computePolicy,
  daysOfCover,
  EMERGENCY_COVER_DAYS,
  EMERGENCY_LEAD_TIME_FRACTION,
  needsReorder,
  roundUpToPacks,
  serviceFactor,
  suggestQuantity,
  urgencyFor,
  weeklyDemand,
  type PolicyInput,
} from '../../api/replenishment/policy-math.ts';

const days = (n: number, value: number) => Array<number>(n).fill(value);
/** 14 days alternating 8, 12: mean 10/day, every deviation ±2. */
const alternating = Array.from({ length: 14 }, (_, i) => (i % 2 ? 12 : 8));
/** 27 empty days then one day of 280: mean 10/day. */
const spike = [...days(27, 0), 280];

describe('weeklyDemand', () => {
  // [history, W, σ_week, weeks]
  const cases: Array<[string, number[], number, number, number]> = [
    ['no history', [], 0, 0, 0],
    ['all zeros', days(28, 0), 0, 0, 4],
    ['one day: no σ', [5], 35, 0, 1 / 7],
    ['constant 10/day', days(7, 10), 70, 0, 1],
    // Two days 0, 14: mean 7 → W = 49; sample var = (49 + 49) / 1 = 98 → σ_week = √(98 × 7) = √686.
    ['two days', [0, 14], 49, Math.sqrt(686), 2 / 7],
    // Alternating 8, 12: var = 14 × 2² / 13 = 56/13 → σ_week = √(56/13 × 7) = √(392/13) ≈ 5.4913.
    ['alternating 8/12', alternating, 70, Math.sqrt(392 / 13), 2],
    // Spike: var = (27 × 10² + 270²) / 27 = 2800 → σ_week = √(2800 × 7) = √19600 = 140.
    ['huge spike', spike, 70, 140, 4],
  ];

  it.each(cases)('%s', (_, history, mean, stdDev, weeks) => {
    const result = weeklyDemand(history);
    expect(result.mean).toBeCloseTo(mean, 9);
    expect(result.stdDev).toBeCloseTo(stdDev, 9);
    expect(result.weeks).toBeCloseTo(weeks, 12);
  });

  it('weighs recent days more with a half-life', () => {
    // halfLifeDays 1 on [0, 14]: weights ½, 1 → mean = 14 / 1.5 = 9⅓/day → W = 65⅓.
    // v1 = 1.5, v2 = 1.25, dof = 1.5 − 1.25/1.5 = ⅔; Σw(x−μ)² = ½ × (28/3)² + (14/3)² = 196/3 → var = 98.
    const result = weeklyDemand([0, 14], { halfLifeDays: 1 });
    expect(result.mean).toBeCloseTo(196 / 3, 9);
    expect(result.stdDev).toBeCloseTo(Math.sqrt(686), 9);
    expect(result.weeks).toBeCloseTo(2 / 7, 12);
    // A recent rise pulls the weighted mean above the plain mean.
    const rising = [...days(21, 5), ...days(7, 15)];
    expect(weeklyDemand(rising, { halfLifeDays: 7 }).mean).toBeGreaterThan(weeklyDemand(rising).mean);
  });

  it('defaults to equal weights', () => {
    expect(weeklyDemand(spike, {})).toEqual(weeklyDemand(spike));
    expect(weeklyDemand(spike, { halfLifeDays: 1e12 }).mean).toBeCloseTo(70, 6);
  });

  it.each([
    ['a negative day', [3, -1], {}],
    ['NaN', [Number.NaN], {}],
    ['Infinity', [Number.POSITIVE_INFINITY], {}],
    ['a zero half-life', [1, 2], { halfLifeDays: 0 }],
  ])('refuses %s', (_, history, options) => {
    expect(() => weeklyDemand(history, options)).toThrow(RangeError);
  });

  it('keeps the mean of a constant series whatever the weighting, with no spread', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1000 }),
        fc.integer({ min: 1, max: 120 }),
        fc.double({ min: 0.5, max: 365, noNaN: true }),
        (value, n, halfLifeDays) => {
          const result = weeklyDemand(days(n, value), { halfLifeDays });
          expect(result.mean).toBeCloseTo(value * 7, 6);
          expect(result.stdDev).toBeCloseTo(0, 6);
        },
      ),
    );
  });
});

describe('serviceFactor', () => {
  // [service level, z from normal tables]
  const cases: Array<[number, number]> = [
    [0.8, 0.8416],
    [0.9, 1.2816],
    [0.95, 1.645],
    [0.975, 1.96],
    [0.98, 2.054],
    [0.99, 2.326],
    [0.995, 2.5758],
    [0.999, 3.0902],
    [0.9999, 3.719],
  ];

  it.each(cases)('%s → %s', (level, z) => {
    expect(Math.abs(serviceFactor(level) - z)).toBeLessThan(1e-3);
  });

  it('tends to 0 just above 0.5', () => {
    expect(serviceFactor(0.5000001)).toBeGreaterThan(0);
    expect(serviceFactor(0.5000001)).toBeLessThan(1e-3);
  });

  it.each([0.5, 0.4, 0, -1, 0.99991, 1, 1.5, Number.NaN])('refuses %s with a RangeError', (level) => {
    expect(() => serviceFactor(level)).toThrow(RangeError);
  });

  it('is increasing', () => {
    const level = fc.double({ min: 0.5, max: 0.9999, noNaN: true }).filter((p) => p > 0.5);
    fc.assert(
      fc.property(level, level, (a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        expect(serviceFactor(lo)).toBeLessThanOrEqual(serviceFactor(hi));
      }),
    );
  });
});

describe('computePolicy', () => {
  type Expected = Pick<ReturnType<typeof computePolicy>, 'safetyStock' | 'reorderLevel' | 'orderQuantity' | 'maxStock'>;
  const cases: Array<[string, PolicyInput, Expected]> = [
    // W = 70/week, σ = 0, L = 14 days = 2 weeks → L × W = 140, B = 0, R = 140; Q = 2 × 70 = 140.
    [
      'steady demand',
      { dailyConsumption: days(7, 10), leadTimeDays: 14 },
      { safetyStock: 0, reorderLevel: 140, orderQuantity: 140, maxStock: 280 },
    ],
    // W = 70, σ_week = 5.491 (stored scale), z(0.95) = 1.64485, √2 = 1.41421:
    // B = ⌈1.64485 × 5.491 × 1.41421⌉ = ⌈12.77⌉ = 13, R = 140 + 13 = 153, max = 153 + 140 = 293.
    [
      'alternating 8/12',
      { dailyConsumption: alternating, leadTimeDays: 14 },
      { safetyStock: 13, reorderLevel: 153, orderQuantity: 140, maxStock: 293 },
    ],
    // Spike: W = 70, σ_week = 140 → B = ⌈1.64485 × 140 × √2⌉ = ⌈325.66⌉ = 326, R = 140 + 326 = 466.
    [
      'huge spike',
      { dailyConsumption: spike, leadTimeDays: 14 },
      { safetyStock: 326, reorderLevel: 466, orderQuantity: 140, maxStock: 606 },
    ],
    // Same, z(0.99) = 2.32635: B = ⌈2.32635 × 140 × √2⌉ = ⌈460.60⌉ = 461.
    [
      'huge spike at 99 %',
      { dailyConsumption: spike, leadTimeDays: 14, serviceLevel: 0.99 },
      { safetyStock: 461, reorderLevel: 601, orderQuantity: 140, maxStock: 741 },
    ],
    // Packs of 12: 140 → 12 packs = 144.
    [
      'pack rounding',
      { dailyConsumption: days(7, 10), leadTimeDays: 14, packSize: 12 },
      { safetyStock: 0, reorderLevel: 140, orderQuantity: 144, maxStock: 284 },
    ],
    [
      'exact packs stay',
      { dailyConsumption: days(7, 10), leadTimeDays: 14, packSize: 10 },
      { safetyStock: 0, reorderLevel: 140, orderQuantity: 140, maxStock: 280 },
    ],
    // Minimum order 500 in packs of 12 → 42 packs = 504.
    [
      'minimum order',
      { dailyConsumption: days(7, 10), leadTimeDays: 14, packSize: 12, minOrderQuantity: 500 },
      { safetyStock: 0, reorderLevel: 140, orderQuantity: 504, maxStock: 644 },
    ],
    [
      'cover weeks',
      { dailyConsumption: days(7, 10), leadTimeDays: 14, coverWeeks: 4 },
      { safetyStock: 0, reorderLevel: 140, orderQuantity: 280, maxStock: 420 },
    ],
    // Weekly review: P = (14 + 7) / 7 = 3 weeks → P × W = 210.
    [
      'weekly review',
      { dailyConsumption: days(7, 10), leadTimeDays: 14, reviewDays: 7 },
      { safetyStock: 0, reorderLevel: 210, orderQuantity: 140, maxStock: 350 },
    ],
    // W = 3.5, L = 3 days → L × W = 1.5 → R = 2; Q = 7.
    [
      'fractional demand rounds up',
      { dailyConsumption: [1, 0], leadTimeDays: 3, serviceLevel: 0.6 },
      { safetyStock: 1, reorderLevel: 3, orderQuantity: 7, maxStock: 10 },
    ],
    [
      'no history',
      { dailyConsumption: [], leadTimeDays: 14 },
      { safetyStock: 0, reorderLevel: 0, orderQuantity: 0, maxStock: 0 },
    ],
    [
      'no history, minimum order',
      { dailyConsumption: [], leadTimeDays: 14, minOrderQuantity: 5, packSize: 4 },
      { safetyStock: 0, reorderLevel: 0, orderQuantity: 8, maxStock: 8 },
    ],
    [
      'all zeros',
      { dailyConsumption: days(60, 0), leadTimeDays: 14 },
      { safetyStock: 0, reorderLevel: 0, orderQuantity: 0, maxStock: 0 },
    ],
    // One day of 5: W = 35, no σ → B = 0, R = 2 × 35 = 70.
    [
      'one day',
      { dailyConsumption: [5], leadTimeDays: 14 },
      { safetyStock: 0, reorderLevel: 70, orderQuantity: 70, maxStock: 140 },
    ],
    [
      'zero lead time',
      { dailyConsumption: spike, leadTimeDays: 0 },
      { safetyStock: 0, reorderLevel: 0, orderQuantity: 140, maxStock: 140 },
    ],
  ];

  it.each(cases)('%s', (_, input, expected) => {
    expect(computePolicy(input)).toMatchObject(expected);
  });

  it('returns the row to store, with the seed relation R = L × W + B', () => {
    expect(computePolicy({ dailyConsumption: alternating, leadTimeDays: 14 })).toEqual({
      leadTimeDays: 14,
      weeklyDemand: 70,
      weeklyStdDev: 5.491,
      safetyStock: 13,
      reorderLevel: 153,
      orderQuantity: 140,
      maxStock: 293,
      serviceLevel: 0.95,
    });
    // [1, 0] at 0.6: σ_week = √(0.5 × 7) = 1.871, z = 0.2533, √(3/7) = 0.6547 → B = ⌈0.31⌉ = 1;
    // R = ⌈(3/7) × 3.5⌉ + 1 = ⌈1.5⌉ + 1 = 3.
    const small = computePolicy({ dailyConsumption: [1, 0], leadTimeDays: 3, serviceLevel: 0.6 });
    expect(small).toMatchObject({ weeklyDemand: 3.5, weeklyStdDev: 1.871, serviceLevel: 0.6 });
  });

  it('rounds W to the stored scale before deriving R', () => {
    // 1 unit over 365 days: W = 7/365 = 0.019178… → 0.019.
    expect(computePolicy({ dailyConsumption: [...days(364, 0), 1], leadTimeDays: 14 }).weeklyDemand).toBe(0.019);
  });

  it('passes the recency weighting through', () => {
    const rising = [...days(21, 5), ...days(7, 15)];
    const plain = computePolicy({ dailyConsumption: rising, leadTimeDays: 7 });
    const recent = computePolicy({ dailyConsumption: rising, leadTimeDays: 7, halfLifeDays: 7 });
    expect(recent.weeklyDemand).toBeGreaterThan(plain.weeklyDemand);
    expect(recent.reorderLevel).toBeGreaterThan(plain.reorderLevel);
  });

  it.each<[string, Partial<PolicyInput>]>([
    ['service level 0.5', { serviceLevel: 0.5 }],
    ['service level 1', { serviceLevel: 1 }],
    ['negative lead time', { leadTimeDays: -1 }],
    ['NaN lead time', { leadTimeDays: Number.NaN }],
    ['negative review days', { reviewDays: -7 }],
    ['pack size 0', { packSize: 0 }],
    ['fractional pack size', { packSize: 2.5 }],
    ['negative minimum order', { minOrderQuantity: -1 }],
    ['negative cover weeks', { coverWeeks: -1 }],
    ['negative consumption', { dailyConsumption: [1, -2] }],
  ])('refuses %s with a RangeError', (_, override) => {
    expect(() => computePolicy({ dailyConsumption: days(7, 10), leadTimeDays: 14, ...override })).toThrow(RangeError);
  });

  const policyInput = fc.record({
    dailyConsumption: fc.array(
      fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 5000 })),
      { maxLength: 120 },
    ),
    leadTimeDays: fc.oneof(fc.integer({ min: 0, max: 90 }), fc.double({ min: 0, max: 90, noNaN: true })),
    reviewDays: fc.option(fc.integer({ min: 0, max: 28 }), { nil: undefined }),
    serviceLevel: fc.option(
      fc.double({ min: 0.5, max: 0.9999, noNaN: true }).filter((p) => p > 0.5),
      { nil: undefined },
    ),
    packSize: fc.option(fc.integer({ min: 1, max: 100 }), { nil: undefined }),
    minOrderQuantity: fc.option(fc.integer({ min: 0, max: 1000 }), { nil: undefined }),
    coverWeeks: fc.option(fc.double({ min: 0, max: 12, noNaN: true }), { nil: undefined }),
  });
  const isCount = (x: number) => Number.isInteger(x) && x >= 0;

  it('keeps R ≥ B ≥ 0, maxStock ≥ R, whole packs and non-negative integers', () => {
    fc.assert(
      fc.property(policyInput, (input) => {
        const policy = computePolicy(input);
        for (const value of [policy.safetyStock, policy.reorderLevel, policy.orderQuantity, policy.maxStock]) {
          expect(isCount(value)).toBe(true);
        }
        expect(policy.reorderLevel).toBeGreaterThanOrEqual(policy.safetyStock);
        expect(policy.maxStock).toBeGreaterThanOrEqual(policy.reorderLevel);
        expect(policy.maxStock).toBe(policy.reorderLevel + policy.orderQuantity);
        expect(policy.orderQuantity % (input.packSize ?? 1)).toBe(0);
        expect(policy.orderQuantity).toBeGreaterThanOrEqual(input.minOrderQuantity ?? 0);
      }),
    );
  });

  it('never lowers B or R for a higher service level', () => {
    const level = fc.double({ min: 0.5, max: 0.9999, noNaN: true }).filter((p) => p > 0.5);
    fc.assert(
      fc.property(policyInput, level, level, (input, a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        const low = computePolicy({ ...input, serviceLevel: lo });
        const high = computePolicy({ ...input, serviceLevel: hi });
        expect(high.safetyStock).toBeGreaterThanOrEqual(low.safetyStock);
        expect(high.reorderLevel).toBeGreaterThanOrEqual(low.reorderLevel);
      }),
    );
  });
});

describe('needsReorder and suggestQuantity', () => {
  const policy = { reorderLevel: 153, maxStock: 293 };
  // [onHand, onOrder, packSize, needs reorder, suggestion]
  const cases: Array<[number, number, number, boolean, number]> = [
    [200, 0, 1, false, 0], // above R: nothing on the list
    [100, 60, 1, false, 0], // on order counts: projected 160 > 153
    [154, 0, 1, false, 0],
    [153, 0, 1, true, 140], // at R: 293 − 153
    [100, 0, 1, true, 193],
    [100, 50, 1, true, 143],
    [100, 0, 12, true, 204], // 193 → 17 packs of 12
    [100, 1, 12, true, 192], // 192 = 16 packs exactly
    [0, 0, 1, true, 293],
    [-5, 0, 1, true, 298], // negative book stock is made good too
    [153, 0, 1000, true, 1000],
  ];

  it.each(cases)(
    'onHand %s, onOrder %s, packs of %s → reorder %s, suggest %s',
    (onHand, onOrder, packSize, reorder, suggestion) => {
      expect(needsReorder(policy, onHand, onOrder)).toBe(reorder);
      expect(suggestQuantity({ policy, onHand, onOrder, packSize })).toBe(suggestion);
    },
  );

  it('suggests nothing for a policy without demand once stock is at its maximum', () => {
    const empty = { reorderLevel: 0, maxStock: 0 };
    expect(needsReorder(empty, 0, 0)).toBe(true);
    expect(suggestQuantity({ policy: empty, onHand: 0, onOrder: 0 })).toBe(0);
    expect(suggestQuantity({ policy: empty, onHand: 1, onOrder: 0 })).toBe(0);
  });

  it.each<[string, number, number, number]>([
    ['NaN on hand', Number.NaN, 0, 1],
    ['negative on order', 10, -1, 1],
    ['pack size 0', 10, 0, 0],
  ])('refuses %s with a RangeError', (_, onHand, onOrder, packSize) => {
    expect(() => suggestQuantity({ policy, onHand, onOrder, packSize })).toThrow(RangeError);
  });

  it('brings projected stock to at least maxStock, in whole packs, by less than one extra pack', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 5000 }),
        fc.integer({ min: 0, max: 5000 }),
        fc.integer({ min: -100, max: 6000 }),
        fc.integer({ min: 0, max: 3000 }),
        fc.integer({ min: 1, max: 100 }),
        (reorderLevel, quantity, onHand, onOrder, packSize) => {
          const p = { reorderLevel, maxStock: reorderLevel + quantity };
          const suggestion = suggestQuantity({ policy: p, onHand, onOrder, packSize });
          expect(suggestion % packSize).toBe(0);
          if (needsReorder(p, onHand, onOrder)) {
            expect(onHand + onOrder + suggestion).toBeGreaterThanOrEqual(p.maxStock);
            expect(onHand + onOrder + suggestion - packSize).toBeLessThan(p.maxStock);
          } else {
            expect(suggestion).toBe(0);
          }
        },
      ),
    );
  });
});

describe('daysOfCover', () => {
  const cases: Array<[number, number, number | null]> = [
    [140, 70, 14], // 140 / (70 / 7)
    [15, 70, 1.5],
    [100, 30, 23.3], // 100 / (30 / 7) = 23.33…
    [1, 3, 2.3], // 2.333…
    [0, 70, 0],
    [-10, 70, 0], // never negative
    [50, 0, null], // no demand: infinite cover
    [0, 0, null],
  ];

  it.each(cases)('%s on hand at W = %s → %s days', (onHand, w, expected) => {
    expect(daysOfCover(onHand, w)).toBe(expected);
  });

  it.each<[number, number]>([
    [Number.NaN, 70],
    [10, -1],
    [10, Number.POSITIVE_INFINITY],
  ])('refuses onHand %s, W %s', (onHand, w) => {
    expect(() => daysOfCover(onHand, w)).toThrow(RangeError);
  });
});

describe('urgencyFor', () => {
  it('names its thresholds', () => {
    expect(EMERGENCY_COVER_DAYS).toBe(1);
    expect(EMERGENCY_LEAD_TIME_FRACTION).toBe(0.25);
  });

  // W = 70 → 10/day, so onHand / 10 is the cover in days. [onHand, onOrder, W, lead time days, urgency]
  type Urgency = ReturnType<typeof urgencyFor>;
  const cases: Array<[number, number | undefined, number, number, Urgency]> = [
    [0, 0, 70, 14, 'emergency'], // stock-out
    [-3, 500, 70, 14, 'emergency'], // stock-out even with an order on its way
    [0, 0, 0, 14, 'emergency'], // stock-out of an item without recent demand
    [9, 0, 70, 0, 'emergency'], // 0.9 days < 1 day
    [10, 0, 70, 0, 'normal'], // exactly 1 day, zero lead time
    [34, 0, 70, 14, 'emergency'], // 3.4 days < 25 % of 14 = 3.5
    [34, 500, 70, 14, 'emergency'], // orders on the way do not refill the shelf
    [35, 0, 70, 14, 'urgent'], // 3.5 days: not below 3.5, below 14
    [139, 0, 70, 14, 'urgent'], // 13.9 < 14
    [139, undefined, 70, 14, 'urgent'],
    [140, 0, 70, 14, 'normal'], // 14 days = lead time
    [100, 40, 70, 14, 'normal'], // projected 140 → 14 days
    [100, 39, 70, 14, 'urgent'],
    [5, 0, 0, 14, 'normal'], // no demand: infinite cover
    [1, 0, 3.5, 1, 'normal'], // 0.5/day → 2 days ≥ 1
  ];

  it.each(cases)(
    'onHand %s, onOrder %s, W %s, L %s days → %s',
    (onHand, onOrder, weeklyDemandW, leadTimeDays, expected) => {
      expect(urgencyFor({ onHand, onOrder, weeklyDemand: weeklyDemandW, leadTimeDays })).toBe(expected);
    },
  );

  it.each<[string, Parameters<typeof urgencyFor>[0]]>([
    ['NaN on hand', { onHand: Number.NaN, weeklyDemand: 70, leadTimeDays: 14 }],
    ['negative on order', { onHand: 10, onOrder: -1, weeklyDemand: 70, leadTimeDays: 14 }],
    ['negative demand', { onHand: 10, weeklyDemand: -70, leadTimeDays: 14 }],
    ['negative lead time', { onHand: 10, weeklyDemand: 70, leadTimeDays: -1 }],
  ])('refuses %s with a RangeError', (_, input) => {
    expect(() => urgencyFor(input)).toThrow(RangeError);
  });

  it('never gets more urgent with more stock on hand or on order', () => {
    const rank = { normal: 0, urgent: 1, emergency: 2 } as const;
    fc.assert(
      fc.property(
        fc.integer({ min: -50, max: 2000 }),
        fc.integer({ min: 0, max: 500 }),
        fc.integer({ min: 0, max: 500 }),
        fc.integer({ min: 0, max: 500 }),
        fc.double({ min: 0, max: 1000, noNaN: true }),
        fc.integer({ min: 0, max: 60 }),
        (onHand, extraOnHand, onOrder, extraOnOrder, weeklyDemandW, leadTimeDays) => {
          const base = urgencyFor({ onHand, onOrder, weeklyDemand: weeklyDemandW, leadTimeDays });
          const more = urgencyFor({
            onHand: onHand + extraOnHand,
            onOrder: onOrder + extraOnOrder,
            weeklyDemand: weeklyDemandW,
            leadTimeDays,
          });
          expect(rank[more]).toBeLessThanOrEqual(rank[base]);
        },
      ),
    );
  });
});

describe('roundUpToPacks', () => {
  it.each<[number, number, number]>([
    [0, 12, 0],
    [1, 12, 12],
    [12, 12, 12],
    [13, 12, 24],
    [-5, 12, 0],
    [2.0000000000000004, 1, 2], // float noise does not cost a pack
    [7.5, 1, 8],
  ])('%s in packs of %s → %s', (quantity, packSize, expected) => {
    expect(roundUpToPacks(quantity, packSize)).toBe(expected);
  });
});
