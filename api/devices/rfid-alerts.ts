import { and, eq, isNull, notInArray } from 'drizzle-orm';
import { deviceAlerts, type DeviceAlertKind } from '../../db/schema/index.ts';
import type { Context } from '../core/context.ts';
import type { DeviceRow } from './register-device.ts';

/**
 * Opens alerts for the device, one per subject, except where one is open for the same kind and subject (the partial
 * unique index decides).
 */
export async function raiseDeviceAlerts(
  ctx: Context,
  device: DeviceRow,
  kind: DeviceAlertKind,
  alerts: { subject: string; detail: Record<string, unknown> }[],
): Promise<void> {
  const bySubject = new Map(alerts.map((a) => [a.subject.slice(0, 200), a.detail]));
  const rows = [...bySubject].map(([subject, detail]) => ({
    organisationId: device.organisationId,
    deviceId: device.id,
    locationId: device.locationId,
    kind,
    subject,
    detail,
  }));
  for (let i = 0; i < rows.length; i += 1000)
    await ctx.db
      .insert(deviceAlerts)
      .values(rows.slice(i, i + 1000))
      .onConflictDoNothing();
}

/** Closes the device's open alerts of `kind` whose subject is not in `stillOpen`: their cause went away. */
export async function resolveDeviceAlerts(
  ctx: Context,
  device: DeviceRow,
  kind: DeviceAlertKind,
  stillOpen: string[],
): Promise<void> {
  const keep = stillOpen.map((s) => s.slice(0, 200));
  await ctx.db
    .update(deviceAlerts)
    .set({ resolvedAt: ctx.now() })
    .where(
      and(
        eq(deviceAlerts.deviceId, device.id),
        eq(deviceAlerts.kind, kind),
        isNull(deviceAlerts.resolvedAt),
        keep.length ? notInArray(deviceAlerts.subject, keep) : undefined,
      ),
    );
}
