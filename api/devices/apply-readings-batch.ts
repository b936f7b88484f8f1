import { and, eq, gt, sql } from 'drizzle-orm';
import { deviceConsumptionRules, deviceMessages, devices, locations, lots, reorderPolicies, stockBalances, supplyPlans } from '../../db/schema/index.ts';
import { authorize } from '../auth/permissions.ts';
import { auditMany } from '../core/audit.ts';
import { together, withTransaction, type Actor, type Context } from '../core/context.ts';
import { DomainError, insufficientStock } from '../core/errors.ts';
import { localDate } from '../core/time.ts';
import { anyOf, executeRows, pgArray } from '../core/sql-arrays.ts';
import type { LocationRow } from '../locations/load-location.ts';
import { isUsable } from '../lots/lot-rules.ts';
import { checkUnderStockMany, type UnderStockOutcome } from '../replenishment/under-stock.ts';
import { postMovements, type MovementDraft } from '../stock/ledger.ts';
import type { DeviceReply } from './handle-message.ts';
import { ReadingPayload } from './payloads.ts';
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

/** The JSON of a readings message, validated; null when it is not a valid reading (the one-by-one path refuses it with reasons). */
export function parseReading(bytes: Uint8Array): ReadingPayload | null {
  try {
    const result = ReadingPayload.safeParse(JSON.parse(new TextDecoder().decode(bytes)));
    return result.success ? result.data : null;
  } catch {
    return null;
  }
}

