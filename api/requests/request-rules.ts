import { and, eq, inArray } from 'drizzle-orm';
import { items, locations } from '../../db/schema/index.ts';
import { audit } from '../core/audit.ts';
import { authorize } from '../auth/permissions.ts';
import type { Context } from '../core/context.ts';
import { DomainError, type FieldIssue } from '../core/errors.ts';
import type { LocationRow } from '../locations/load-location.ts';
import { usualWeeklyDemand } from '../replenishment/stock-cover.ts';

/**
 * Where a person may order for: a ward (its store receives), a ward store, a cabinet or a patient's home. Warehouses
 * and pharmacies buy with purchase orders.
 */
export const orderableKinds: readonly string[] = ['ward', 'ward_store', 'cabinet', 'home'];
/** A line above this many times the destination's usual weekly consumption needs an override. */
export const maxWeeksOfDemand = 4;
/**
 * Without consumption in the history window, a line may hold at most this many packs (and at least
 * `minUnitsWithoutHistory` units).
 */
export const maxPacksWithoutHistory = 5;
export const minUnitsWithoutHistory = 50;
/** Days of consumption the usual weekly demand is read from. */
export const capHistoryDays = 56;

/** The most a line may ask for without an override, and what that figure comes from. */
export interface LineCeiling {
  itemId: string;
  max: number;
  /** Mean weekly consumption at the destination over `capHistoryDays`; 0 when it consumed none. */
  weeklyDemand: number;
  basis: 'demand' | 'packs';
}

/**
 * The location whose consumption a request is judged against: a ward store's ward (its cabinets consume too), else the
 * destination itself.
 */
async function demandLocation(ctx: Context, target: LocationRow): Promise<string> {
  if (target.kind !== 'ward_store' || !target.parentId) return target.id;
  const [parent] = await ctx.db
    .select({ id: locations.id, kind: locations.kind })
    .from(locations)
    .where(eq(locations.id, target.parentId));
  return parent?.kind === 'ward' ? parent.id : target.id;
}

/**
 * Per item, the most a request for `target` may hold without an override: 4 weeks of its usual consumption, or 5 packs
 * (≥ 50 units) when it consumed none.
 */
export async function requestCeilings(
  ctx: Context,
  target: LocationRow,
  itemIds: readonly string[],
): Promise<Map<string, LineCeiling>> {
  const ids = [...new Set(itemIds)];
  if (ids.length === 0) return new Map();
  const usual = await usualWeeklyDemand(ctx, await demandLocation(ctx, target), capHistoryDays, ids);
  const packs = await ctx.db
    .select({ id: items.id, packSize: items.packSize })
    .from(items)
    .where(and(eq(items.organisationId, target.organisationId), inArray(items.id, ids)));
  return new Map(
    packs.map(({ id, packSize }) => {
      const weekly = usual.get(id) ?? 0;
      const ceiling: LineCeiling =
        weekly > 0
          ? { itemId: id, max: Math.ceil(maxWeeksOfDemand * weekly), weeklyDemand: weekly, basis: 'demand' }
          : {
              itemId: id,
              max: Math.max(maxPacksWithoutHistory * packSize, minUnitsWithoutHistory),
              weeklyDemand: 0,
              basis: 'packs',
            };
      return [id, ceiling];
    }),
  );
}

export interface RequestRulesInput {
  /** The location named by the request (a ward, before its store is resolved). */
  target: LocationRow;
  lines: readonly { itemId: string; quantity: number }[];
  /** Exceed the cap on purpose, with the reason (roles holding `requests.exceed_cap` only; audited). */
  override?: { reason: string } | undefined;
}

/**
 * The rules a person's request must meet on every channel (API, chat, voice, MCP): the destination is a
 * ward, ward store, cabinet or home, and no line asks for far more than the destination usually uses,
 * unless a role allowed to exceed the cap overrides it with a reason. Refusals name the line and the figure
 * the cap comes from. Returns the lines above their cap (empty when none), for the override's audit.
 */
export async function checkRequestRules(
  ctx: Context,
  { target, lines, override }: RequestRulesInput,
): Promise<{ line: number; itemId: string; quantity: number; max: number }[]> {
  if (!orderableKinds.includes(target.kind)) {
    throw new DomainError('validation', 'destination_not_orderable', {
      params: { location: target.name, code: target.code },
      fields: [
        {
          field: 'destinationId',
          message: `A request goes to a ward, a ward store, a cabinet or a home, not to a ${target.kind}.`,
        },
      ],
      context: { kind: target.kind },
    });
  }
  if (override) authorize(ctx.actor, 'requests.exceed_cap', target);
  const ceilings = await requestCeilings(
    ctx,
    target,
    lines.map((l) => l.itemId),
  );
  const above = lines.flatMap((l, line) => {
    const ceiling = ceilings.get(l.itemId);
    return ceiling && l.quantity > ceiling.max
      ? [{ line, itemId: l.itemId, quantity: l.quantity, max: ceiling.max, ceiling }]
      : [];
  });
  if (above.length === 0 || override) return above.map(({ ceiling: _, ...rest }) => rest);
  const first = above[0]!;
  const [item] = await ctx.db
    .select({ code: items.code, name: items.name, unit: items.unit })
    .from(items)
    .where(eq(items.id, first.itemId));
  const fields: FieldIssue[] = above.map((a) => ({
    field: `lines.${a.line}.quantity`,
    message:
      `${a.quantity} is above the cap of ${a.max} for this destination (` +
      (a.ceiling.basis === 'demand'
        ? `${maxWeeksOfDemand} × ${a.ceiling.weeklyDemand} a week`
        : `${maxPacksWithoutHistory} packs, no consumption in ${capHistoryDays} days`) +
      ').',
  }));
  const params = {
    item: item ? `${item.code} · ${item.name}` : first.itemId,
    quantity: first.quantity,
    max: first.max,
    unit: item?.unit ?? '',
    location: target.name,
    weekly: Math.round(first.ceiling.weeklyDemand * 10) / 10,
    weeks: maxWeeksOfDemand,
    days: capHistoryDays,
    packs: maxPacksWithoutHistory,
  };
  throw new DomainError(
    'validation',
    first.ceiling.basis === 'demand' ? 'quantity_above_usual' : 'quantity_above_usual_no_history',
    {
      params,
      fields,
      context: { lines: above.map(({ line, itemId, quantity, max }) => ({ line, itemId, quantity, max })) },
    },
  );
}

/** Records who exceeded the cap, on which lines and why: the override is never silent. */
export async function auditOverride(
  ctx: Context,
  requestId: string,
  override: { reason: string },
  above: { line: number; itemId: string; quantity: number; max: number }[],
) {
  if (above.length === 0) return;
  await audit(ctx, {
    action: 'requests.exceed_cap',
    entityType: 'request',
    entityId: requestId,
    detail: { reason: override.reason, lines: above },
  });
}
