import { sql } from 'drizzle-orm';
import { auditLog } from '../../db/schema/index.ts';
import { pgArray } from './sql-arrays.ts';
import type { Context } from './context.ts';

/** The audit detail naming every movement a write covers (`detail.movementIds`), never a first id and a count. */
export const movementIds = (posted: readonly { id: number }[]) => ({ movementIds: posted.map((m) => m.id) });

/** Appends an audit row in the caller's transaction: who, through which channel, did what to which entity. */
export async function audit(
  ctx: Context,
  entry: {
    action: string;
    entityType: string;
    entityId: string;
    detail?: Record<string, unknown>;
    organisationId?: string;
  },
): Promise<void> {
  await ctx.db.insert(auditLog).values({
    organisationId: entry.organisationId ?? ctx.actor.organisationId,
    actorId: ctx.actor.userId,
    channel: ctx.actor.channel,
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId,
    detail: entry.detail ?? {},
  });
}

/**
 * Appends many audit rows in one statement, each with its own actor (a batch of device readings) and, when given,
 * channel.
 */
export async function auditMany(
  ctx: Context,
  entries: {
    actorId: string | null;
    channel?: string;
    organisationId: string;
    action: string;
    entityType: string;
    entityId: string;
    detail?: Record<string, unknown>;
  }[],
): Promise<void> {
  if (entries.length === 0) return;
  const col = (pick: (e: (typeof entries)[number]) => string | null) => entries.map(pick);
  await ctx.db.execute(sql`
    insert into ${auditLog} (organisation_id, actor_id, channel, action, entity_type, entity_id, detail)
    select e.organisation_id, e.actor_id, e.channel, e.action, e.entity_type, e.entity_id, e.detail::jsonb
    from unnest(${pgArray(
      col((e) => e.organisationId),
      'uuid',
    )}, ${pgArray(
      col((e) => e.actorId),
      'uuid',
    )}, ${pgArray(
      col((e) => e.channel ?? ctx.actor.channel),
      'text',
    )}, ${pgArray(
      col((e) => e.action),
      'text',
    )},
      ${pgArray(
        col((e) => e.entityType),
        'text',
      )}, ${pgArray(
        col((e) => e.entityId),
        'text',
      )}, ${pgArray(
        col((e) => JSON.stringify(e.detail ?? {})),
        'text',
      )})
      as e(organisation_id, actor_id, channel, action, entity_type, entity_id, detail)`);
}
