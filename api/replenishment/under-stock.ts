import { and, eq, inArray, sql } from 'drizzle-orm';
import {
  items,
  openRequestStatuses,
  reorderPolicies,
  requestLines,
  suppliers,
  wardRequests,
  type LocationKind,
  type UnderStockReason,
} from '../../db/schema/index.ts';
import { together, type Actor, type Context } from '../core/context.ts';
import { localDate } from '../core/time.ts';
import { anyOf, pgArray } from '../core/sql-arrays.ts';
import {
  FORECAST_WINDOW_DAYS,
  forecastItem,
  homePolicy,
  observedDays,
  type ItemForecast,
} from '../homecare/forecast-math.ts';
import type { LocationRow } from '../locations/load-location.ts';
import { insertRequests, requestDestinations, type RequestDraft } from '../requests/emit-request.ts';
import { outstanding } from '../requests/transitions.ts';
import { activeSupplyPlans } from '../homecare/plan-view.ts';
import { consumptionSeries, pairKey, stockPositions } from './demand-history.ts';
import { computePolicy, needsReorder, suggestQuantity, urgencyFor, type Policy } from './policy-math.ts';
import { writeUnderStockNotices, type UnderStockNotice } from './under-stock-notice.ts';

/** Days from the supplying warehouse to a ward or cabinet, and by the home-delivery round to a patient's home. */
export const internalLeadDays = { ward: 2, home: 3 } as const;
const historyDays = 56;

/**
 * Expected lead time L in days to a location of `kind`: the internal route, plus the supplier's for a pass-through
 * item.
 */
export function leadTimeFor(kind: LocationKind, supplyMode: string, supplierLeadDays: number | null): number {
  const base = kind === 'home' ? internalLeadDays.home : internalLeadDays.ward;
  return supplyMode === 'pass_through' ? base + (supplierLeadDays ?? 7) : base;
}

export interface UnderStockOutcome {
  itemId: string;
  action: 'emitted' | 'updated' | 'unchanged' | 'none';
  requestId?: string;
  number?: string;
  urgency?: 'normal' | 'urgent' | 'emergency';
  quantity?: number;
  reason?: UnderStockReason;
}

/** One location to re-check: the items whose stock changed, what changed it, and who (a device's user) acts. */
export interface UnderStockTarget {
  location: LocationRow;
  itemIds: readonly string[];
  trigger: Record<string, unknown>;
  /** Who emits the requests (a device's user); the context's actor when absent. */
  actor?: Actor;
}

/**
 * After a reading changed stock at a location, re-evaluates its reorder policy per item — computed from
 * the location's own consumption (R = L × W + B, B from the variability of demand at the service level),
 * stored with its inputs — and when projected stock is at or below R emits an under-stock request, or
 * updates the one already open: at most one open automatic request per location × item. The request says
 * why (the reading, on hand, on order, R, L, W, B); urgency comes from days of cover against lead time.
 * A home item under an active supply plan follows the home-care forecast instead (`homePolicy`): W from the
 * rate that drives its run-out date, reviewed over the delivery horizon, so the request exists before run-out.
 */
export async function checkUnderStock(
  ctx: Context,
  location: LocationRow,
  itemIds: string[],
  trigger: Record<string, unknown>,
): Promise<UnderStockOutcome[]> {
  return (await checkUnderStockMany(ctx, [{ location, itemIds, trigger }]))[0]!;
}

/**
 * `checkUnderStock` for many locations at once (a batch of device readings, the home-delivery sweep), in the
 * caller's transaction: the same decision per location × item, read and written with a fixed number of
 * set-based statements whatever the number of locations — the consumption history, the stock positions,
 * the open requests and the supply plans of all targets in one query each, the policies stored in one
 * upsert, the open requests that follow the readings updated in one statement per table, and the new
 * requests emitted together. Returns each target's outcomes, in the order of `targets` (one target per location).
 */
