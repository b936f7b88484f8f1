import { and, eq, sql } from 'drizzle-orm';
import {
  deviceConsumptionRules,
  deviceMessages,
  devices,
  locations,
  reorderPolicies,
  supplyPlans,
} from '../../db/schema/index.ts';
import { together, withTransaction, type Actor, type Context } from '../core/context.ts';
import { anyOf, executeRows, pgArray } from '../core/sql-arrays.ts';
import type { LocationRow } from '../locations/load-location.ts';
import { checkUnderStockMany, type UnderStockOutcome } from '../replenishment/under-stock.ts';
import { consumeStockMany } from '../stock/record-consumption.ts';
import { rejection, type DeviceReply } from './device-reply.ts';
import { deviceRevoked, kindNotAllowed, maySend } from './message-kinds.ts';
import type { ReadingPayload } from './payloads.ts';
import type { DeviceRow } from './register-device.ts';

/** A reading that passed validation, with the device and the actor it acts as. */
export interface InboundReading {
  device: DeviceRow;
  actor: Actor;
  topic: string;
  payload: ReadingPayload;
}

/** `devices.last_seen_at` is rewritten when it is older than this (silence is measured in minutes). */
const lastSeenGranularityMs = 30_000;

/** A stored policy younger than this is trusted to say "stock is above R" without recomputing it. */
const policyFreshMs = 60 * 60_000;

/**
 * Many readings from many devices in one transaction, with the same outcome as handling each alone:
 * each is claimed once by (device, sequence number) — a redelivery gets its first reply — and consumes
 * what its device kind's rules say, FEFO over the usable lots at its location, as its own movements by
 * its own device user; a reading that finds too little stock is rejected alone. The reorder check runs
 * once per location × item touched, and is skipped where a fresh stored policy shows stock still above R.
 * A constant number of statements per batch, not per reading: this is what lets ingest keep up with the
 * broker. Returns the replies in the order of `batch`.
 */
