import { and, eq, inArray } from 'drizzle-orm';
import { items, lots } from '../../db/schema/index.ts';
import { readTag } from '../catalogue/epc.ts';
import type { Gs1Error } from '../catalogue/gs1.ts';
import { audit } from '../core/audit.ts';
import type { Context } from '../core/context.ts';
import { DomainError } from '../core/errors.ts';
import { render } from '../core/messages/index.ts';
import { findOrCreateLot, type LotRow } from '../lots/load-lot.ts';

/** A tag placed on an item and a lot: one pack (or AI 30 count units) of that lot. */
export interface PlacedTag {
  tag: string;
  itemId: string;
  itemCode: string;
  lot: LotRow;
  serial: string | null;
  quantity: number;
}

export const tagProblemCodes = [
  'unknown_gtin',
  'no_lot',
  'lot_mismatch',
  'not_on_books',
  'lot_unusable',
  'consumption_not_booked',
  'short_books',
] as const;

/** A tag Scorta could not use as it stands, with the reason in English and Italian. */
export interface TagProblem {
  /** The tag normalised, or as sent when it cannot be read. */
  tag: string;
  /** Its position in the snapshot, for tags of this snapshot. */
  index?: number;
  code: Gs1Error['code'] | (typeof tagProblemCodes)[number];
  message: string;
  messageIt: string;
}

/** A tag problem with its message in both languages. */
export function tagProblem(
  tag: string,
  code: (typeof tagProblemCodes)[number],
  params: Record<string, string | number>,
  index?: number,
): TagProblem {
  return {
    tag,
    ...(index === undefined ? {} : { index }),
    code,
    message: render(`tag_${code}`, 'en', params),
    messageIt: render(`tag_${code}`, 'it', params),
  };
}

/**
 * Reads a snapshot's tags and places each on an item (by GTIN-14, within the organisation) and a lot (by
 * item and lot code; a lot not known yet is created with the tag's expiry). Duplicates count once. Tags
 * that cannot be read or placed come back as problems, each naming its reason.
 */
export async function placeTags(ctx: Context, raw: string[]): Promise<{ placed: PlacedTag[]; problems: TagProblem[] }> {
  const problems: TagProblem[] = [];
  const read = new Map<
    string,
    {
      index: number;
      gtin: string;
      lot: string | null;
      expiry: string | null;
      serial: string | null;
      count: number | null;
    }
  >();
  for (const [index, text] of raw.entries()) {
    const result = readTag(text, ctx.now());
    if (!result.ok) {
      problems.push({
        tag: text.trim(),
        index,
        code: result.error.code,
        message: result.error.message,
        messageIt: result.error.messageIt,
      });
      continue;
    }
    if (!read.has(result.data.tag)) read.set(result.data.tag, { index, ...result.data });
  }
  const gtins = [...new Set([...read.values()].map((r) => r.gtin))];
  const itemRows = gtins.length
    ? await ctx.db
        .select({ id: items.id, code: items.code, gtin: items.gtin })
        .from(items)
        .where(and(eq(items.organisationId, ctx.actor.organisationId), inArray(items.gtin, gtins)))
    : [];
  const itemByGtin = new Map(itemRows.map((i) => [i.gtin!, i]));
  const codes = [...new Set([...read.values()].flatMap((r) => (r.lot ? [r.lot] : [])))];
  const lotRows =
    codes.length && itemRows.length
      ? await ctx.db
          .select()
          .from(lots)
          .where(
            and(
              inArray(
                lots.itemId,
                itemRows.map((i) => i.id),
              ),
              inArray(lots.lotCode, codes),
            ),
          )
      : [];
  const lotByKey = new Map(lotRows.map((l) => [`${l.itemId}|${l.lotCode}`, l]));
  const placed: PlacedTag[] = [];
  for (const [tag, r] of read) {
    const item = itemByGtin.get(r.gtin);
    if (!item) {
      problems.push(tagProblem(tag, 'unknown_gtin', { gtin: r.gtin }, r.index));
      continue;
    }
    if (!r.lot) {
      problems.push(tagProblem(tag, 'no_lot', { item: item.code }, r.index));
      continue;
    }
    const key = `${item.id}|${r.lot}`;
    let lot = lotByKey.get(key);
    if (!lot) {
      lot = await findOrCreateLot(
        ctx,
        { itemId: item.id, lotCode: r.lot, expiry: r.expiry, supplierId: null, unitPrice: null },
        `tags.${r.index}`,
      ).catch((error: unknown) => {
        if (error instanceof DomainError) return undefined;
        throw error;
      });
      if (lot) {
        await audit(ctx, {
          action: 'lots.create',
          entityType: 'lot',
          entityId: lot.id,
          detail: { lotCode: lot.lotCode, expiry: lot.expiry, item: item.code, source: 'rfid' },
        });
      } else {
        // Only a lot created concurrently under us, recalled or with another expiry, lands here: read it as it is.
        [lot] = await ctx.db
          .select()
          .from(lots)
          .where(and(eq(lots.itemId, item.id), eq(lots.lotCode, r.lot)));
      }
      lotByKey.set(key, lot!);
    }
    if (r.expiry && lot!.expiry && lot!.expiry !== r.expiry) {
      problems.push(
        tagProblem(tag, 'lot_mismatch', { lot: r.lot, item: item.code, known: lot!.expiry, expiry: r.expiry }, r.index),
      );
      continue;
    }
    placed.push({
      tag,
      itemId: item.id,
      itemCode: item.code,
      lot: lot!,
      serial: r.serial,
      quantity: Math.min(Math.max(r.count ?? 1, 1), 1_000_000),
    });
  }
  return { placed, problems };
}