export async function checkUnderStockMany(
  ctx: Context,
  targets: readonly UnderStockTarget[],
): Promise<UnderStockOutcome[][]> {
  const keys = targets.flatMap((t) => t.itemIds.map((id) => pairKey(t.location.id, id))).sort();
  if (keys.length === 0) return targets.map(() => []);
  if (new Set(targets.map((t) => t.location.id)).size !== targets.length)
    throw new Error('checkUnderStockMany: one target per location');
  // One statement, keys in sorted order: concurrent checks of overlapping pairs queue instead of deadlocking.
  await ctx.db.execute(
    sql`select pg_advisory_xact_lock(hashtext(k))
      from unnest(${pgArray([...new Set(keys)], 'text')}) with ordinality as t(k, n) order by n`,
  );
  // A target's position counts what is on order for the locations below it, so a ward is checked after the
  // cabinets below it that are checked too (their new requests count for it), as one-by-one checks would.
  // Sorted by path, a target has another below it exactly when the next path starts with its own.
  const outcomes: UnderStockOutcome[][] = targets.map(() => []);
  let remaining = targets
    .map((target, index) => ({ target, index }))
    .sort((a, b) => (a.target.location.path < b.target.location.path ? -1 : 1));
  while (remaining.length) {
    const holdsAnother = remaining.map(
      (r, i) => i + 1 < remaining.length && remaining[i + 1]!.target.location.path.startsWith(r.target.location.path),
    );
    // Emitted in the callers' order.
    const round = remaining.filter((_, i) => !holdsAnother[i]).sort((a, b) => a.index - b.index);
    const done = await checkRound(
      ctx,
      round.map((r) => r.target),
    );
    for (const [i, r] of round.entries()) outcomes[r.index] = done[i]!;
    remaining = remaining.filter((_, i) => holdsAnother[i]);
  }
  return outcomes;
}

/** One round of `checkUnderStockMany`: targets none of which lies below another. */
async function checkRound(ctx: Context, targets: readonly UnderStockTarget[]): Promise<UnderStockOutcome[][]> {
  const work = targets.map((t) => ({ ...t, itemIds: [...new Set(t.itemIds)].sort(), actor: t.actor ?? ctx.actor }));
  const round = decideRound(ctx.now(), work, await readRound(ctx, work));
  // The policies, with their inputs, in one upsert; and the open requests nobody has evaluated follow the
  // readings. Independent writes, issued together (pipelined on PostgreSQL).
  await together([...storePolicies(ctx, round.stored), ...followReadings(ctx, round.updates)]);
  if (round.emissions.length) await emitRequests(ctx, round.emissions, round.outcomes);
  return round.outcomes;
}

/** A target of a round: its item ids unique and sorted, its actor resolved. */
type RoundTarget = UnderStockTarget & { itemIds: string[]; actor: Actor };

/**
 * Everything a round decides from, for all its targets at once: consumption history, stock positions, the items,
 * the open automatic requests (keyed location|item) and the active supply plans of the homes.
 */
