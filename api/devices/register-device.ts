import { and, eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import { deviceKinds, devices, roleAssignments, users } from '../../db/schema/index.ts';
import { authorize } from '../auth/permissions.ts';
import { audit } from '../core/audit.ts';
import { withTransaction, type Actor, type Context } from '../core/context.ts';
import { notFound } from '../core/errors.ts';
import { sha256Hex } from '../core/idempotency.ts';
import { insertUnique } from '../core/unique.ts';
import { parseInput } from '../core/validate.ts';
import { loadGrants } from '../access/users.ts';
import { loadLocation } from '../locations/load-location.ts';
import { announceDeviceEvent } from './device-events.ts';
import { text } from '../core/text.ts';

export const RegisterDeviceInput = z.object({
  code: text()
    .trim()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{2,63}$/, 'letters, digits, - and _ (it is also the MQTT username and client id)'),
  kind: z.enum(deviceKinds),
  name: text().trim().min(1).max(200),
  locationId: z.uuid(),
  expectedIntervalSeconds: z
    .number()
    .int()
    .min(10)
    .max(7 * 86_400)
    .default(3600),
});
export type RegisterDeviceInput = z.input<typeof RegisterDeviceInput>;

const newSecret = () =>
  btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(24))))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');

/**
 * Registers a device at a location (cabinet, shelf, patient's home) with its own user holding the `device`
 * role there. Returns its MQTT credentials once; only the secret's hash is kept.
 */
export async function registerDevice({ ctx, input }: { ctx: Context; input: unknown }) {
  const data = parseInput(RegisterDeviceInput, input);
  return withTransaction(ctx, async (tx) => {
    const location = await loadLocation(tx, data.locationId);
    authorize(tx.actor, 'locations.write', location);
    const secret = newSecret();
    const [user] = await insertUnique('device', 'code', data.code, () =>
      tx.db
        .insert(users)
        .values({
          organisationId: location.organisationId,
          username: `device:${data.code}`,
          displayName: data.name,
          locale: 'it',
        })
        .returning(),
    );
    await tx.db
      .insert(roleAssignments)
      .values({ userId: user!.id, role: 'device', organisationId: location.organisationId, locationId: location.id });
    const id = crypto.randomUUID();
    const secretHash = await sha256Hex(`${id}:${secret}`);
    const [device] = await insertUnique('device', 'code', data.code, () =>
      tx.db
        .insert(devices)
        .values({ ...data, id, organisationId: location.organisationId, userId: user!.id, secretHash })
        .returning(),
    );
    await audit(tx, {
      action: 'devices.register',
      entityType: 'device',
      entityId: device!.id,
      detail: { code: data.code, kind: data.kind, location: location.code },
    });
    return {
      id: device!.id,
      code: data.code,
      kind: data.kind,
      locationId: location.id,
      username: data.code,
      password: secret,
    };
  });
}

/**
 * Revokes a device: it is refused at its next connect and, once the revocation commits, the embedded broker
 * closes its live connection (device events; the broker's periodic check catches other processes' revocations).
 */
export async function revokeDevice({ ctx, id }: { ctx: Context; id: string }) {
  return withTransaction(ctx, async (tx) => {
    const [device] = await tx.db
      .select()
      .from(devices)
      .where(and(eq(devices.id, id), eq(devices.organisationId, tx.actor.organisationId)));
    if (!device) throw notFound('device', id);
    authorize(tx.actor, 'locations.write', await loadLocation(tx, device.locationId));
    await tx.db.update(devices).set({ status: 'revoked' }).where(eq(devices.id, id));
    await tx.db.update(users).set({ active: false }).where(eq(users.id, device.userId));
    await audit(tx, { action: 'devices.revoke', entityType: 'device', entityId: id, detail: { code: device.code } });
    tx.afterCommit?.(() => announceDeviceEvent({ kind: 'revoked', deviceId: id, code: device.code }));
    return { id, code: device.code, status: 'revoked' as const };
  });
}

export type DeviceRow = typeof devices.$inferSelect;

/** An active device by its code, with the actor its messages act as — or null when unknown or revoked. */
export async function loadActiveDevice(
  ctx: Pick<Context, 'db'>,
  code: string,
): Promise<{ device: DeviceRow; actor: Actor } | null> {
  const [device] = await ctx.db
    .select()
    .from(devices)
    .where(and(eq(devices.code, code), eq(devices.status, 'active')));
  return device ? sessionOf(ctx, device) : null;
}

/** Whether a device with this code was ever registered in this database (active or revoked). */
export async function isRegisteredDevice(ctx: Pick<Context, 'db'>, code: string): Promise<boolean> {
  const [device] = await ctx.db.select({ id: devices.id }).from(devices).where(eq(devices.code, code)).limit(1);
  return device !== undefined;
}

const sessionOf = async (ctx: Pick<Context, 'db'>, device: DeviceRow) => {
  const actor: Actor = {
    userId: device.userId,
    organisationId: device.organisationId,
    grants: await loadGrants(ctx, device.userId),
    channel: 'mqtt',
    via: 'user',
  };
  return { device, actor };
};

/**
 * The device behind MQTT credentials, with the actor its readings act as — or null when the code is
 * unknown, the secret wrong or the device revoked. Compares hashes, never secrets.
 */
export async function authenticateDevice(
  ctx: Pick<Context, 'db'>,
  code: string,
  secret: string,
): Promise<{ device: DeviceRow; actor: Actor } | null> {
  const [device] = await ctx.db
    .select()
    .from(devices)
    .where(and(eq(devices.code, code), eq(devices.status, 'active')));
  if (!device || device.secretHash !== (await sha256Hex(`${device.id}:${secret}`))) return null;
  return sessionOf(ctx, device);
}

/** Of these device ids, those no longer active (revoked or deleted): the broker drops their connections. */
export async function inactiveDeviceIds(ctx: Pick<Context, 'db'>, ids: string[]): Promise<string[]> {
  if (!ids.length) return [];
  const active = await ctx.db
    .select({ id: devices.id })
    .from(devices)
    .where(and(inArray(devices.id, ids), eq(devices.status, 'active')));
  const still = new Set(active.map((d) => d.id));
  return ids.filter((id) => !still.has(id));
}

/** Marks a device seen now, online or offline. */
export async function markDeviceSeen(ctx: Pick<Context, 'db'>, deviceId: string, online: 'online' | 'offline') {
  await ctx.db.update(devices).set({ lastSeenAt: sql`now()`, online }).where(eq(devices.id, deviceId));
}
