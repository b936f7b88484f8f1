import { sql } from 'drizzle-orm';
import { documentCounters, type DocumentKind } from '../../db/schema/index.ts';
import type { Context } from './context.ts';

const prefixes: Record<DocumentKind, string> = {
  request: 'RIC',
  issue_note: 'BS',
  purchase_order: 'OA',
  picking_list: 'PR',
};

/**
 * The next `count` numbers of a document kind, per organisation and year, in the caller's transaction: the
 * counter row is locked until commit, so numbers are stable and gap-free (a rollback gives them back).
 */
export async function nextDocumentNumbers(
  ctx: Context,
  kind: DocumentKind,
  count: number,
  organisationId = ctx.actor.organisationId,
): Promise<string[]> {
  if (count <= 0) return [];
  const year = ctx.now().getUTCFullYear();
  const [row] = await ctx.db
    .insert(documentCounters)
    .values({ organisationId, kind, year, last: count })
    .onConflictDoUpdate({
      target: [documentCounters.organisationId, documentCounters.kind, documentCounters.year],
      set: { last: sql`${documentCounters.last} + ${count}` },
    })
    .returning({ last: documentCounters.last });
  const first = row!.last - count + 1;
  return Array.from({ length: count }, (_, i) => `${prefixes[kind]}-${year}-${String(first + i).padStart(6, '0')}`);
}

/** The next number of a document (see `nextDocumentNumbers`). */
export async function nextDocumentNumber(ctx: Context, kind: DocumentKind): Promise<string> {
  return (await nextDocumentNumbers(ctx, kind, 1))[0]!;
}
