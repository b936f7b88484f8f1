import { and, eq } from 'drizzle-orm';
import { lotRecalls } from '../../db/schema/index.ts';
import type { Context } from '../core/context.ts';
import { notFound } from '../core/errors.ts';
import type { RecallRow } from './recall-view.ts';

/** Loads a recall record of the actor's organisation, or throws `not_found`; `lock` holds it until commit. */
export async function loadRecall(ctx: Context, id: string, lock = false): Promise<RecallRow> {
  const query = ctx.db
    .select()
    .from(lotRecalls)
    .where(and(eq(lotRecalls.id, id), eq(lotRecalls.organisationId, ctx.actor.organisationId)));
  const [row] = lock ? await query.for('update') : await query;
  if (!row) throw notFound('recall', id);
  return row;
}
