import { and, eq, inArray, sql } from 'drizzle-orm';
import { devices, notifications, type NotificationKind } from '../../db/schema/index.ts';
import { anyOf } from '../core/sql-arrays.ts';
import type { Context } from '../core/context.ts';
import type { HolderSummary } from './lot-ledger.ts';
import { executeRows } from '../core/sql-arrays.ts';

/** Device kinds with bins Scorta can lock: the cabinets and shelves that hold stock. */
export const lockingDeviceKinds = ['smart_cabinet', 'smart_shelf', 'rfid_cabinet'] as const;

/** The MQTT command a cabinet receives on `scorta/devices/{code}/commands`. */
export interface BinCommand {
  command: 'lock_bins' | 'unlock_bins';
  lotId: string;
  lotCode: string;
  itemId: string;
  gtin: string | null;
  recallId: string;
  reason: string;
}

interface Subject {
  kind: NotificationKind;
  recallId: string;
  lot: { id: string; lotCode: string; expiry: string | null; itemId: string };
  item: { code: string; name: string; nameEn: string; gtin: string | null };
  reason: string;
  reference: string | null;
  /** Locations still holding the lot; only those with stock are told. */
  holders: HolderSummary[];
  /** Cabinets lock the lot's bins on a quarantine or recall, unlock them when a quarantine is lifted. */
  command: BinCommand['command'] | null;
}

/**
 * Writes the outbox rows of a quarantine, recall or lift, in the caller's transaction: one dashboard alert
 * per holding location, one chat message per holding ward (its nearest `ward` ancestor, whose Slack channel
 * the chat dispatcher looks up), one bin command per active cabinet at a holding location. Channels deliver
 * them after commit (`pendingNotifications`); nothing is sent if the transaction rolls back.
 */
export async function writeRecallNotifications(ctx: Context, s: Subject) {
  const holding = s.holders.filter((h) => h.onHand > 0);
  if (holding.length === 0) return { dashboard: 0, chat: 0, devices: 0 };
  const org = ctx.actor.organisationId;
  const base = {
    lotId: s.lot.id,
    lotCode: s.lot.lotCode,
    expiry: s.lot.expiry,
    item: s.item,
    reason: s.reason,
    reference: s.reference,
    recallId: s.recallId,
  };
  const rows: (typeof notifications.$inferInsert)[] = holding.map((h) => ({
    organisationId: org,
    kind: s.kind,
    target: 'dashboard' as const,
    locationId: h.location.id,
    recallId: s.recallId,
    payload: { ...base, location: { code: h.location.code, name: h.location.name }, onHand: h.onHand },
  }));

  // Each holder's ward: its nearest ancestor (or itself) of kind `ward`; a store outside any ward stands for itself.
  const wards = await executeRows<{ holder_id: string; ward_id: string | null }>(
    ctx.db,
    sql`
    select h.id as holder_id,
           (select w.id from locations w where w.organisation_id = h.organisation_id and w.kind = 'ward'
             and h.path like w.path || '%'
             order by length(w.path) desc limit 1) as ward_id
      from locations h where ${anyOf(
        sql`h.id`,
        holding.map((x) => x.location.id),
      )}`,
  );
  const byWard = new Map<string, HolderSummary[]>();
  for (const w of wards) {
    const key = w.ward_id ?? w.holder_id;
    byWard.set(key, [...(byWard.get(key) ?? []), holding.find((h) => h.location.id === w.holder_id)!]);
  }
  for (const [wardId, held] of byWard) {
    rows.push({
      organisationId: org,
      kind: s.kind,
      target: 'chat',
      locationId: wardId,
      recallId: s.recallId,
      payload: {
        ...base,
        holders: held.map((h) => ({ code: h.location.code, name: h.location.name, onHand: h.onHand })),
      },
    });
  }

  const cabinets = s.command
    ? await ctx.db
        .select({ id: devices.id, code: devices.code, locationId: devices.locationId })
        .from(devices)
        .where(
          and(
            eq(devices.organisationId, org),
            eq(devices.status, 'active'),
            inArray(devices.kind, [...lockingDeviceKinds]),
            inArray(
              devices.locationId,
              holding.map((h) => h.location.id),
            ),
          ),
        )
    : [];
  for (const d of cabinets) {
    const command: BinCommand = {
      command: s.command!,
      lotId: s.lot.id,
      lotCode: s.lot.lotCode,
      itemId: s.lot.itemId,
      gtin: s.item.gtin,
      recallId: s.recallId,
      reason: s.reason,
    };
    rows.push({
      organisationId: org,
      kind: s.kind,
      target: 'device',
      locationId: d.locationId,
      deviceId: d.id,
      recallId: s.recallId,
      payload: { ...command, deviceCode: d.code },
    });
  }
  await ctx.db.insert(notifications).values(rows);
  return { dashboard: holding.length, chat: byWard.size, devices: cabinets.length };
}
