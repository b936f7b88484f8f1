import { and, eq } from 'drizzle-orm';
import { locations } from '../../db/schema/index.ts';
import type { Context } from '../core/context.ts';

const transitCode = 'TRANSITO';

/**
 * The organisation's in-transit location: goods on an issue note sit here, on the books, between leaving
 * the warehouse and the ward taking them in charge. Created on first use; no role's scope covers it, so
 * nothing but an issue note moves stock in or out of it.
 */
export async function transitLocation(ctx: Context) {
  const find = () =>
    ctx.db
      .select()
      .from(locations)
      .where(and(eq(locations.organisationId, ctx.actor.organisationId), eq(locations.kind, 'transit')));
  const [existing] = await find();
  if (existing) return existing;
  const id = crypto.randomUUID();
  await ctx.db
    .insert(locations)
    .values({
      id,
      organisationId: ctx.actor.organisationId,
      kind: 'transit',
      code: transitCode,
      name: 'Merce in transito',
      nameEn: 'Goods in transit',
      path: `/${id}/`,
    })
    .onConflictDoNothing();
  const [created] = await find();
  return created!;
}
