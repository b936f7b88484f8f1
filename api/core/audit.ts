import { auditLog } from '../../db/schema/index.ts';
import type { Context } from './context.ts';

/** Appends an audit row in the caller's transaction: who, through which channel, did what to which entity. */
export async function audit(
  ctx: Context,
  entry: { action: string; entityType: string; entityId: string; detail?: Record<string, unknown>; organisationId?: string },
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

/** Appends many audit rows in one statement, each with its own actor (a batch of device readings). */
export async function auditMany(
  ctx: Context,
  entries: { actorId: string | null; organisationId: string; action: string; entityType: string; entityId: string; detail?: Record<string, unknown> }[],
): Promise<void> {
  if (entries.length === 0) return;
  await ctx.db.insert(auditLog).values(entries.map((e) => ({ ...e, channel: ctx.actor.channel, detail: e.detail ?? {} })));
}
