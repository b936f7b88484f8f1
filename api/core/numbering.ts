import { sql } from 'drizzle-orm';
import { documentCounters, type DocumentKind } from '../../db/schema/index.ts';
import type { Context } from './context.ts';

const prefixes: Record<DocumentKind, string> = { request: 'RIC', issue_note: 'BS', purchase_order: 'OA', picking_list: 'PR' };

/**
 * The next number of a document, per organisation, kind and year, in the caller's transaction: the counter
 * row is locked until commit, so numbers are stable and gap-free (a rollback gives its number back).
 */
export async function nextDocumentNumber(ctx: Context, kind: DocumentKind): Promise<string> {
  const year = ctx.now().getUTCFullYear();
  const [row] = await ctx.db
    .insert(documentCounters)
    .values({ organisationId: ctx.actor.organisationId, kind, year, last: 1 })
    .onConflictDoUpdate({ target: [documentCounters.organisationId, documentCounters.kind, documentCounters.year], set: { last: sql`${documentCounters.last} + 1` } })
    .returning({ last: documentCounters.last });
  return `${prefixes[kind]}-${year}-${String(row!.last).padStart(6, '0')}`;
}
