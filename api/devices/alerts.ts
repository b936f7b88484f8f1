import { and, desc, eq, gt, inArray, isNull, or, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { deviceAlertKinds, deviceAlerts, devices, locations } from '../../db/schema/index.ts';
import { authorize } from '../auth/permissions.ts';
import { audit } from '../core/audit.ts';
import { withTransaction, type Context } from '../core/context.ts';
import { decodeCursor, encodeCursor, Limit, type Page } from '../core/pagination.ts';
import { iso } from '../core/time.ts';
import { parseInput } from '../core/validate.ts';
import { homeCareScope } from '../homecare/scope.ts';
import { text } from '../core/text.ts';

/** A device is silent when it has not spoken for longer than this many expected intervals. */
export const SILENCE_FACTOR = 2;

/**
 * Whether a device is silent at `now`: last seen (or, never seen, registered) more than twice its expected interval
 * ago.
 */
export function isSilent(
  device: { lastSeenAt: Date | null; createdAt: Date; expectedIntervalSeconds: number },
  now: Date,
): boolean {
  const since = (device.lastSeenAt ?? device.createdAt).getTime();
  return now.getTime() - since > SILENCE_FACTOR * device.expectedIntervalSeconds * 1000;
}

/** SQL twin of `isSilent` for set-based sweeps. */
const silentAt = (now: Date) =>
  sql`coalesce(${devices.lastSeenAt}, ${devices.createdAt}) < ${now.toISOString()}::timestamptz -
    make_interval(secs => ${SILENCE_FACTOR} * ${devices.expectedIntervalSeconds})`;

/**
 * Raises a `silent` alert for every active device of the actor's organisation that has been quiet for more
 * than twice its expected interval, and resolves the open ones of devices that spoke since the alert was
 * raised (or were revoked). Set-based: three statements whatever the number of devices; at most one open
 * alert per device (the partial unique index). One audit row names what changed. Run by the sweeper.
 */
export async function sweepSilentDevices({ ctx }: { ctx: Context }): Promise<{ raised: string[]; resolved: string[] }> {
  authorize(ctx.actor, 'locations.write');
  return withTransaction(ctx, async (tx) => {
    const now = tx.now();
    const org = tx.actor.organisationId;
    const spoke = tx.db
      .select({ one: sql`1` })
      .from(devices)
      .where(
        and(
          eq(devices.id, deviceAlerts.deviceId),
          or(eq(devices.status, 'revoked'), gt(devices.lastSeenAt, deviceAlerts.raisedAt)),
        ),
      );
    const resolved = await tx.db
      .update(deviceAlerts)
      .set({ resolvedAt: now })
      .where(
        and(
          eq(deviceAlerts.organisationId, org),
          eq(deviceAlerts.kind, 'silent'),
          isNull(deviceAlerts.resolvedAt),
          sql`exists (${spoke})`,
        ),
      )
      .returning({ id: deviceAlerts.id });
    const quiet = await tx.db
      .select({
        id: devices.id,
        locationId: devices.locationId,
        lastSeenAt: devices.lastSeenAt,
        createdAt: devices.createdAt,
        expectedIntervalSeconds: devices.expectedIntervalSeconds,
      })
      .from(devices)
      .where(and(eq(devices.organisationId, org), eq(devices.status, 'active'), silentAt(now)));
    const raised = quiet.length
      ? await tx.db
          .insert(deviceAlerts)
          .values(
            quiet.map((d) => ({
              organisationId: org,
              deviceId: d.id,
              locationId: d.locationId,
              kind: 'silent' as const,
              subject: '',
              raisedAt: now,
              detail: {
                lastSeenAt: iso(d.lastSeenAt),
                expectedIntervalSeconds: d.expectedIntervalSeconds,
                silentForSeconds: Math.round((now.getTime() - (d.lastSeenAt ?? d.createdAt).getTime()) / 1000),
              },
            })),
          )
          .onConflictDoNothing()
          .returning({ id: deviceAlerts.id })
      : [];
    const result = { raised: raised.map((r) => r.id), resolved: resolved.map((r) => r.id) };
    if (result.raised.length || result.resolved.length) {
      await audit(tx, {
        action: 'devices.alerts.sweep',
        entityType: 'device_alert',
        entityId: result.raised[0] ?? result.resolved[0]!,
        detail: result,
      });
    }
    return result;
  });
}

export const ListAlertsInput = z.object({
  /** A location and everything below it (a team, a ward, a home); the actor's scope when omitted. */
  locationId: z.uuid().optional(),
  /** Only open (true) or only resolved (false) alerts; both when omitted. */
  open: z.boolean().optional(),
  kind: z.enum(deviceAlertKinds).optional(),
  limit: Limit,
  cursor: text().optional(),
});
export type ListAlertsInput = z.input<typeof ListAlertsInput>;

/**
 * When an alert stopped applying: its `resolvedAt`, or — for silence not yet swept — the moment the device
 * spoke again after the alert was raised. A reader never sees a device that is talking as silent.
 */
const effectiveResolvedAt = sql<Date | null>`case when ${deviceAlerts.resolvedAt} is not null
  then ${deviceAlerts.resolvedAt} when ${deviceAlerts.kind} = 'silent'
    and ${devices.lastSeenAt} > ${deviceAlerts.raisedAt} then ${devices.lastSeenAt} end`;

/** Device alerts at the locations in the actor's scope (or under one location), newest first. */
export async function listAlerts({ ctx, input }: { ctx: Context; input: unknown }): Promise<Page<AlertView>> {
  const data = parseInput(ListAlertsInput, input);
  const { filter } = await homeCareScope(ctx, 'alerts.read', data.locationId);
  const offset = decodeCursor(data.cursor, z.number().int().nonnegative()) ?? 0;
  const where: (SQL | undefined)[] = [filter, data.kind ? eq(deviceAlerts.kind, data.kind) : undefined];
  if (data.open !== undefined)
    where.push(data.open ? sql`(${effectiveResolvedAt}) is null` : sql`(${effectiveResolvedAt}) is not null`);
  const rows = await ctx.db
    .select({
      id: deviceAlerts.id,
      kind: deviceAlerts.kind,
      subject: deviceAlerts.subject,
      detail: deviceAlerts.detail,
      raisedAt: deviceAlerts.raisedAt,
      resolvedAt: effectiveResolvedAt,
      device: {
        id: devices.id,
        code: devices.code,
        kind: devices.kind,
        name: devices.name,
        online: devices.online,
        lastSeenAt: devices.lastSeenAt,
      },
      location: {
        id: locations.id,
        code: locations.code,
        name: locations.name,
        kind: locations.kind,
        patientCode: locations.patientCode,
      },
    })
    .from(deviceAlerts)
    .innerJoin(devices, eq(devices.id, deviceAlerts.deviceId))
    .innerJoin(locations, eq(locations.id, deviceAlerts.locationId))
    .where(and(...where))
    .orderBy(desc(deviceAlerts.raisedAt), desc(deviceAlerts.id))
    .limit(data.limit + 1)
    .offset(offset);
  const view = (r: (typeof rows)[number]): AlertView => ({
    ...r,
    detail: r.detail as Record<string, unknown>,
    raisedAt: iso(r.raisedAt),
    resolvedAt: iso(r.resolvedAt),
    open: r.resolvedAt === null,
    device: { ...r.device, lastSeenAt: iso(r.device.lastSeenAt) },
  });
  return {
    data: rows.slice(0, data.limit).map(view),
    nextCursor: rows.length > data.limit ? encodeCursor(offset + data.limit) : null,
  };
}

export interface AlertView {
  id: string;
  kind: (typeof deviceAlertKinds)[number];
  subject: string;
  detail: Record<string, unknown>;
  raisedAt: string;
  resolvedAt: string | null;
  open: boolean;
  device: { id: string; code: string; kind: string; name: string; online: string; lastSeenAt: string | null };
  location: { id: string; code: string; name: string; kind: string; patientCode: string | null };
}

/** Open alerts of some devices, keyed by device id (the home-care overview reads them for a whole team at once). */
export async function openAlertsOf(ctx: Context, deviceIds: string[]) {
  if (deviceIds.length === 0) return new Map<string, { kind: string; subject: string; raisedAt: string }[]>();
  const rows = await ctx.db
    .select({
      deviceId: deviceAlerts.deviceId,
      kind: deviceAlerts.kind,
      subject: deviceAlerts.subject,
      raisedAt: deviceAlerts.raisedAt,
    })
    .from(deviceAlerts)
    .innerJoin(devices, eq(devices.id, deviceAlerts.deviceId))
    .where(and(inArray(deviceAlerts.deviceId, deviceIds), sql`(${effectiveResolvedAt}) is null`));
  const byDevice = new Map<string, { kind: string; subject: string; raisedAt: string }[]>();
  for (const r of rows)
    byDevice.set(r.deviceId, [
      ...(byDevice.get(r.deviceId) ?? []),
      { kind: r.kind, subject: r.subject, raisedAt: iso(r.raisedAt) },
    ]);
  return byDevice;
}
