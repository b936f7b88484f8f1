import { and, eq, gt, inArray, isNull } from 'drizzle-orm';
import { deviceAlerts, lots, stockBalances } from '../../db/schema/index.ts';
import type { Context } from '../core/context.ts';
import { render } from '../core/messages/index.ts';
import { localDate } from '../core/time.ts';
import type { LocationRow } from '../locations/load-location.ts';
import { effectiveStatus } from '../lots/lot-rules.ts';
import type { DeviceRow } from './register-device.ts';
import { raiseDeviceAlerts } from './rfid-alerts.ts';

/** What a level reading saw of one item, against the usable stock on the books. */
export interface SeenItem {
  itemId: string;
  code: string;
  seen: number;
  usableOnBooks: number;
}

/**
 * A scale or a counter cannot tell lots apart: when a cabinet sees more than its usable books and the books
 * still hold recalled, quarantined or expired units there, those units are most likely still in the bins. Each
 * such lot raises a `recalled_lot` alert for the device (one open alert per lot, the partial unique index
 * deduplicates), so the ward is told to take them out instead of reading a silent "0 on the books"; an item
 * whose count no longer exceeds its usable books resolves its alerts. Returns the reply's note per flagged item.
 */
export async function flagUnusableStock(
  ctx: Context,
  device: DeviceRow,
  location: LocationRow,
  items: SeenItem[],
  seq: number,
): Promise<Map<string, string>> {
  const notes = new Map<string, string>();
  if (items.length === 0) return notes;
  const today = localDate(ctx.now());
  // Only an item seen above its usable books can hide unusable units: most readings read nothing more here.
  const over = items.filter((i) => i.seen > i.usableOnBooks);
  const held =
    over.length === 0
      ? []
      : await ctx.db
          .select({
            lotId: lots.id,
            lotCode: lots.lotCode,
            itemId: lots.itemId,
            status: lots.status,
            expiry: lots.expiry,
            quantity: stockBalances.quantity,
          })
          .from(stockBalances)
          .innerJoin(lots, eq(lots.id, stockBalances.lotId))
          .where(
            and(
              eq(stockBalances.locationId, location.id),
              inArray(
                stockBalances.itemId,
                over.map((i) => i.itemId),
              ),
              gt(stockBalances.quantity, 0),
            ),
          )
          .orderBy(lots.lotCode);
  const unusable = held
    .map((h) => ({ ...h, status: effectiveStatus(h, today) }))
    .filter((h) => h.status !== 'available');
  const flagged: { subject: string; detail: Record<string, unknown> }[] = [];
  for (const item of over) {
    const excess = item.seen - item.usableOnBooks;
    const of = unusable.filter((u) => u.itemId === item.itemId);
    if (excess <= 0 || of.length === 0) continue;
    const onBooks = of.reduce((s, u) => s + u.quantity, 0);
    const likely = Math.min(excess, onBooks);
    notes.set(
      item.itemId,
      `${item.code}: ${item.seen} seen, ${item.usableOnBooks} usable on the books; ${likely} are ` +
        `likely units of ${of.map((u) => `lot ${u.lotCode} (${u.status})`).join(', ')}: take them out`,
    );
    for (const u of of) {
      const params = {
        lotCode: u.lotCode,
        status: u.status,
        item: item.code,
        location: location.code,
        quantity: u.quantity,
      };
      flagged.push({
        subject: u.lotId,
        detail: {
          lot: u.lotCode,
          lotId: u.lotId,
          item: item.code,
          status: u.status,
          onBooks: u.quantity,
          seen: item.seen,
          usableOnBooks: item.usableOnBooks,
          seq,
          message: render('unusable_stock_in_cabinet', 'en', params),
          messageIt: render('unusable_stock_in_cabinet', 'it', params),
        },
      });
    }
  }
  if (flagged.length) await raiseDeviceAlerts(ctx, device, 'recalled_lot', flagged);
  await resolveCleared(ctx, device, new Set(items.map((i) => i.itemId)), new Set(flagged.map((f) => f.subject)));
  return notes;
}

/** Resolves the device's open lot alerts about the items read whose lot is no longer flagged. */
async function resolveCleared(
  ctx: Context,
  device: DeviceRow,
  itemIds: Set<string>,
  stillFlagged: Set<string>,
): Promise<void> {
  const open = await ctx.db
    .select({ id: deviceAlerts.id, subject: deviceAlerts.subject })
    .from(deviceAlerts)
    .where(
      and(eq(deviceAlerts.deviceId, device.id), eq(deviceAlerts.kind, 'recalled_lot'), isNull(deviceAlerts.resolvedAt)),
    );
  const candidates = open.filter((a) => !stillFlagged.has(a.subject) && /^[0-9a-f-]{36}$/i.test(a.subject));
  if (candidates.length === 0) return;
  const ofItems = await ctx.db
    .select({ id: lots.id, itemId: lots.itemId })
    .from(lots)
    .where(
      inArray(
        lots.id,
        candidates.map((a) => a.subject),
      ),
    );
  const cleared = candidates
    .filter((a) => itemIds.has(ofItems.find((l) => l.id === a.subject)?.itemId ?? ''))
    .map((a) => a.id);
  if (cleared.length)
    await ctx.db.update(deviceAlerts).set({ resolvedAt: ctx.now() }).where(inArray(deviceAlerts.id, cleared));
}