const rejected = (seq: number, error: DomainError): DeviceReply => ({
  seq,
  status: 'rejected',
  error: { code: error.key, message: error.localized('en'), messageIt: error.localized('it'), fields: error.fields },
});

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
    // 2. Where each device is, and what each reading consumes: read with the claims, in one round trip (the
    //    three statements travel pipelined on PostgreSQL), for every reading of the batch, duplicates included.
    const locationIds = [...new Set(unique.map((r) => r.device.locationId))];
    const orgIds = [...new Set(unique.map((r) => r.device.organisationId))];
    const [stored, placeRows, rules] = await together([
      executeRows<{ device_id: string; seq: string | number; reply: DeviceReply }>(tx.db, sql`
        select m.device_id, m.seq, m.reply from ${deviceMessages} m
        join unnest(${pgArray(unique.map((r) => r.device.id), 'uuid')}, ${pgArray(unique.map((r) => r.payload.seq), 'bigint')}) as k(device_id, seq)
          on m.device_id = k.device_id and m.seq = k.seq`),
      tx.db.select().from(locations).where(anyOf(locations.id, locationIds)),
      tx.db.select().from(deviceConsumptionRules).where(anyOf(deviceConsumptionRules.organisationId, orgIds)),
    ]);
    const storedReply = new Map(stored.map((s) => [`${s.device_id}|${Number(s.seq)}`, typeof s.reply === 'string' ? (JSON.parse(s.reply) as DeviceReply) : s.reply]));
    const work = [...firstInBatch.values()].filter((i) => !storedReply.has(key(batch[i]!)));
    const places = new Map(placeRows.map((l) => [l.id, l as LocationRow]));
    const orgs = [...new Set(work.map((i) => batch[i]!.device.organisationId))];
    const rulesFor = (r: InboundReading) => rules.filter((x) => x.organisationId === r.device.organisationId && x.deviceKind === r.device.kind && x.event === r.payload.type);
    const pairs = new Map<string, { locationId: string; itemId: string }>();
    for (const i of work) for (const rule of rulesFor(batch[i]!)) pairs.set(`${batch[i]!.device.locationId}|${rule.itemId}`, { locationId: batch[i]!.device.locationId, itemId: rule.itemId });

    // 3. Lock the candidate balances in key order (as postMovements does), then take FEFO reading by reading.
    const today = localDate(tx.now());
    const candidates = pairs.size
      ? await tx.db
          .select({ locationId: stockBalances.locationId, lotId: stockBalances.lotId, itemId: stockBalances.itemId, quantity: stockBalances.quantity, lotCode: lots.lotCode, expiry: lots.expiry, status: lots.status, price: lots.purchasePrice })
          .from(stockBalances)
          .innerJoin(lots, eq(lots.id, stockBalances.lotId))
          .where(and(gt(stockBalances.quantity, 0), anyOf(stockBalances.locationId, [...new Set([...pairs.values()].map((p) => p.locationId))]), anyOf(stockBalances.itemId, [...new Set([...pairs.values()].map((p) => p.itemId))])))
          .orderBy(stockBalances.locationId, stockBalances.lotId)
          .for('update', { of: stockBalances })
      : [];
    const fefo = candidates.filter((c) => pairs.has(`${c.locationId}|${c.itemId}`) && isUsable(c, today));
    const lotsAt = new Map<string, typeof fefo>(); // location|item → its usable lots, FEFO order
    for (const c of fefo) {
      const pair = `${c.locationId}|${c.itemId}`;
      if (!lotsAt.has(pair)) lotsAt.set(pair, []);
      lotsAt.get(pair)!.push(c);
    }
    const expiry = (c: (typeof fefo)[number]) => c.expiry ?? '9999-12-31';
    for (const list of lotsAt.values()) if (list.length > 1) list.sort((a, b) => (expiry(a) < expiry(b) ? -1 : expiry(a) > expiry(b) ? 1 : a.lotCode.localeCompare(b.lotCode)));
    const taken = new Map<string, number>();
    const drafts: MovementDraft[] = [];
    const draftsOf = new Map<number, number>();
    const checks = new Map<string, number>(); // location|item → the last reading that touched it
    for (const i of work) {
      const r = batch[i]!;
      const location = places.get(r.device.locationId)!;
      try {
        authorize(r.actor, 'stock.consume', location);
      } catch (error) {
        replies[i] = rejected(r.payload.seq, error as DomainError);
        continue;
      }
      const lines = rulesFor(r);
      if (lines.length === 0) {
        replies[i] = { seq: r.payload.seq, status: 'accepted', movements: 0, notes: [`no consumption rule for ${r.device.kind} ${r.payload.type}`], requests: [] };
        continue;
      }
      const mine: MovementDraft[] = [];
      const takes = new Map<string, number>();
      let short: DomainError | null = null;
      for (const line of lines) {
        let remaining = line.quantity;
        for (const c of lotsAt.get(`${location.id}|${line.itemId}`) ?? []) {
          const lotKey = `${c.locationId}|${c.lotId}`;
          const free = c.quantity - (taken.get(lotKey) ?? 0) - (takes.get(lotKey) ?? 0);
          if (free <= 0) continue;
          const quantity = Math.min(free, remaining);
          takes.set(lotKey, (takes.get(lotKey) ?? 0) + quantity);
          mine.push({ kind: 'consumption', itemId: line.itemId, lotId: c.lotId, quantity, fromLocationId: location.id, toLocationId: null, unitPrice: c.price, reason: `${r.device.code} ${r.payload.type} #${r.payload.seq}`, occurredAt: new Date(r.payload.ts), actorId: r.actor.userId });
          remaining -= quantity;
          if (remaining === 0) break;
        }
        if (remaining > 0) {
          short = insufficientStock({ itemId: line.itemId, locationId: location.id, requested: line.quantity, available: line.quantity - remaining });
          break;
        }
      }
      if (short) {
        replies[i] = rejected(r.payload.seq, short);
        continue;
      }
      for (const [lotKey, q] of takes) taken.set(lotKey, (taken.get(lotKey) ?? 0) + q);
      draftsOf.set(i, mine.length);
      drafts.push(...mine);
      for (const line of lines) checks.set(`${location.id}|${line.itemId}`, i);
    }

    // 4. One ledger write per organisation (its movements carry each device's own user), audit, seen.
    //    The balances were locked in step 3, so the ledger checks against what that read instead of locking again.
    const locked = new Map(candidates.map((c) => [`${c.locationId}|${c.lotId}`, c.quantity]));
    const posted = [];
    for (const org of orgs) {
      const mineOrg = drafts.filter((d) => places.get(d.fromLocationId!)!.organisationId === org);
      if (mineOrg.length) posted.push(...(await postMovements({ ...tx, actor: { ...tx.actor, organisationId: org } }, mineOrg, { locked })));
    }
    let cursor = 0;
    const movementsOf = new Map<number, number[]>();
    for (const i of work) {
      const n = draftsOf.get(i);
      if (n === undefined) continue;
      movementsOf.set(i, posted.slice(cursor, cursor + n).map((m) => m.id));
      cursor += n;
    }
    const seen = [...new Set(work.map((i) => batch[i]!.device.id))];
    const usableAfter = new Map<string, number>();
    for (const c of fefo) usableAfter.set(`${c.locationId}|${c.itemId}`, (usableAfter.get(`${c.locationId}|${c.itemId}`) ?? 0) + c.quantity - (taken.get(`${c.locationId}|${c.lotId}`) ?? 0));
    // The audit rows, "last seen", and (for step 5) the stored policy of each pair touched with whether a supply
    // plan governs it: independent, so issued together (pipelined on PostgreSQL).
    const [, , policyRows] = await together([
      auditMany(
        tx,
        [...movementsOf].map(([i, ids]) => ({ actorId: batch[i]!.actor.userId, organisationId: batch[i]!.device.organisationId, action: 'stock.consume', entityType: 'movement', entityId: String(ids[0]), detail: { movementIds: ids, location: batch[i]!.device.locationId, device: batch[i]!.device.code, seq: batch[i]!.payload.seq } })),
      ),
      // Last seen to the nearest half minute: a device reporting every second is not rewritten every second.
      seen.length
        ? tx.db
            .update(devices)
            .set({ lastSeenAt: tx.now(), online: 'online' })
            .where(and(anyOf(devices.id, seen), sql`(${devices.lastSeenAt} is null or ${devices.lastSeenAt} < ${new Date(tx.now().getTime() - lastSeenGranularityMs).toISOString()}::timestamptz or ${devices.online} <> 'online')`))
        : null,
      checks.size
        ? executeRows<{ location_id: string; item_id: string; reorder_level: number | null; computed_at: string | Date | null; planned: boolean }>(tx.db, sql`
            select k.location_id, k.item_id, p.reorder_level, p.computed_at,
              exists (select 1 from ${supplyPlans} s where s.location_id = k.location_id and s.item_id = k.item_id and s.ended_at is null) as planned
            from unnest(${pgArray([...checks.keys()].map((k) => k.split('|')[0]!), 'uuid')}, ${pgArray([...checks.keys()].map((k) => k.split('|')[1]!), 'uuid')}) as k(location_id, item_id)
            left join ${reorderPolicies} p on p.location_id = k.location_id and p.item_id = k.item_id`)
        : [],
    ]);

    // 5. The reorder check, once per location × item, only where stock may have reached R.
    const policyOf = new Map(policyRows.map((p) => [`${p.location_id}|${p.item_id}`, p]));
    const due = new Map<string, { reading: number; itemIds: string[] }>();
    for (const [pair, i] of checks) {
      const policy = policyOf.get(pair);
      // On hand here only (a lower bound of the subtree's), so "above R" is safe to skip. A home item under a
      // supply plan is forecast against its plan on every reading: never skipped.
      const fresh = policy?.computed_at != null && tx.now().getTime() - new Date(policy.computed_at).getTime() < policyFreshMs;
      if (fresh && !policy!.planned && (usableAfter.get(pair) ?? 0) > Number(policy!.reorder_level)) continue;
      const [locationId, itemId] = pair.split('|') as [string, string];
      const entry = due.get(locationId) ?? { reading: i, itemIds: [] };
      entry.reading = Math.max(entry.reading, i);
      entry.itemIds.push(itemId);
      due.set(locationId, entry);
    }
    const targets = [...due].map(([locationId, { reading, itemIds }]) => {
      const r = batch[reading]!;
      return { location: places.get(locationId)!, itemIds, actor: r.actor, trigger: { device: r.device.code, seq: r.payload.seq, kind: r.payload.type } };
    });
    const requestsOf = new Map<number, UnderStockOutcome[]>();
    (await checkUnderStockMany(tx, targets)).forEach((outcomes, t) => {
      const reading = due.get(targets[t]!.location.id)!.reading;
      requestsOf.set(reading, [...(requestsOf.get(reading) ?? []), ...outcomes]);
    });

    // 6. Replies, stored with their claims so a redelivery hears the same.
    for (const i of work) {
      if (replies[i]) continue;
      replies[i] = { seq: batch[i]!.payload.seq, status: 'accepted', movements: draftsOf.get(i) ?? 0, notes: [], requests: requestsOf.get(i) ?? [] };
    }
    if (work.length) {
      const claimed = await executeRows<{ device_id: string }>(tx.db, sql`
        insert into ${deviceMessages} (device_id, seq, topic, sent_at, outcome, reply)
        select * from unnest(${pgArray(work.map((i) => batch[i]!.device.id), 'uuid')}, ${pgArray(work.map((i) => batch[i]!.payload.seq), 'bigint')},
          ${pgArray(work.map((i) => batch[i]!.topic), 'text')}, ${pgArray(work.map((i) => batch[i]!.payload.ts), 'timestamptz')},
          ${pgArray(work.map((i) => replies[i]!.status), 'text')}, ${pgArray(work.map((i) => JSON.stringify(replies[i])), 'text')}::jsonb[])
        on conflict do nothing
        returning device_id`);
      // Claimed meanwhile by a concurrent transaction (a redelivery to another batch or instance): undo this
      // batch; the caller applies its readings one by one, and the duplicate gets the first reply.
      if (claimed.length < work.length) throw new Error('a reading of this batch was claimed by a concurrent transaction');
    }
    return batch.map((r, i) => {
      const first = firstInBatch.get(key(r))!;
      if (first === i && replies[i]) return replies[i]!;
      const original = storedReply.get(key(r)) ?? replies[first];
      return { ...(original ?? { seq: r.payload.seq, status: 'accepted' }), duplicate: true };
    });
  });
}