export async function applyReadingsBatch(ctx: Context, batch: InboundReading[]): Promise<DeviceReply[]> {
  if (batch.length === 0) return [];
  return withTransaction(ctx, async (tx) => {
    const replies: (DeviceReply | undefined)[] = new Array(batch.length);
    const key = (r: InboundReading) => `${r.device.id}|${r.payload.seq}`;

    // 1. A message already claimed — earlier, or earlier in this batch — is a duplicate and gets its first reply.
    //    The new ones are claimed at the end with their replies (step 6): one write per claim, not two.
    const firstInBatch = new Map<string, number>();
    batch.forEach((r, i) => (firstInBatch.has(key(r)) ? undefined : firstInBatch.set(key(r), i)));
    const unique = [...firstInBatch.values()].map((i) => batch[i]!);
    // 2. Where each device is, what each reading consumes, and which devices are still active: read with the claims,
    //    in one round trip (the statements travel pipelined on PostgreSQL). The devices are locked (key order) against a
    //    concurrent revocation: it waits for this batch, or this batch sees it committed and books nothing for them.
    const locationIds = [...new Set(unique.map((r) => r.device.locationId))];
    const orgIds = [...new Set(unique.map((r) => r.device.organisationId))];
    const deviceIds = [...new Set(unique.map((r) => r.device.id))].sort();
    const [active, stored, placeRows, rules] = await together([
      tx.db
        .select({ id: devices.id })
        .from(devices)
        .where(and(anyOf(devices.id, deviceIds), eq(devices.status, 'active')))
        .orderBy(devices.id)
        .for('no key update'),
      executeRows<{ device_id: string; seq: string | number; reply: DeviceReply }>(
        tx.db,
        sql`
        select m.device_id, m.seq, m.reply from ${deviceMessages} m
        join unnest(${pgArray(
          unique.map((r) => r.device.id),
          'uuid',
        )}, ${pgArray(
          unique.map((r) => r.payload.seq),
          'bigint',
        )}) as k(device_id, seq)
          on m.device_id = k.device_id and m.seq = k.seq`,
      ),
      tx.db.select().from(locations).where(anyOf(locations.id, locationIds)),
      tx.db.select().from(deviceConsumptionRules).where(anyOf(deviceConsumptionRules.organisationId, orgIds)),
    ]);
    const isActive = new Set(active.map((d) => d.id));
    const storedReply = new Map(
      stored.map((s) => [
        `${s.device_id}|${Number(s.seq)}`,
        typeof s.reply === 'string' ? (JSON.parse(s.reply) as DeviceReply) : s.reply,
      ]),
    );
    const work = [...firstInBatch.values()].filter((i) => !storedReply.has(key(batch[i]!)));
    const places = new Map(placeRows.map((l) => [l.id, l as LocationRow]));
    const rulesFor = (r: InboundReading) =>
      rules.filter(
        (x) =>
          x.organisationId === r.device.organisationId && x.deviceKind === r.device.kind && x.event === r.payload.type,
      );

    // 3. What each reading consumes, through the stock core (authorised, FEFO over usable lots, locked, posted, audited);
    //    a reading of a revoked device, of a kind its device may not send, or that finds too little stock is refused alone.
    const consuming: number[] = [];
    for (const i of work) {
      const r = batch[i]!;
      if (!isActive.has(r.device.id)) replies[i] = rejection(r.payload.seq, deviceRevoked(r.device.code));
      else if (!maySend(r.device.kind, 'readings'))
        replies[i] = rejection(r.payload.seq, kindNotAllowed(r.device.kind, 'readings'));
      else if (rulesFor(r).length === 0)
        replies[i] = {
          seq: r.payload.seq,
          status: 'accepted',
          movements: 0,
          notes: [`no consumption rule for ${r.device.kind} ${r.payload.type}`],
          requests: [],
        };
      else consuming.push(i);
    }
    const consumed = await consumeStockMany(
      tx,
      consuming.map((i) => {
        const r = batch[i]!;
        return {
          actor: r.actor,
          location: places.get(r.device.locationId)!,
          lines: rulesFor(r).map((x) => ({ itemId: x.itemId, quantity: x.quantity })),
          reason: `${r.device.code} ${r.payload.type} #${r.payload.seq}`,
          occurredAt: r.payload.ts,
          detail: { device: r.device.code, seq: r.payload.seq },
        };
      }),
    );
    const movementsOf = new Map<number, number>();
    const checks = new Map<string, number>(); // location|item → the last reading that touched it
    consuming.forEach((i, k) => {
      const outcome = consumed[k]!;
      const r = batch[i]!;
      if (!outcome.ok) return void (replies[i] = rejection(r.payload.seq, outcome.error));
      movementsOf.set(i, outcome.posted.length);
      for (const rule of rulesFor(r)) checks.set(`${r.device.locationId}|${rule.itemId}`, i);
    });
    const usableAfter = consumed.usableLeft;

    // 4. "Last seen", and (for step 5) the stored policy of each pair touched with whether a supply plan governs it:
    //    independent, so issued together (pipelined on PostgreSQL).
    const seen = [...new Set(work.map((i) => batch[i]!.device.id))].filter((id) => isActive.has(id));
    const [, policyRows] = await together([
      // Last seen to the nearest half minute: a device reporting every second is not rewritten every second.
      seen.length
        ? tx.db
            .update(devices)
            .set({ lastSeenAt: tx.now(), online: 'online' })
            .where(
              and(
                anyOf(devices.id, seen),
                sql`(${devices.lastSeenAt} is null or ${devices.lastSeenAt} < ${new Date(tx.now().getTime() - lastSeenGranularityMs).toISOString()}::timestamptz or ${devices.online} <> 'online')`,
              ),
            )
        : null,
      checks.size
        ? executeRows<{
            location_id: string;
            item_id: string;
            reorder_level: number | null;
            computed_at: string | Date | null;
            planned: boolean;
          }>(
            tx.db,
            sql`
            select k.location_id, k.item_id, p.reorder_level, p.computed_at,
              exists (select 1 from ${supplyPlans} s where s.location_id = k.location_id and s.item_id = k.item_id and s.ended_at is null) as planned
            from unnest(${pgArray(
              [...checks.keys()].map((k) => k.split('|')[0]!),
              'uuid',
            )}, ${pgArray(
              [...checks.keys()].map((k) => k.split('|')[1]!),
              'uuid',
            )}) as k(location_id, item_id)
            left join ${reorderPolicies} p on p.location_id = k.location_id and p.item_id = k.item_id`,
          )
        : [],
    ]);

    // 5. The reorder check, once per location × item, only where stock may have reached R.
    const policyOf = new Map(policyRows.map((p) => [`${p.location_id}|${p.item_id}`, p]));
    const due = new Map<string, { reading: number; itemIds: string[] }>();
    for (const [pair, i] of checks) {
      const policy = policyOf.get(pair);
      // On hand here only (a lower bound of the subtree's), so "above R" is safe to skip. A home item under a
      // supply plan is forecast against its plan on every reading: never skipped.
      const fresh =
        policy?.computed_at != null && tx.now().getTime() - new Date(policy.computed_at).getTime() < policyFreshMs;
      if (fresh && !policy!.planned && (usableAfter.get(pair) ?? 0) > Number(policy!.reorder_level)) continue;
      const [locationId, itemId] = pair.split('|') as [string, string];
      const entry = due.get(locationId) ?? { reading: i, itemIds: [] };
      entry.reading = Math.max(entry.reading, i);
      entry.itemIds.push(itemId);
      due.set(locationId, entry);
    }
    const targets = [...due].map(([locationId, { reading, itemIds }]) => {
      const r = batch[reading]!;
      return {
        location: places.get(locationId)!,
        itemIds,
        actor: r.actor,
        trigger: { device: r.device.code, seq: r.payload.seq, kind: r.payload.type },
      };
    });
    const requestsOf = new Map<number, UnderStockOutcome[]>();
    (await checkUnderStockMany(tx, targets)).forEach((outcomes, t) => {
      const reading = due.get(targets[t]!.location.id)!.reading;
      requestsOf.set(reading, [...(requestsOf.get(reading) ?? []), ...outcomes]);
    });

    // 6. Replies, stored with their claims so a redelivery hears the same.
    for (const i of work) {
      if (replies[i]) continue;
      replies[i] = {
        seq: batch[i]!.payload.seq,
        status: 'accepted',
        movements: movementsOf.get(i) ?? 0,
        notes: [],
        requests: requestsOf.get(i) ?? [],
      };
    }
    if (work.length) {
      const claimed = await executeRows<{ device_id: string }>(
        tx.db,
        sql`
        insert into ${deviceMessages} (device_id, seq, topic, sent_at, outcome, reply)
        select * from unnest(${pgArray(
          work.map((i) => batch[i]!.device.id),
          'uuid',
        )}, ${pgArray(
          work.map((i) => batch[i]!.payload.seq),
          'bigint',
        )},
          ${pgArray(
            work.map((i) => batch[i]!.topic),
            'text',
          )}, ${pgArray(
            work.map((i) => batch[i]!.payload.ts),
            'timestamptz',
          )},
          ${pgArray(
            work.map((i) => replies[i]!.status),
            'text',
          )}, ${pgArray(
            work.map((i) => JSON.stringify(replies[i])),
            'text',
          )}::jsonb[])
        on conflict do nothing
        returning device_id`,
      );
      // Claimed meanwhile by a concurrent transaction (a redelivery to another batch or instance): undo this
      // batch; the caller applies its readings one by one, and the duplicate gets the first reply.
      if (claimed.length < work.length)
        throw new Error('a reading of this batch was claimed by a concurrent transaction');
    }
    return batch.map((r, i) => {
      const first = firstInBatch.get(key(r))!;
      if (first === i && replies[i]) return replies[i]!;
      const original = storedReply.get(key(r)) ?? replies[first];
      return { ...(original ?? { seq: r.payload.seq, status: 'accepted' }), duplicate: true };
    });
  });
}
