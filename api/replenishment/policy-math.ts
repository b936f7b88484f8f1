/**
 * Look-back (reorder point) maths, pure: no database, no I/O. The seed's relation is R = L × W + B
 * (R reorder level, L expected lead time in weeks, W expected weekly demand, B safety stock).
 * Invalid numbers throw a `RangeError`; actions validate their input with zod before calling.
 */

/** A reorder policy, shaped like a `reorder_policies` row (integers: B, R, order quantity, max stock). */
export interface Policy {
  leadTimeDays: number;
  /** W, units per week, rounded to the stored scale (3 decimals). */
  weeklyDemand: number;
  /** σ of weekly demand, rounded to 3 decimals. */
  weeklyStdDev: number;
  /** B */
  safetyStock: number;
  /** R: at or below it (counting stock on order) an order is issued. */
  reorderLevel: number;
  orderQuantity: number;
  /** R + order quantity: the level a replenishment brings stock back to. */
  maxStock: number;
  serviceLevel: number;
}

export const DEFAULT_SERVICE_LEVEL = 0.95;
export const DEFAULT_COVER_WEEKS = 2;
/** Default half-life of the recency weighting: `Infinity`, i.e. every day of history weighs the same. */
export const DEFAULT_HALF_LIFE_DAYS = Number.POSITIVE_INFINITY;
/** Emergency when on-hand stock covers less than this many days… */
export const EMERGENCY_COVER_DAYS = 1;
/** …or less than this fraction of the lead time. */
export const EMERGENCY_LEAD_TIME_FRACTION = 0.25;

// Float noise must not push an exact integer over the next one (ceil(2.0000000000000004) = 3).
const EPSILON = 1e-9;
const ceilInt = (x: number) => Math.max(0, Math.ceil(x - EPSILON));
const round = (x: number, decimals: number) => Math.round(x * 10 ** decimals) / 10 ** decimals;

function check(ok: boolean, message: string): void {
  if (!ok) throw new RangeError(message);
}
const finite = (x: number) => Number.isFinite(x);
const nonNegative = (x: number) => Number.isFinite(x) && x >= 0;
const positiveInteger = (x: number) => Number.isInteger(x) && x > 0;

/** `quantity` rounded up to whole packs (0 stays 0). */
export function roundUpToPacks(quantity: number, packSize = 1): number {
  check(positiveInteger(packSize), `packSize must be a positive integer, got ${packSize}`);
  return ceilInt(quantity / packSize) * packSize;
}

/**
 * Expected weekly demand from daily consumption totals (oldest first, zeros for days without
 * consumption): mean = mean daily × 7, stdDev = daily sample σ × √7 (0 with fewer than 2 days),
 * weeks = days of history / 7. With `halfLifeDays` a day's weight halves every `halfLifeDays` back
 * from the newest (weighted mean, unbiased weighted variance); the default weighs all days equally.
 */
export function weeklyDemand(
  dailyConsumption: number[],
  options: { halfLifeDays?: number } = {},
): { mean: number; stdDev: number; weeks: number } {
  const halfLife = options.halfLifeDays ?? DEFAULT_HALF_LIFE_DAYS;
  check(halfLife > 0, `halfLifeDays must be positive, got ${halfLife}`);
  check(dailyConsumption.every(nonNegative), 'daily consumption must be finite and non-negative');
  const n = dailyConsumption.length;
  if (n === 0) return { mean: 0, stdDev: 0, weeks: 0 };

  const weights = dailyConsumption.map((_, i) => 0.5 ** ((n - 1 - i) / halfLife));
  const v1 = weights.reduce((s, w) => s + w, 0);
  const v2 = weights.reduce((s, w) => s + w * w, 0);
  const mean = dailyConsumption.reduce((s, x, i) => s + weights[i]! * x, 0) / v1;
  // Reliability-weights correction: with equal weights v1 - v2 / v1 = n - 1 (the sample variance).
  const dof = v1 - v2 / v1;
  const squares = dailyConsumption.reduce((s, x, i) => s + weights[i]! * (x - mean) ** 2, 0);
  const variance = n < 2 || dof <= 0 ? 0 : squares / dof;
  return { mean: mean * 7, stdDev: Math.sqrt(variance) * Math.sqrt(7), weeks: n / 7 };
}