async function readRound(ctx: Context, work: readonly RoundTarget[]) {
  const keys = work.flatMap((t) => t.itemIds.map((id) => pairKey(t.location.id, id)));
  const coverage = work.map((t) => ({ locationId: t.location.id, itemIds: t.itemIds }));
  const itemIds = [...new Set(work.flatMap((t) => t.itemIds))];
  const homes = work.filter((t) => t.location.kind === 'home').map((t) => t.location.id);
  // Five independent reads, issued together: on PostgreSQL they travel pipelined on the transaction's
  // connection (one round trip instead of five, which under load is most of a device batch's wait).
  const [history, position, itemList, openList, planList] = await together([
    consumptionSeries(ctx, coverage, historyDays, { subtree: true }),
    stockPositions(ctx, coverage, { subtree: true }),
    ctx.db
      .select({
        id: items.id,
        code: items.code,
        name: items.name,
        unit: items.unit,
        packSize: items.packSize,
        supplyMode: items.supplyMode,
        supplierLead: suppliers.leadTimeDays,
      })
      .from(items)
      .leftJoin(suppliers, eq(suppliers.id, items.supplierId))
      .where(anyOf(items.id, itemIds)),
    ctx.db
      .select({ request: wardRequests, line: requestLines })
      .from(wardRequests)
      .innerJoin(requestLines, eq(requestLines.requestId, wardRequests.id))
      .where(and(anyOf(wardRequests.autoKey, keys, 'text'), inArray(wardRequests.status, [...openRequestStatuses]))),
    homes.length ? activeSupplyPlans(ctx.db, { locationIds: homes, itemIds }) : [],
  ]);
  return {
    history,
    position,
    items: new Map(itemList.map((i) => [i.id, i])),
    // An automatic request has one line, keyed location|item.
    open: new Map(openList.map((o) => [o.request.autoKey!, o])),
    plans: new Map(planList.map((p) => [pairKey(p.locationId, p.itemId), p])),
  };
}

type RoundReads = Awaited<ReturnType<typeof readRound>>;
type ItemRow = NonNullable<ReturnType<RoundReads['items']['get']>>;

/** An open request nobody has evaluated, following the readings; `at` is its outcome's [target, item] place. */
interface RequestUpdate {
  lineId: string;
  requestId: string;
  quantity: number;
  urgency: string;
  origin: string;
  at: [number, number];
}

/** A new under-stock request to emit; `at` is its outcome's [target, item] place. */
interface Emission {
  at: [number, number];
  target: RoundTarget;
  item: ItemRow;
  quantity: number;
  urgency: 'normal' | 'urgent' | 'emergency';
  reason: UnderStockReason;
  neededBy: Date | null;
}

/** A round's decisions: every outcome, and the writes they need. */
interface Round {
  outcomes: UnderStockOutcome[][];
  stored: { locationId: string; itemId: string; policy: Policy }[];
  updates: RequestUpdate[];
  emissions: Emission[];
}

/** Decides every location × item of the round (pure), collecting the writes. */
function decideRound(now: Date, work: readonly RoundTarget[], reads: RoundReads): Round {
  const round: Round = { outcomes: work.map(() => []), stored: [], updates: [], emissions: [] };
  const today = localDate(now);
  for (const [t, target] of work.entries()) {
    for (const itemId of target.itemIds) {
      const item = reads.items.get(itemId);
      if (item) decidePair(round, reads.open, now, [t, target], item, pairPolicy(reads, target.location, item, today));
    }
  }
  return round;
}

/** The policy of one location × item, with its inputs: the home-care forecast under an active supply plan. */
function pairPolicy(reads: RoundReads, location: LocationRow, item: ItemRow, today: string) {
  const key = pairKey(location.id, item.id);
  const leadTimeDays = leadTimeFor(location.kind, item.supplyMode, item.supplierLead);
  const daily = reads.history.get(key) ?? new Array<number>(historyDays).fill(0);
  const plan = reads.plans.get(key);
  const { onHand, onOrder } = reads.position.get(key)!;
  let forecast: ItemForecast | undefined;
  if (plan) {
    const observed = observedDays(localDate(plan.createdAt), today, FORECAST_WINDOW_DAYS);
    forecast = forecastItem({
      daily,
      observedDays: observed,
      planDaily: Number(plan.dailyQuantity),
      available: onHand,
      today,
    });
  }
  const policy = forecast
    ? homePolicy({ forecast, daily, leadTimeDays, packSize: item.packSize })
    : computePolicy({ dailyConsumption: daily, leadTimeDays, packSize: item.packSize });
  return { key, policy, forecast, leadTimeDays, onHand, onOrder };
}

