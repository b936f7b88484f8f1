import { and, asc, eq, like, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { itemCategories, items, suppliers, supplyModes } from '../../db/schema/index.ts';
import { authorize } from '../auth/permissions.ts';
import { audit } from '../core/audit.ts';
import { withTransaction, type Context } from '../core/context.ts';
import { notFound } from '../core/errors.ts';
import { prefixPattern, containsPattern } from '../core/like.ts';
import { decodeCursor, encodeCursor, Limit } from '../core/pagination.ts';
import { insertUnique } from '../core/unique.ts';
import { parseInput } from '../core/validate.ts';
import { Code } from '../organisations/organisations.ts';
import { gtinIsValid } from './gtin.ts';
import type { ItemRow } from './load-item.ts';
import { itemSearchText, normalizeText } from './search-text.ts';
import { text } from '../core/text.ts';

export const Gtin = text()
  .regex(/^\d{8}$|^\d{12,14}$/, 'GTIN-8, -12, -13 or -14 digits')
  .transform((g) => g.padStart(14, '0'))
  .refine(gtinIsValid, 'check digit is wrong');

export const CreateItemInput = z.object({
  code: Code,
  name: text().trim().min(1).max(200),
  nameEn: text().trim().min(1).max(200),
  synonyms: z.array(text().trim().min(1).max(100)).max(50).default([]),
  categoryId: z.uuid(),
  unit: text().trim().min(1).max(20),
  packSize: z.number().int().positive().max(100_000).default(1),
  gtin: Gtin.optional(),
  supplyMode: z.enum(supplyModes).default('stock'),
  referencePrice: z.number().nonnegative().max(1_000_000).optional(),
  supplierId: z.uuid().optional(),
});
export type CreateItemInput = z.input<typeof CreateItemInput>;

const publicItem = ({ searchText: _, ...rest }: ItemRow) => rest;

/** Adds an item to the organisation's catalogue; its search text is derived here, once. */
export async function createItem({ ctx, input }: { ctx: Context; input: unknown }) {
  const data = parseInput(CreateItemInput, input);
  authorize(ctx.actor, 'catalogue.write');
  return withTransaction(ctx, async (tx) => {
    const [category] = await tx.db
      .select({ id: itemCategories.id })
      .from(itemCategories)
      .where(and(eq(itemCategories.id, data.categoryId), eq(itemCategories.organisationId, tx.actor.organisationId)));
    if (!category) throw notFound('category', data.categoryId);
    if (data.supplierId) {
      const [supplier] = await tx.db
        .select({ id: suppliers.id })
        .from(suppliers)
        .where(and(eq(suppliers.id, data.supplierId), eq(suppliers.organisationId, tx.actor.organisationId)));
      if (!supplier) throw notFound('supplier', data.supplierId);
    }
    const values = {
      ...data,
      gtin: data.gtin ?? null,
      referencePrice: data.referencePrice === undefined ? null : data.referencePrice.toFixed(4),
      organisationId: tx.actor.organisationId,
      searchText: itemSearchText({ ...data, gtin: data.gtin ?? null }),
    };
    const [row] = await insertUnique('item', 'code', data.code, () => tx.db.insert(items).values(values).returning());
    await audit(tx, {
      action: 'catalogue.create_item',
      entityType: 'item',
      entityId: row!.id,
      detail: { code: data.code },
    });
    return publicItem(row!);
  });
}

export const SearchItemsInput = z.object({
  q: text().trim().max(200).optional(),
  categoryId: z.uuid().optional(),
  supplyMode: z.enum(supplyModes).optional(),
  limit: Limit,
  cursor: text().optional(),
});
export type SearchItemsInput = z.input<typeof SearchItemsInput>;

/**
 * Finds items by code, GTIN (8–14 digits, zero-padded), or words of their Italian or English names and
 * synonyms, accents and case ignored; every word must match. Exact code or GTIN matches come first.
 */
export async function searchItems({ ctx, input }: { ctx: Context; input: SearchItemsInput }) {
  const data = parseInput(SearchItemsInput, input);
  authorize(ctx.actor, 'catalogue.read');
  const where: (SQL | undefined)[] = [eq(items.organisationId, ctx.actor.organisationId)];
  // Without a query there is no rank: `order by 0` would be read by PostgreSQL as a column position.
  let rank: SQL | undefined;
  if (data.q) {
    const q = data.q;
    const gtin = /^\d{8,14}$/.test(q) ? q.padStart(14, '0') : null;
    const words = normalizeText(q).split(' ').filter(Boolean);
    // Every word must start a word of the item's text ("m" finds "M", "medium", not "monouso"'s middle).
    // A query with nothing searchable in it ("%", "_") finds only an item with exactly that code, not every item.
    const wordsMatch = words.length
      ? and(...words.map((w) => like(items.searchText, `% ${prefixPattern(w)}`)))
      : sql`lower(${items.code}) = ${q.toLowerCase()}`;
    where.push(gtin ? sql`(${items.gtin} = ${gtin} or ${wordsMatch})` : wordsMatch);
    const phrase = words.join(' ');
    // Exact code or GTIN first; then a whole name or synonym equal to the query; then names starting with it.
    rank = sql`case when lower(${items.code}) = ${q.toLowerCase()} or ${items.gtin} = ${gtin ?? ''} then 0
      when ${items.searchText} like ${containsPattern(`| ${phrase} |`)} then 1
        when ${items.searchText} like ${`%${prefixPattern(`| ${phrase}`)}`} then 2 else 3 end`;
  }
  if (data.categoryId) where.push(eq(items.categoryId, data.categoryId));
  if (data.supplyMode) where.push(eq(items.supplyMode, data.supplyMode));
  const offset = decodeCursor(data.cursor, z.number().int().nonnegative()) ?? 0;
  const rows = await ctx.db
    .select()
    .from(items)
    .where(and(...where))
    .orderBy(...(rank ? [rank] : []), asc(items.code))
    .limit(data.limit + 1)
    .offset(offset);
  return {
    data: rows.slice(0, data.limit).map(publicItem),
    nextCursor: rows.length > data.limit ? encodeCursor(offset + data.limit) : null,
  };
}

/** One item of the actor's organisation. */
export async function getItem({ ctx, id }: { ctx: Context; id: string }) {
  authorize(ctx.actor, 'catalogue.read');
  const [row] = await ctx.db
    .select()
    .from(items)
    .where(and(eq(items.id, id), eq(items.organisationId, ctx.actor.organisationId)));
  if (!row) throw notFound('item', id);
  return publicItem(row);
}
