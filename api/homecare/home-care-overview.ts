import { and, asc, eq, inArray } from 'drizzle-orm';
import {
  devices,
  items,
  locations,
  openRequestStatuses,
  requestLines,
  suppliers,
  wardRequests,
  type Urgency,
} from '../../db/schema/index.ts';
import type { Context } from '../core/context.ts';
import { activeSupplyPlans } from './plan-view.ts';
import { iso, localDate } from '../core/time.ts';
import { parseInput } from '../core/validate.ts';
import { isSilent, openAlertsOf } from '../devices/alerts.ts';
import { dailyConsumptionByLocation, positionByLocation } from '../replenishment/demand-history.ts';
import { leadTimeFor } from '../replenishment/under-stock.ts';
import { FORECAST_WINDOW_DAYS, forecastItem, observedDays, orderByDate, type ItemForecast } from './forecast-math.ts';
import { HomeCareOverviewInput } from './schemas.ts';
import { homeCareScope } from './scope.ts';

export interface OverviewItem extends ItemForecast {
  itemId: string;
  itemCode: string;
  itemName: string;
  unit: string;
  available: number;
  onOrder: number;
  leadTimeDays: number;
  /** Run-out date minus lead time: a delivery asked for later arrives after the stock-out. */
  orderBy: string | null;
  planSince: string | null;
}

export interface OverviewPatient {
  locationId: string;
  code: string;
  patientCode: string;
  /** The patient's shortest cover and earliest run-out over its items (null: nothing runs out). */
  daysOfCover: number | null;
  runOutDate: string | null;
  farFromPlan: number;
  items: OverviewItem[];
  devices: {
    id: string;
    code: string;
    kind: string;
    name: string;
    online: string;
    lastSeenAt: string | null;
    expectedIntervalSeconds: number;
    silent: boolean;
    openAlerts: { kind: string; subject: string; raisedAt: string }[];
  }[];
  openRequests: {
    id: string;
    number: string;
    status: string;
    urgency: Urgency;
    neededBy: string | null;
    createdAt: string;
    automatic: boolean;
    lines: { itemId: string; itemCode: string; quantity: number; status: string }[];
  }[];
}

const byCover = (a: number | null, b: number | null) => (a ?? Infinity) - (b ?? Infinity);

/**
 * The home-care team's list: its patients (homes) sorted by fewest days of cover, each with its items
 * (available, on order, plan and real daily use, the rate that drives the forecast, days of cover, run-out
 * and order-by dates, far-from-plan), its devices (online/offline, last seen, silent, open alerts) and its
 * open requests. A fixed handful of set-based queries for the whole team, whatever its size.
 */