// Acklam's rational approximation of the inverse normal CDF (relative error < 1.2e-9).
const A = [
  -3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1,
  2.506628277459239,
];
const B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
const C = [
  -7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968,
  2.938163982698783,
];
const D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
const P_HIGH = 1 - 0.02425;
const poly = (coefficients: number[], x: number) => coefficients.reduce((acc, c) => acc * x + c, 0);

/**
 * The z value (standard normal quantile) for a service level in (0.5, 0.9999], e.g. 0.95 → 1.645,
 * 0.98 → 2.054, 0.99 → 2.326 (Acklam's approximation). Throws a RangeError outside that range.
 */
export function serviceFactor(serviceLevel: number): number {
  check(serviceLevel > 0.5 && serviceLevel <= 0.9999, `serviceLevel must be in (0.5, 0.9999], got ${serviceLevel}`);
  if (serviceLevel <= P_HIGH) {
    const q = serviceLevel - 0.5;
    const r = q * q;
    return (poly(A, r) * q) / (poly(B, r) * r + 1);
  }
  const q = Math.sqrt(-2 * Math.log(1 - serviceLevel));
  return -poly(C, q) / (poly(D, q) * q + 1);
}

export interface PolicyInput {
  /** Daily consumption totals, oldest first, zeros included. */
  dailyConsumption: number[];
  leadTimeDays: number;
  /** Days between reviews (periodic review, e.g. a weekly ward list); default 0 (continuous review). */
  reviewDays?: number;
  /** Default 0.95. */
  serviceLevel?: number;
  /** Default 1. */
  packSize?: number;
  minOrderQuantity?: number;
  /** Weeks of demand one order brings beyond R; default 2. */
  coverWeeks?: number;
  /** Recency weighting of the history, see `weeklyDemand`. */
  halfLifeDays?: number;
}

/**
 * A look-back policy from consumption history. With P = (leadTimeDays + reviewDays) / 7 weeks (P = L
 * under continuous review): W and σ_week from `weeklyDemand`; B = ⌈z × σ_week × √P⌉;
 * R = ⌈P × W⌉ + B (the seed's R = L × W + B); orderQuantity = max(coverWeeks × W, minOrderQuantity)
 * rounded up to whole packs; maxStock = R + orderQuantity. No history gives W = B = R = 0.
 */
export function computePolicy(input: PolicyInput): Policy {
  const reviewDays = input.reviewDays ?? 0;
  const serviceLevel = input.serviceLevel ?? DEFAULT_SERVICE_LEVEL;
  const packSize = input.packSize ?? 1;
  const minOrderQuantity = input.minOrderQuantity ?? 0;
  const coverWeeks = input.coverWeeks ?? DEFAULT_COVER_WEEKS;
  check(nonNegative(input.leadTimeDays), `leadTimeDays must be finite and non-negative, got ${input.leadTimeDays}`);
  check(nonNegative(reviewDays), `reviewDays must be finite and non-negative, got ${reviewDays}`);
  check(nonNegative(minOrderQuantity), `minOrderQuantity must be finite and non-negative, got ${minOrderQuantity}`);
  check(nonNegative(coverWeeks), `coverWeeks must be finite and non-negative, got ${coverWeeks}`);
  check(positiveInteger(packSize), `packSize must be a positive integer, got ${packSize}`);
  const z = serviceFactor(serviceLevel);

  const demand = weeklyDemand(input.dailyConsumption, { halfLifeDays: input.halfLifeDays ?? DEFAULT_HALF_LIFE_DAYS });
  // Computed from the values as stored (3 decimals), so a stored row satisfies R = ⌈P × W⌉ + B itself.
  const w = round(demand.mean, 3);
  const sigma = round(demand.stdDev, 3);
  const protectionWeeks = (input.leadTimeDays + reviewDays) / 7;

  const safetyStock = ceilInt(z * sigma * Math.sqrt(protectionWeeks));
  const reorderLevel = ceilInt(protectionWeeks * w) + safetyStock;
  const orderQuantity = roundUpToPacks(Math.max(coverWeeks * w, minOrderQuantity), packSize);
  return {
    leadTimeDays: input.leadTimeDays,
    weeklyDemand: w,
    weeklyStdDev: sigma,
    safetyStock,
    reorderLevel,
    orderQuantity,
    maxStock: reorderLevel + orderQuantity,
    serviceLevel,
  };
}

