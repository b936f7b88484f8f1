import { and, asc, eq, gte, inArray, isNull, lte, or } from 'drizzle-orm';
import {
  itemCategories,
  items,
  locations,
  procurementSections,
  requestLines,
  supplyContracts,
  wardRequests,
} from '../../db/schema/index.ts';
import type { Context } from '../core/context.ts';
import { notFound } from '../core/errors.ts';
import { iso, localDate } from '../core/time.ts';
import { outstanding } from './transitions.ts';

/** A request as every channel shows it: one request for the ward, each line with its section and quantities. */
export async function requestView(ctx: Context, id: string) {
  const [request] = await ctx.db
    .select({ r: wardRequests, destination: { code: locations.code, name: locations.name, kind: locations.kind } })
    .from(wardRequests)
    .innerJoin(locations, eq(locations.id, wardRequests.destinationId))
    .where(and(eq(wardRequests.id, id), eq(wardRequests.organisationId, ctx.actor.organisationId)));
  if (!request) throw notFound('request', id);
  const lines = await ctx.db
    .select({
      l: requestLines,
      item: {
        code: items.code,
        name: items.name,
        nameEn: items.nameEn,
        unit: items.unit,
        supplyMode: items.supplyMode,
      },
      section: { code: procurementSections.code, name: procurementSections.name },
    })
    .from(requestLines)
    .innerJoin(items, eq(items.id, requestLines.itemId))
    .innerJoin(procurementSections, eq(procurementSections.id, requestLines.sectionId))
    .where(eq(requestLines.requestId, id))
    .orderBy(asc(requestLines.lineNo));
  const r = request.r;
  return {
    ...r,
    neededBy: iso(r.neededBy),
    createdAt: iso(r.createdAt),
    updatedAt: iso(r.updatedAt),
    destination: request.destination,
    lines: lines.map(({ l, item, section }) => ({
      ...l,
      evaluatedAt: iso(l.evaluatedAt),
      updatedAt: iso(l.updatedAt),
      outstanding: outstanding(l),
      item,
      section,
    })),
  };
}
export type RequestView = Awaited<ReturnType<typeof requestView>>;

/**
 * Where each item's requests go: the section competent for its category, and the price to value it at (contract, or
 * reference).
 */
export async function routeItems(ctx: Context, itemIds: string[]) {
  const today = localDate(ctx.now());
  const rows = await ctx.db
    .select({
      itemId: items.id,
      code: items.code,
      sectionId: itemCategories.sectionId,
      referencePrice: items.referencePrice,
      contractPrice: supplyContracts.unitPrice,
    })
    .from(items)
    .innerJoin(itemCategories, eq(itemCategories.id, items.categoryId))
    .leftJoin(
      supplyContracts,
      and(
        eq(supplyContracts.itemId, items.id),
        lte(supplyContracts.validFrom, today),
        gte(supplyContracts.validTo, today),
        or(isNull(items.supplierId), eq(supplyContracts.supplierId, items.supplierId)),
      ),
    )
    .where(and(eq(items.organisationId, ctx.actor.organisationId), inArray(items.id, itemIds)));
  return new Map(rows.map((r) => [r.itemId, { ...r, unitPrice: r.contractPrice ?? r.referencePrice }]));
}
