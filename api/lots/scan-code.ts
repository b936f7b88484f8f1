import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { items, lotRecalls, lots, stockBalances } from '../../db/schema/index.ts';
import { authorize } from '../auth/permissions.ts';
import type { Context } from '../core/context.ts';
import { gs1Failure } from '../catalogue/gs1.ts';
import { readTag } from '../catalogue/epc.ts';
import { render } from '../core/messages/index.ts';
import { localDate } from '../core/time.ts';
import { parseInput } from '../core/validate.ts';
import { loadLocation } from '../locations/load-location.ts';
import { effectiveStatus } from './lot-rules.ts';
import { text } from '../core/text.ts';

export const ScanCodeInput = z.object({
  /** A GS1 element string (DataMatrix / GS1-128, human-readable or raw with FNC1) or an SGTIN-96 EPC in hex. */
  code: text().min(1).max(500),
  /** Where it was scanned: the answer then says how much of the lot is on hand there. */
  locationId: z.uuid().optional(),
});
export type ScanCodeInput = z.input<typeof ScanCodeInput>;

export const scanFlags = [
  'recalled',
  'quarantined',
  'expired',
  'unknown_item',
  'unknown_lot',
  'expiry_mismatch',
] as const;
export type ScanFlag = (typeof scanFlags)[number];

/**
 * Resolves a scanned code or RFID tag to an item and lot of the organisation, with the lot's status and
 * flags a person must see before using the pack (recalled, quarantined, expired, unknown, expiry differing
 * from the record), each explained in Italian and English. A malformed code is a validation error naming
 * the GS1 problem. Read-only.
 */
export async function scanCode({ ctx, input }: { ctx: Context; input: ScanCodeInput }) {
  const data = parseInput(ScanCodeInput, input);
  authorize(ctx.actor, 'catalogue.read');
  const read = readTag(data.code, ctx.now());
  if (!read.ok) throw gs1Failure(read.error, 'code');
  const tag = read.data;
  const location = data.locationId ? await loadLocation(ctx, data.locationId) : null;
  const [item] = await ctx.db
    .select({
      id: items.id,
      code: items.code,
      name: items.name,
      nameEn: items.nameEn,
      unit: items.unit,
      gtin: items.gtin,
    })
    .from(items)
    .where(and(eq(items.organisationId, ctx.actor.organisationId), eq(items.gtin, tag.gtin)));
  const flags: ScanFlag[] = [];
  let lot: {
    id: string;
    lotCode: string;
    expiry: string | null;
    status: string;
    statusReason: string | null;
    recallId: string | null;
  } | null = null;
  let onHand: number | null = null;
  if (!item) flags.push('unknown_item');
  else if (tag.lot) {
    const [row] = await ctx.db
      .select({ lot: lots, recallId: lotRecalls.id })
      .from(lots)
      .leftJoin(lotRecalls, and(eq(lotRecalls.lotId, lots.id), eq(lotRecalls.status, 'open')))
      .where(and(eq(lots.itemId, item.id), eq(lots.lotCode, tag.lot)));
    if (!row) flags.push('unknown_lot');
    else {
      const status = effectiveStatus(row.lot, localDate(ctx.now()));
      lot = {
        id: row.lot.id,
        lotCode: row.lot.lotCode,
        expiry: row.lot.expiry,
        status,
        statusReason: row.lot.statusReason,
        recallId: row.recallId,
      };
      if (status !== 'available') flags.push(status);
      if (tag.expiry && row.lot.expiry && tag.expiry !== row.lot.expiry) flags.push('expiry_mismatch');
      if (location) {
        const [b] = await ctx.db
          .select({ q: stockBalances.quantity })
          .from(stockBalances)
          .where(and(eq(stockBalances.locationId, location.id), eq(stockBalances.lotId, row.lot.id)));
        onHand = b?.q ?? 0;
      }
    }
  }
  const params = { lot: tag.lot ?? '', gtin: tag.gtin, expiry: tag.expiry ?? '', recorded: lot?.expiry ?? '' };
  return {
    scanned: tag,
    item: item ?? null,
    lot,
    location: location ? { id: location.id, code: location.code, name: location.name } : null,
    onHand,
    /** True when the pack must not be used (recalled, quarantined, expired) or cannot be placed. */
    flagged: flags.length > 0,
    usable: item !== undefined && lot !== null && lot.status === 'available',
    flags: flags.map((flag) => ({
      flag,
      message: render(`scan_${flag}`, 'en', params),
      messageIt: render(`scan_${flag}`, 'it', params),
    })),
  };
}
