import { searchItems } from '../../api/catalogue/items.ts';
import type { Context } from '../../api/core/context.ts';
import { DomainError } from '../../api/core/errors.ts';
import { listLocations } from '../../api/locations/locations.ts';
import { listLots } from '../../api/lots/list-lots.ts';
import type { NluCatalogue, NluItem } from './types.ts';

/** An item as the parser knows it: its names in both languages, what staff call it, its codes and unit. */
export function nluItem(id: string, i: Omit<NluItem, 'id'>): NluItem {
  const { code, name, nameEn, synonyms, gtin, unit, packSize } = i;
  return { id, code, name, nameEn, synonyms, gtin, unit, packSize };
}

/** Lots beyond this many are not preloaded: a lot code still parses, only its item is not inferred. */
const maxLots = 20_000;

async function allPages<T>(
  fetchPage: (cursor: string | undefined) => Promise<{ data: T[]; nextCursor: string | null }>,
  cap = Infinity,
): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await fetchPage(cursor);
    out.push(...page.data);
    cursor = page.nextCursor ?? undefined;
  } while (cursor && out.length < cap);
  return out;
}

/**
 * A snapshot of the actor's catalogue for the parser, read through the same core list actions as the API
 * (items, locations and, when the actor may read them, lots). The adapter keeps it and reloads it now and
 * then; parsing itself never touches the database.
 */
export async function loadNluCatalogue(ctx: Context): Promise<NluCatalogue> {
  const items = await allPages((cursor) => searchItems({ ctx, input: { limit: 500, ...(cursor ? { cursor } : {}) } }));
  const locations = await allPages((cursor) =>
    listLocations({ ctx, input: { limit: 500, ...(cursor ? { cursor } : {}) } }),
  );
  let lots: { lotCode: string; itemId: string }[] = [];
  try {
    lots = (
      await allPages((cursor) => listLots({ ctx, input: { limit: 500, ...(cursor ? { cursor } : {}) } }), maxLots)
    ).map((l) => ({ lotCode: l.lotCode, itemId: l.itemId }));
  } catch (error) {
    if (!(error instanceof DomainError && error.code === 'forbidden')) throw error;
  }
  return {
    items: items.map((i) => nluItem(i.id, i)),
    locations: locations.map((l) => ({
      id: l.id,
      code: l.code,
      name: l.name,
      nameEn: l.nameEn,
      aliases: l.aliases,
      kind: l.kind,
      patientCode: l.patientCode,
    })),
    lots,
  };
}
