import { and, asc, desc, eq, inArray, isNull, or, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { devices, locations, notifications, notificationTargets } from '../../db/schema/index.ts';
import { authorize, readablePaths } from '../auth/permissions.ts';
import { withTransaction, type Context } from '../core/context.ts';
import { iso } from '../core/time.ts';
import { parseInput } from '../core/validate.ts';

const view = (n: typeof notifications.$inferSelect & { deviceCode?: string | null; locationCode?: string }) => ({
  id: n.id,
  kind: n.kind,
  target: n.target,
  locationId: n.locationId,
  locationCode: n.locationCode ?? null,
  deviceId: n.deviceId,
  deviceCode: n.deviceCode ?? null,
  recallId: n.recallId,
  payload: n.payload as Record<string, unknown>,
  createdAt: iso(n.createdAt),
  attempts: n.attempts,
  deliveredAt: iso(n.deliveredAt),
  /** For device rows: where the dispatcher publishes the command. */
  topic: n.target === 'device' && n.deviceCode ? `scorta/devices/${n.deviceCode}/commands` : null,
});
export type NotificationView = ReturnType<typeof view>;

/**
 * The undelivered notifications for one channel (oldest first): the Slack dispatcher reads `chat`, the MQTT
 * dispatcher `device` (each row names its topic). Read with `for update skip locked` inside a transaction,
 * several dispatchers share the work without sending a row twice.
 */
export async function pendingNotifications({
  ctx,
  input,
}: {
  ctx: Context;
  input: { target: (typeof notificationTargets)[number]; limit?: number };
}) {
  const target = z.enum(notificationTargets).parse(input.target);
  authorize(ctx.actor, 'locations.write');
  const rows = await ctx.db
    .select({ n: notifications, deviceCode: devices.code, locationCode: locations.code })
    .from(notifications)
    .innerJoin(locations, eq(locations.id, notifications.locationId))
    .leftJoin(devices, eq(devices.id, notifications.deviceId))
    .where(
      and(
        eq(notifications.organisationId, ctx.actor.organisationId),
        eq(notifications.target, target),
        isNull(notifications.deliveredAt),
      ),
    )
    .orderBy(asc(notifications.createdAt), asc(notifications.id))
    .limit(input.limit ?? 100)
    .for('update', { of: notifications, skipLocked: true });
  return rows.map((r) => view({ ...r.n, deviceCode: r.deviceCode, locationCode: r.locationCode }));
}

/** Marks notifications delivered (or records a failed attempt with its error, to retry later). */
export async function markNotifications({ ctx, input }: { ctx: Context; input: { ids: string[]; error?: string } }) {
  const ids = z.array(z.uuid()).max(1000).parse(input.ids);
  authorize(ctx.actor, 'locations.write');
  if (ids.length === 0) return { updated: 0 };
  const where = and(
    eq(notifications.organisationId, ctx.actor.organisationId),
    inArray(notifications.id, ids),
    isNull(notifications.deliveredAt),
  );
  const rows = input.error
    ? await ctx.db
        .update(notifications)
        .set({ attempts: sql`${notifications.attempts} + 1`, lastError: input.error.slice(0, 500) })
        .where(where)
        .returning({ id: notifications.id })
    : await ctx.db
        .update(notifications)
        .set({ attempts: sql`${notifications.attempts} + 1`, deliveredAt: ctx.now() })
        .where(where)
        .returning({ id: notifications.id });
  return { updated: rows.length };
}

export const ListNotificationsInput = z.object({
  /** Only notifications not yet acknowledged (dashboard alerts still showing). */
  open: z.boolean().optional(),
  target: z.enum(notificationTargets).default('dashboard'),
  limit: z.number().int().min(1).max(200).default(50),
});

/** Dashboard alerts (recalls, quarantines) at the locations the actor may read, newest first. */
export async function listNotifications({
  ctx,
  input,
}: {
  ctx: Context;
  input: z.input<typeof ListNotificationsInput>;
}) {
  const data = parseInput(ListNotificationsInput, input);
  authorize(ctx.actor, 'lots.read');
  const scope = readablePaths(ctx.actor, 'lots.read');
  const where: (SQL | undefined)[] = [
    eq(notifications.organisationId, ctx.actor.organisationId),
    eq(notifications.target, data.target),
  ];
  if (!scope.all) where.push(or(...scope.paths.map((p) => sql`${locations.path} like ${`${p}%`}`)));
  if (data.open) where.push(isNull(notifications.deliveredAt));
  const rows = await ctx.db
    .select({ n: notifications, locationCode: locations.code })
    .from(notifications)
    .innerJoin(locations, eq(locations.id, notifications.locationId))
    .where(and(...where))
    .orderBy(desc(notifications.createdAt), desc(notifications.id))
    .limit(data.limit);
  return { data: rows.map((r) => view({ ...r.n, locationCode: r.locationCode })) };
}

/**
 * Delivers the pending notifications of one target through `send` (reads go through its `tx`), each marked delivered
 * when `send`
 * resolves and left for the next run (its error recorded) when it throws. Rows stay locked while they are
 * sent, so several dispatchers never send one twice. `send` returns false for "nowhere to send it" (counted
 * apart, still marked delivered).
 */
export async function deliverNotifications({
  ctx,
  target,
  send,
  limit = 50,
}: {
  ctx: Context;
  target: (typeof notificationTargets)[number];
  send: (n: NotificationView, tx: Context) => Promise<boolean | undefined>;
  limit?: number;
}) {
  return withTransaction(ctx, async (tx) => {
    const pending = await pendingNotifications({ ctx: tx, input: { target, limit } });
    const outcome = { sent: 0, nowhere: 0, failed: 0 };
    for (const n of pending) {
      try {
        const sent = await send(n, tx);
        await markNotifications({ ctx: tx, input: { ids: [n.id] } });
        outcome[sent === false ? 'nowhere' : 'sent']++;
      } catch (error) {
        await markNotifications({
          ctx: tx,
          input: { ids: [n.id], error: error instanceof Error ? error.message : String(error) },
        });
        outcome.failed++;
      }
    }
    return outcome;
  });
}
