import { and, eq, gt, sql } from 'drizzle-orm';
import { z } from 'zod';
import { items, locations, lots, stockBalances } from '../../db/schema/index.ts';
import { authorize } from '../auth/permissions.ts';
import type { Context } from '../core/context.ts';
import { iso, localDate } from '../core/time.ts';
import { parseInput } from '../core/validate.ts';
import { loadLocation } from '../locations/load-location.ts';
import { effectiveStatus } from '../lots/lot-rules.ts';
import { inventoryReport } from './resources.ts';

export const ExportInventoryInput = z.object({ locationId: z.uuid() });

/** Stock on hand at a location and below it as one FHIR R5 InventoryReport (snapshot, a listing per location). */
export async function exportInventoryFhir({
  ctx,
  input,
}: {
  ctx: Context;
  input: z.input<typeof ExportInventoryInput>;
}) {
  const data = parseInput(ExportInventoryInput, input);
  const root = await loadLocation(ctx, data.locationId);
  authorize(ctx.actor, 'stock.read', root);
  const today = localDate(ctx.now());
  const rows = await ctx.db
    .select({
      location: { id: locations.id, code: locations.code, name: locations.name },
      quantity: stockBalances.quantity,
      lot: { id: lots.id, lotCode: lots.lotCode, expiry: lots.expiry, status: lots.status },
      item: { id: items.id, code: items.code, name: items.name, gtin: items.gtin, unit: items.unit },
    })
    .from(stockBalances)
    .innerJoin(locations, eq(locations.id, stockBalances.locationId))
    .innerJoin(lots, eq(lots.id, stockBalances.lotId))
    .innerJoin(items, eq(items.id, stockBalances.itemId))
    .where(
      and(
        eq(locations.organisationId, ctx.actor.organisationId),
        sql`${locations.path} like ${`${root.path}%`}`,
        gt(stockBalances.quantity, 0),
      ),
    )
    .orderBy(locations.code, items.code, lots.lotCode);
  const byLocation = new Map<
    string,
    {
      location: (typeof rows)[number]['location'];
      lines: {
        item: (typeof rows)[number]['item'];
        lot: { id: string; lotCode: string; expiry: string | null };
        quantity: number;
        status: string;
      }[];
    }
  >();
  for (const r of rows) {
    const entry = byLocation.get(r.location.id) ?? { location: r.location, lines: [] };
    entry.lines.push({ item: r.item, lot: r.lot, quantity: r.quantity, status: effectiveStatus(r.lot, today) });
    byLocation.set(r.location.id, entry);
  }
  return inventoryReport({ id: `location-${root.id}`, reportedAt: iso(ctx.now()), listings: [...byLocation.values()] });
}
