import { and, eq, isNull, type SQL } from 'drizzle-orm';
import { items, locations, supplyPlans } from '../../db/schema/index.ts';
import type { Context } from '../core/context.ts';
import { anyOf } from '../core/sql-arrays.ts';
import { iso } from '../core/time.ts';

/** A supply plan as channels show it: the home and patient, the item, units a day, since when. */
export interface SupplyPlanView {
  id: string;
  locationId: string;
  locationCode: string;
  patientCode: string | null;
  itemId: string;
  itemCode: string;
  itemName: string;
  unit: string;
  dailyQuantity: number;
  note: string | null;
  createdBy: string | null;
  createdAt: string;
  endedAt: string | null;
}

/** Selects plans with their home and item, filtered by `where`, in a stable order (home, item, newest first). */
export function selectPlans(ctx: Context, where: SQL | undefined) {
  return ctx.db
    .select({
      id: supplyPlans.id,
      locationId: supplyPlans.locationId,
      locationCode: locations.code,
      patientCode: locations.patientCode,
      itemId: supplyPlans.itemId,
      itemCode: items.code,
      itemName: items.name,
      unit: items.unit,
      dailyQuantity: supplyPlans.dailyQuantity,
      note: supplyPlans.note,
      createdBy: supplyPlans.createdBy,
      createdAt: supplyPlans.createdAt,
      endedAt: supplyPlans.endedAt,
    })
    .from(supplyPlans)
    .innerJoin(locations, eq(locations.id, supplyPlans.locationId))
    .innerJoin(items, eq(items.id, supplyPlans.itemId))
    .where(where);
}

type PlanRow = Awaited<ReturnType<typeof selectPlans>>[number];

/** JSON shape of a selected plan row (numeric as a number, timestamps ISO). */
export const planView = (r: PlanRow): SupplyPlanView => ({
  ...r,
  dailyQuantity: Number(r.dailyQuantity),
  createdAt: iso(r.createdAt),
  endedAt: iso(r.endedAt),
});

/** The supply plans in force (not ended) at some homes, optionally for some items only. */
export function activeSupplyPlans(db: Context['db'], where: { locationIds: string[]; itemIds?: string[] }) {
  return db
    .select({
      locationId: supplyPlans.locationId,
      itemId: supplyPlans.itemId,
      dailyQuantity: supplyPlans.dailyQuantity,
      createdAt: supplyPlans.createdAt,
    })
    .from(supplyPlans)
    .where(
      and(
        anyOf(supplyPlans.locationId, where.locationIds),
        where.itemIds ? anyOf(supplyPlans.itemId, where.itemIds) : undefined,
        isNull(supplyPlans.endedAt),
      ),
    );
}