/** One location × item: none, unchanged, a new request to emit, or the open untouched one updated. */
function decidePair(
  round: Round,
  open: RoundReads['open'],
  now: Date,
  [t, target]: [number, RoundTarget],
  item: ItemRow,
  { key, policy, forecast, leadTimeDays, onHand, onOrder }: ReturnType<typeof pairPolicy>,
): void {
  const { location } = target;
  const itemId = item.id;
  const outcomes = round.outcomes[t]!;
  round.stored.push({ locationId: location.id, itemId, policy });
  const existing = open.get(key);
  const same = existing ? { requestId: existing.request.id, number: existing.request.number } : {};
  const others = onOrder - (existing ? outstanding(existing.line) : 0);
  const quantity = needsReorder(policy, onHand, others)
    ? suggestQuantity({ policy, onHand, onOrder: others, packSize: item.packSize })
    : 0;
  // Above R — or R = 0 with nothing on hand and no demand known: nothing sensible to ask for.
  if (quantity <= 0) {
    outcomes.push({ itemId, action: existing ? 'unchanged' : 'none', ...same });
    return;
  }
  const urgency = urgencyFor({ onHand, onOrder: others, weeklyDemand: policy.weeklyDemand, leadTimeDays });
  const reason = underStockReason(target.trigger, onHand, others, policy, leadTimeDays, forecast);
  const at: [number, number] = [t, outcomes.length];
  if (!existing) {
    const neededBy = forecast?.daysOfCover != null ? new Date(now.getTime() + forecast.daysOfCover * 86_400_000) : null;
    outcomes.push({ itemId, action: 'emitted', urgency, quantity, reason });
    round.emissions.push({ at, target, item, quantity, urgency, reason, neededBy });
  } else if (
    existing.line.status === 'routed' &&
    (existing.line.quantityRequested !== quantity || existing.request.urgency !== urgency)
  ) {
    // Only a request nobody has touched yet follows the readings; once evaluated it is the section's.
    outcomes.push({ itemId, action: 'updated', ...same, urgency, quantity, reason });
    round.updates.push({
      lineId: existing.line.id,
      requestId: existing.request.id,
      quantity,
      urgency,
      origin: JSON.stringify({ kind: 'under_stock', ...reason }),
      at,
    });
  } else {
    outcomes.push({ itemId, action: 'unchanged', ...same });
  }
}

/** Why a request is made: the trigger, on hand, what else is on order, the policy (R, L, W, B), a home's forecast. */
function underStockReason(
  trigger: Record<string, unknown>,
  onHand: number,
  onOrder: number,
  policy: Policy,
  leadTimeDays: number,
  forecast: ItemForecast | undefined,
): UnderStockReason {
  return {
    trigger,
    onHand,
    onOrder,
    R: policy.reorderLevel,
    L: leadTimeDays,
    W: policy.weeklyDemand,
    B: policy.safetyStock,
    maxStock: policy.maxStock,
    ...(forecast
      ? {
          plan: forecast.planDaily,
          real: forecast.realDaily,
          rateSource: forecast.rateSource,
          runOutDate: forecast.runOutDate,
        }
      : {}),
  };
}

