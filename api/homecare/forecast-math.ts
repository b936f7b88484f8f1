/**
 * Home-care forecast maths, pure: no database, no I/O. For one home × item: the real daily use measured
 * under the current supply plan, the plan's daily use, which of the two drives the run-out date, days of
 * cover, the run-out date, and whether real use is far from the plan. Invalid numbers throw a RangeError.
 */
import { computePolicy, type Policy } from '../replenishment/policy-math.ts';

/** Real use is measured over at most this many recent days. */
export const FORECAST_WINDOW_DAYS = 28;
/** With fewer observed days the real rate is not trusted alone (the plan, or the higher of the two, drives). */
export const MIN_HISTORY_DAYS = 7;
/** Real use differing from the plan by more than this fraction (over ≥ MIN_HISTORY_DAYS) is "far from plan". */
export const FAR_FROM_PLAN_RATIO = 0.3;
/** A delivery request must exist when the run-out date minus the lead time falls within this many days. */
export const HOME_DELIVERY_HORIZON_DAYS = 7;

const dayMs = 86_400_000;
const round = (x: number, decimals: number) => Math.round(x * 10 ** decimals) / 10 ** decimals;
function check(ok: boolean, message: string): void {
  if (!ok) throw new RangeError(message);
}

/** `date` (YYYY-MM-DD) plus `days` calendar days. */
export function addDays(date: string, days: number): string {
  check(/^\d{4}-\d{2}-\d{2}$/.test(date), `date must be YYYY-MM-DD, got ${date}`);
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * dayMs).toISOString().slice(0, 10);
}

/** Whole calendar days from `from` to `to` (both YYYY-MM-DD); negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / dayMs);
}

/**
 * How many recent days (today included) count as observed for a home item: the days since its plan began
 * (the plan's first day included), at most the window; the whole window when there is no plan.
 */
export function observedDays(planStart: string | null, today: string, windowDays = FORECAST_WINDOW_DAYS): number {
  check(Number.isInteger(windowDays) && windowDays > 0, `windowDays must be a positive integer, got ${windowDays}`);
  if (planStart === null) return windowDays;
  return Math.min(windowDays, Math.max(1, daysBetween(planStart, today) + 1));
}

export interface ForecastInput {
  /** Daily consumption, oldest first, today last, zero-filled (at least `observedDays` long, or shorter). */
  daily: number[];
  /** Days at the end of `daily` that count (see `observedDays`). */
  observedDays: number;
  /** The active plan's daily quantity, or null without a plan. */
  planDaily: number | null;
  /** Usable stock on hand at the home. */
  available: number;
  /** Today, YYYY-MM-DD (the hospital's day). */
  today: string;
  minHistoryDays?: number;
  farFromPlanRatio?: number;
}

export type RateSource = 'real' | 'plan' | 'none';

export interface ItemForecast {
  /** Mean real use per day over the observed days (3 decimals; days without use count as 0). */
  realDaily: number;
  planDaily: number | null;
  observedDays: number;
  /** The daily rate that drives cover and run-out (3 decimals), and where it comes from. */
  rate: number;
  rateSource: RateSource;
  /** available / rate, one decimal; null when the rate is 0 (never runs out at this pace). */
  daysOfCover: number | null;
  /** today + ⌊days of cover⌋; null when the rate is 0. */
  runOutDate: string | null;
  /** (real − plan) / plan, 3 decimals; null without a plan. */
  deviation: number | null;
  farFromPlan: boolean;
}

/**
 * The forecast of one home item. The rate that drives the run-out date:
 * - with a plan and at least `minHistoryDays` observed under it, the real rate (what actually happens);
 * - with a plan and a shorter history, the higher of plan and real so far (never promise more than either);
 * - with a plan and nothing left at home, the plan (a stock-out hides real use);
 * - without a plan, the real rate over the window.
 * Far from plan: a plan, ≥ `minHistoryDays` observed, and |real − plan| / plan > `farFromPlanRatio`.
 */
export function forecastItem(input: ForecastInput): ItemForecast {
  const minHistory = input.minHistoryDays ?? MIN_HISTORY_DAYS;
  const ratio = input.farFromPlanRatio ?? FAR_FROM_PLAN_RATIO;
  check(
    Number.isInteger(input.observedDays) && input.observedDays > 0,
    `observedDays must be a positive integer, got ${input.observedDays}`,
  );
  check(
    input.daily.every((x) => Number.isFinite(x) && x >= 0),
    'daily consumption must be finite and non-negative',
  );
  check(
    input.planDaily === null || (Number.isFinite(input.planDaily) && input.planDaily > 0),
    `planDaily must be positive or null, got ${input.planDaily}`,
  );
  check(Number.isFinite(input.available), `available must be finite, got ${input.available}`);

  const observed = input.daily.slice(-input.observedDays);
  const realDaily = round(observed.reduce((s, x) => s + x, 0) / input.observedDays, 3);
  const plan = input.planDaily;
  const real = realDaily;
  const enough = input.observedDays >= minHistory;
  let rate: number;
  let rateSource: RateSource;
  if (plan !== null && (input.available <= 0 || (!enough && plan >= real))) [rate, rateSource] = [plan, 'plan'];
  else if (real > 0) [rate, rateSource] = [real, 'real'];
  else [rate, rateSource] = [0, 'none'];
  rate = round(rate, 3);

  const cover = rate > 0 ? Math.max(0, input.available) / rate : null;
  const deviation = plan !== null ? round((realDaily - plan) / plan, 3) : null;
  return {
    realDaily,
    planDaily: plan,
    observedDays: input.observedDays,
    rate,
    rateSource,
    daysOfCover: cover === null ? null : Math.floor(cover * 10 + 1e-9) / 10,
    runOutDate: cover === null ? null : addDays(input.today, Math.floor(cover + 1e-9)),
    deviation,
    farFromPlan: deviation !== null && enough && Math.abs(deviation) > ratio,
  };
}

/**
 * The day a delivery must be asked for so it arrives before run-out: run-out date minus lead time (null without one).
 */
export function orderByDate(forecast: Pick<ItemForecast, 'runOutDate'>, leadTimeDays: number): string | null {
  return forecast.runOutDate === null ? null : addDays(forecast.runOutDate, -Math.ceil(leadTimeDays));
}

/**
 * The reorder policy of a home item under a supply plan: the seed's R = L × W + B with W from the forecast's
 * driving rate and the review period set to the delivery horizon, so R is reached — and the under-stock
 * request exists — when (on hand + on order) covers no more than L + horizon days. With the real rate, W and
 * B come from the observed days (B from their variability); with the plan, W is the plan and B is 0.
 */
export function homePolicy(input: {
  forecast: ItemForecast;
  daily: number[];
  leadTimeDays: number;
  packSize?: number;
  horizonDays?: number;
}): Policy {
  const reviewDays = input.horizonDays ?? HOME_DELIVERY_HORIZON_DAYS;
  const { forecast } = input;
  const history =
    forecast.rateSource === 'real'
      ? input.daily.slice(-forecast.observedDays)
      : forecast.rateSource === 'plan'
        ? new Array<number>(MIN_HISTORY_DAYS).fill(forecast.rate)
        : [];
  return computePolicy({
    dailyConsumption: history,
    leadTimeDays: input.leadTimeDays,
    reviewDays,
    packSize: input.packSize ?? 1,
  });
}