export async function homeCareOverview({
  ctx,
  input,
}: {
  ctx: Context;
  input: unknown;
}): Promise<{ generatedAt: string; today: string; teamLocationId: string | null; patients: OverviewPatient[] }> {
  const data = parseInput(HomeCareOverviewInput, input);
  const { location: team, filter } = await homeCareScope(ctx, 'homecare.read', data.teamLocationId);
  const today = localDate(ctx.now());
  const homes = await ctx.db
    .select({ id: locations.id, code: locations.code, patientCode: locations.patientCode })
    .from(locations)
    .where(and(filter, eq(locations.kind, 'home')))
    .orderBy(asc(locations.code));
  const result = {
    generatedAt: iso(ctx.now()),
    today,
    teamLocationId: team?.id ?? null,
    patients: [] as OverviewPatient[],
  };
  if (homes.length === 0) return result;
  const ids = homes.map((h) => h.id);

  const plans = await activeSupplyPlans(ctx.db, { locationIds: ids });
  const series = await dailyConsumptionByLocation(ctx, ids, FORECAST_WINDOW_DAYS);
  const position = await positionByLocation(ctx, ids);
  const keys = new Set([
    ...plans.map((p) => `${p.locationId}|${p.itemId}`),
    ...series.keys(),
    ...[...position].filter(([, p]) => p.onHand > 0 || p.onOrder > 0).map(([k]) => k),
  ]);
  const itemIds = [...new Set([...keys].map((k) => k.split('|')[1]!))];
  const itemRows = itemIds.length
    ? await ctx.db
        .select({
          id: items.id,
          code: items.code,
          name: items.name,
          unit: items.unit,
          supplyMode: items.supplyMode,
          supplierLead: suppliers.leadTimeDays,
        })
        .from(items)
        .leftJoin(suppliers, eq(suppliers.id, items.supplierId))
        .where(inArray(items.id, itemIds))
    : [];
  const itemById = new Map(itemRows.map((i) => [i.id, i]));
  const deviceRows = await ctx.db
    .select()
    .from(devices)
    .where(and(inArray(devices.locationId, ids), eq(devices.status, 'active')))
    .orderBy(asc(devices.code));
  const alerts = await openAlertsOf(
    ctx,
    deviceRows.map((d) => d.id),
  );
  const requestRows = await ctx.db
    .select({ request: wardRequests, line: requestLines, itemCode: items.code })
    .from(wardRequests)
    .innerJoin(requestLines, eq(requestLines.requestId, wardRequests.id))
    .innerJoin(items, eq(items.id, requestLines.itemId))
    .where(and(inArray(wardRequests.destinationId, ids), inArray(wardRequests.status, openRequestStatuses)))
    .orderBy(asc(wardRequests.createdAt), asc(requestLines.lineNo));

  const now = ctx.now();
  const group = <T>(rows: T[], by: (r: T) => string) =>
    rows.reduce((m, r) => m.set(by(r), [...(m.get(by(r)) ?? []), r]), new Map<string, T[]>());
  const keysByHome = group([...keys], (k) => k.split('|')[0]!);
  const planByKey = new Map(plans.map((p) => [`${p.locationId}|${p.itemId}`, p]));
  const devicesByHome = group(deviceRows, (d) => d.locationId);
  const requestsByHome = group(requestRows, (r) => r.request.destinationId);
  for (const home of homes) {
    const homeItems: OverviewItem[] = [];
    for (const key of keysByHome.get(home.id) ?? []) {
      const itemId = key.split('|')[1]!;
      const item = itemById.get(itemId)!;
      const plan = planByKey.get(key);
      const planSince = plan ? localDate(plan.createdAt) : null;
      const { onHand, onOrder } = position.get(key) ?? { onHand: 0, onOrder: 0 };
      const forecast = forecastItem({
        daily: series.get(key) ?? new Array<number>(FORECAST_WINDOW_DAYS).fill(0),
        observedDays: observedDays(planSince, today, FORECAST_WINDOW_DAYS),
        planDaily: plan ? Number(plan.dailyQuantity) : null,
        available: onHand,
        today,
      });
      const leadTimeDays = leadTimeFor('home', item.supplyMode, item.supplierLead);
      homeItems.push({
        itemId,
        itemCode: item.code,
        itemName: item.name,
        unit: item.unit,
        available: onHand,
        onOrder,
        leadTimeDays,
        orderBy: orderByDate(forecast, leadTimeDays),
        planSince,
        ...forecast,
      });
    }
    homeItems.sort((a, b) => byCover(a.daysOfCover, b.daysOfCover) || a.itemCode.localeCompare(b.itemCode));
    const requests = new Map<string, OverviewPatient['openRequests'][number]>();
    for (const { request, line, itemCode } of requestsByHome.get(home.id) ?? []) {
      const entry = requests.get(request.id) ?? {
        id: request.id,
        number: request.number,
        status: request.status,
        urgency: request.urgency,
        neededBy: iso(request.neededBy),
        createdAt: iso(request.createdAt),
        automatic: request.autoKey !== null,
        lines: [],
      };
      entry.lines.push({ itemId: line.itemId, itemCode, quantity: line.quantityRequested, status: line.status });
      requests.set(request.id, entry);
    }
    const covers = homeItems.map((i) => i.daysOfCover).filter((c): c is number => c !== null);
    const runOuts = homeItems
      .map((i) => i.runOutDate)
      .filter((d): d is string => d !== null)
      .sort();
    result.patients.push({
      locationId: home.id,
      code: home.code,
      patientCode: home.patientCode!,
      daysOfCover: covers.length ? Math.min(...covers) : null,
      runOutDate: runOuts[0] ?? null,
      farFromPlan: homeItems.filter((i) => i.farFromPlan).length,
      items: homeItems,
      devices: (devicesByHome.get(home.id) ?? []).map((d) => ({
        id: d.id,
        code: d.code,
        kind: d.kind,
        name: d.name,
        online: d.online,
        lastSeenAt: iso(d.lastSeenAt),
        expectedIntervalSeconds: d.expectedIntervalSeconds,
        silent: isSilent(d, now),
        openAlerts: alerts.get(d.id) ?? [],
      })),
      openRequests: [...requests.values()],
    });
  }
  result.patients.sort((a, b) => byCover(a.daysOfCover, b.daysOfCover) || a.patientCode.localeCompare(b.patientCode));
  return result;
}