/** The reorder policies, with their inputs, in one upsert (no statement when there are none). */
function storePolicies(ctx: Context, stored: Round['stored']): PromiseLike<unknown>[] {
  if (!stored.length) return [];
  const col = (pick: (p: Policy) => number | string) => stored.map((s) => pick(s.policy));
  return [
    ctx.db.execute(sql`
      insert into ${reorderPolicies} (location_id, item_id, lead_time_days, weekly_demand, safety_stock, reorder_level,
        order_quantity, max_stock, service_level, computed_at)
      select p.location_id, p.item_id, p.lead_time_days, p.weekly_demand, p.safety_stock, p.reorder_level,
        p.order_quantity, p.max_stock, p.service_level, ${ctx.now().toISOString()}::timestamptz
      from unnest(${pgArray(
        stored.map((s) => s.locationId),
        'uuid',
      )}, ${pgArray(
        stored.map((s) => s.itemId),
        'uuid',
      )}, ${pgArray(
        col((p) => p.leadTimeDays),
        'numeric',
      )},
        ${pgArray(
          col((p) => p.weeklyDemand),
          'numeric',
        )}, ${pgArray(
          col((p) => p.safetyStock),
          'int',
        )}, ${pgArray(
          col((p) => p.reorderLevel),
          'int',
        )},
        ${pgArray(
          col((p) => p.orderQuantity),
          'int',
        )}, ${pgArray(
          col((p) => p.maxStock),
          'int',
        )}, ${pgArray(
          col((p) => p.serviceLevel),
          'numeric',
        )})
        as p(location_id, item_id, lead_time_days, weekly_demand, safety_stock, reorder_level, order_quantity,
          max_stock, service_level)
      on conflict (location_id, item_id) do update set
        lead_time_days = excluded.lead_time_days, weekly_demand = excluded.weekly_demand,
        safety_stock = excluded.safety_stock, reorder_level = excluded.reorder_level,
        order_quantity = excluded.order_quantity,
        max_stock = excluded.max_stock, service_level = excluded.service_level, computed_at = excluded.computed_at`),
  ];
}

/** The open requests nobody has evaluated follow the readings: one statement per table (none when there are none). */
function followReadings(ctx: Context, updates: readonly RequestUpdate[]): PromiseLike<unknown>[] {
  if (!updates.length) return [];
  return [
    ctx.db.execute(sql`
      update ${requestLines} set quantity_requested = u.quantity, updated_at = now()
      from unnest(${pgArray(
        updates.map((u) => u.lineId),
        'uuid',
      )}, ${pgArray(
        updates.map((u) => u.quantity),
        'int',
      )}) as u(id, quantity)
      where ${requestLines}.id = u.id`),
    ctx.db.execute(sql`
      update ${wardRequests} set urgency = u.urgency, origin = u.origin::jsonb, updated_at = now()
      from unnest(${pgArray(
        updates.map((u) => u.requestId),
        'uuid',
      )}, ${pgArray(
        updates.map((u) => u.urgency),
        'text',
      )}, ${pgArray(
        updates.map((u) => u.origin),
        'text',
      )}) as u(id, urgency, origin)
      where ${wardRequests}.id = u.id`),
  ];
}

/** New requests, emitted together, each with its ward's notice in the outbox; their outcomes get number and id. */
async function emitRequests(
  ctx: Context,
  emissions: readonly Emission[],
  outcomes: UnderStockOutcome[][],
): Promise<void> {
  const destinations = await requestDestinations(ctx, [
    ...new Map(emissions.map((e) => [e.target.location.id, e.target.location])).values(),
  ]);
  const drafts: RequestDraft[] = emissions.map((e) => ({
    actor: e.target.actor,
    destination: destinations.get(e.target.location.id)!,
    urgency: e.urgency,
    lines: [{ itemId: e.item.id, quantity: e.quantity }],
    origin: { kind: 'under_stock', ...e.reason },
    neededBy: e.neededBy,
    autoKey: pairKey(e.target.location.id, e.item.id),
  }));
  const written = await insertRequests(ctx, drafts);
  const notices: { location: LocationRow; notice: UnderStockNotice }[] = [];
  emissions.forEach((e, n) => {
    const outcome = outcomes[e.at[0]]![e.at[1]]!;
    outcome.requestId = written[n]!.id;
    outcome.number = written[n]!.number;
    notices.push({
      location: e.target.location,
      notice: {
        requestId: written[n]!.id,
        number: written[n]!.number,
        urgency: e.urgency,
        item: { code: e.item.code, name: e.item.name, unit: e.item.unit },
        quantity: e.quantity,
      },
    });
  });
  await writeUnderStockNotices(ctx, notices);
}