/** Whether an order is due: projected stock (onHand + onOrder) at or below the reorder level R. */
export function needsReorder(policy: Pick<Policy, 'reorderLevel'>, onHand: number, onOrder: number): boolean {
  check(finite(onHand), `onHand must be finite, got ${onHand}`);
  check(nonNegative(onOrder), `onOrder must be finite and non-negative, got ${onOrder}`);
  return onHand + onOrder <= policy.reorderLevel;
}

/**
 * The quantity a ward's suggested list (scheda automatica) proposes: when `needsReorder` (projected
 * stock ≤ R), max(0, maxStock − onHand − onOrder) rounded up to whole packs, so projected stock plus
 * the suggestion reaches at least maxStock; above R, 0 (nothing to suggest yet).
 */
export function suggestQuantity(input: {
  policy: Pick<Policy, 'reorderLevel' | 'maxStock'>;
  onHand: number;
  onOrder: number;
  packSize?: number;
}): number {
  const packSize = input.packSize ?? 1;
  check(positiveInteger(packSize), `packSize must be a positive integer, got ${packSize}`);
  if (!needsReorder(input.policy, input.onHand, input.onOrder)) return 0;
  return roundUpToPacks(input.policy.maxStock - input.onHand - input.onOrder, packSize);
}

function coverDays(onHand: number, weeklyDemandW: number): number {
  return Math.max(0, onHand) / (weeklyDemandW / 7);
}

/** Days the stock on hand lasts at W per week (onHand / (W / 7), one decimal; never negative); null when W is 0. */
export function daysOfCover(onHand: number, weeklyDemandW: number): number | null {
  check(finite(onHand), `onHand must be finite, got ${onHand}`);
  check(nonNegative(weeklyDemandW), `weeklyDemand must be finite and non-negative, got ${weeklyDemandW}`);
  if (weeklyDemandW === 0) return null;
  return round(coverDays(onHand, weeklyDemandW), 1);
}

/**
 * How urgent a replenishment is. `emergency`: stock-out reached (onHand ≤ 0) or imminent — on-hand
 * cover below EMERGENCY_COVER_DAYS or below EMERGENCY_LEAD_TIME_FRACTION of the lead time (stock on
 * order is not on the shelf yet, so it does not count here). `urgent`: projected cover
 * ((onHand + onOrder) / daily demand) below the lead time, so a new order would arrive after the
 * stock-out. Otherwise `normal` (also whenever W is 0 and there is stock on hand). Unrounded cover.
 */
export function urgencyFor(input: {
  onHand: number;
  onOrder?: number;
  weeklyDemand: number;
  leadTimeDays: number;
}): 'normal' | 'urgent' | 'emergency' {
  const onOrder = input.onOrder ?? 0;
  check(finite(input.onHand), `onHand must be finite, got ${input.onHand}`);
  check(nonNegative(onOrder), `onOrder must be finite and non-negative, got ${onOrder}`);
  check(nonNegative(input.weeklyDemand), `weeklyDemand must be finite and non-negative, got ${input.weeklyDemand}`);
  check(nonNegative(input.leadTimeDays), `leadTimeDays must be finite and non-negative, got ${input.leadTimeDays}`);
  if (input.onHand <= 0) return 'emergency';
  if (input.weeklyDemand === 0) return 'normal';
  const onHandCover = coverDays(input.onHand, input.weeklyDemand);
  if (onHandCover < EMERGENCY_COVER_DAYS || onHandCover < EMERGENCY_LEAD_TIME_FRACTION * input.leadTimeDays) {
    return 'emergency';
  }
  if (coverDays(input.onHand + onOrder, input.weeklyDemand) < input.leadTimeDays) return 'urgent';
  return 'normal';
}
