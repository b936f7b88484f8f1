import { and, eq, gte, inArray, lte, sql } from 'drizzle-orm';
import { locations, requestLines, supplyContracts, wardBudgets, wardRequests } from '../../db/schema/index.ts';
import type { Context } from '../core/context.ts';
import { localDate } from '../core/time.ts';

export interface BudgetCheck {
  budgetId: string;
  locationId: string;
  periodStart: string;
  periodEnd: string;
  amount: number;
  committed: number;
  remaining: number;
}

/**
 * The budget in force today for the ward a destination belongs to (set on the ward or on one of its
 * locations), and what its evaluated lines have already committed in the period.
 */
export async function budgetFor(ctx: Context, destinationPath: string): Promise<BudgetCheck | null> {
  const today = localDate(ctx.now());
  const ancestorIds = destinationPath.split('/').filter(Boolean);
  const [budget] = await ctx.db
    .select({ b: wardBudgets, path: locations.path })
    .from(wardBudgets)
    .innerJoin(locations, eq(locations.id, wardBudgets.locationId))
    .where(
      and(
        inArray(wardBudgets.locationId, ancestorIds),
        lte(wardBudgets.periodStart, today),
        gte(wardBudgets.periodEnd, today),
      ),
    )
    .orderBy(sql`length(${locations.path}) desc`)
    .limit(1);
  if (!budget) return null;
  const [row] = await ctx.db
    .select({
      committed: sql<string>`coalesce(
        sum(${requestLines.quantityApproved} * coalesce(${requestLines.unitPrice}, 0)), 0)`,
    })
    .from(requestLines)
    .innerJoin(wardRequests, eq(wardRequests.id, requestLines.requestId))
    .innerJoin(locations, eq(locations.id, wardRequests.destinationId))
    .where(
      and(
        sql`${locations.path} like ${`${budget.path}%`}`,
        inArray(requestLines.decision, ['approved', 'reduced']),
        sql`(${requestLines.evaluatedAt} at time zone 'Europe/Rome')::date
          between ${budget.b.periodStart} and ${budget.b.periodEnd}`,
      ),
    );
  const amount = Number(budget.b.amount);
  const committed = Number(row!.committed);
  return {
    budgetId: budget.b.id,
    locationId: budget.b.locationId,
    periodStart: budget.b.periodStart,
    periodEnd: budget.b.periodEnd,
    amount,
    committed,
    remaining: round2(amount - committed),
  };
}

export interface ContractCheck {
  contractId: string;
  reference: string;
  itemId: string;
  unitPrice: string;
  quantity: number;
  committed: number;
  remaining: number;
}

/** The contracts in force today for these items, with the quantity already approved against each. */
export async function contractsFor(ctx: Context, itemIds: string[]): Promise<Map<string, ContractCheck>> {
  if (itemIds.length === 0) return new Map();
  const today = localDate(ctx.now());
  // A join, not a correlated subquery in the select list: drizzle writes a single-table select's columns
  // unqualified, and `item_id = item_id` inside the subquery compared request lines with themselves.
  const rows = await ctx.db
    .select({ c: supplyContracts, committed: sql<number>`coalesce(sum(${requestLines.quantityApproved}), 0)::int` })
    .from(supplyContracts)
    .leftJoin(
      requestLines,
      and(
        eq(requestLines.itemId, supplyContracts.itemId),
        inArray(requestLines.itemId, itemIds), // lets the join use request_lines_item_ix instead of every approved line
        inArray(requestLines.decision, ['approved', 'reduced']),
        sql`(${requestLines.evaluatedAt} at time zone 'Europe/Rome')::date
          between ${supplyContracts.validFrom} and ${supplyContracts.validTo}`,
      ),
    )
    .where(
      and(
        eq(supplyContracts.organisationId, ctx.actor.organisationId),
        inArray(supplyContracts.itemId, itemIds),
        lte(supplyContracts.validFrom, today),
        gte(supplyContracts.validTo, today),
      ),
    )
    .groupBy(supplyContracts.id);
  return new Map(
    rows.map(({ c, committed }) => [
      c.itemId,
      {
        contractId: c.id,
        reference: c.reference,
        itemId: c.itemId,
        unitPrice: c.unitPrice,
        quantity: c.quantity,
        committed,
        remaining: c.quantity - committed,
      },
    ]),
  );
}

export const round2 = (n: number) => Math.round(n * 100) / 100;
