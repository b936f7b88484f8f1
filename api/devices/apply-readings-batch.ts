import { and, eq, gt, inArray, isNull, sql } from 'drizzle-orm';
import { deviceConsumptionRules, deviceMessages, devices, locations, lots, reorderPolicies, stockBalances, supplyPlans } from '../../db/schema/index.ts';
import { authorize } from '../auth/permissions.ts';
import { auditMany } from '../core/audit.ts';
import { withTransaction, type Actor, type Context } from '../core/context.ts';
import { DomainError, insufficientStock } from '../core/errors.ts';
import { localDate } from '../core/time.ts';
import { anyOf, executeRows, pgArray } from '../core/sql-arrays.ts';
import type { LocationRow } from '../locations/load-location.ts';
import { isUsable } from '../lots/lot-rules.ts';
import { checkUnderStock } from '../replenishment/under-stock.ts';
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

    // 1. Claim (device, seq); a message already claimed, earlier or in this batch, is a duplicate.
    const firstInBatch = new Map<string, number>();
    batch.forEach((r, i) => (firstInBatch.has(key(r)) ? undefined : firstInBatch.set(key(r), i)));
    const unique = [...firstInBatch.values()].map((i) => batch[i]!);
    const claimed = await executeRows<{ device_id: string; seq: string | number }>(tx.db, sql`
      insert into ${deviceMessages} (device_id, seq, topic, sent_at, outcome, reply)
      select m.device_id, m.seq, m.topic, m.sent_at, 'accepted', jsonb_build_object('seq', m.seq, 'status', 'accepted')
      from unnest(${pgArray(unique.map((r) => r.device.id), 'uuid')}, ${pgArray(unique.map((r) => r.payload.seq), 'bigint')},
        ${pgArray(unique.map((r) => r.topic), 'text')}, ${pgArray(unique.map((r) => r.payload.ts), 'timestamptz')}) as m(device_id, seq, topic, sent_at)
      on conflict do nothing
      returning device_id, seq`);
    const fresh = new Set(claimed.map((c) => `${c.device_id}|${Number(c.seq)}`));
    const earlier = unique.filter((r) => !fresh.has(key(r)));
    const stored = earlier.length
      ? await tx.db
          .select({ deviceId: deviceMessages.deviceId, seq: deviceMessages.seq, reply: deviceMessages.reply })
          .from(deviceMessages)
          .where(sql`(${deviceMessages.deviceId}, ${deviceMessages.seq}) in (${sql.join(earlier.map((r) => sql`(${r.device.id}::uuid, ${r.payload.seq}::bigint)`), sql`, `)})`)
      : [];
    const storedReply = new Map(stored.map((s) => [`${s.deviceId}|${s.seq}`, s.reply as DeviceReply]));
    const work = [...firstInBatch.values()].filter((i) => fresh.has(key(batch[i]!)));

    // 2. Where each device is, and what each reading consumes.
    const locationIds = [...new Set(work.map((i) => batch[i]!.device.locationId))];
    const places = new Map((locationIds.length ? await tx.db.select().from(locations).where(inArray(locations.id, locationIds)) : []).map((l) => [l.id, l as LocationRow]));
    const orgs = [...new Set(work.map((i) => batch[i]!.device.organisationId))];
    const rules = orgs.length ? await tx.db.select().from(deviceConsumptionRules).where(inArray(deviceConsumptionRules.organisationId, orgs)) : [];
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
    const fefo = candidates
      .filter((c) => pairs.has(`${c.locationId}|${c.itemId}`) && isUsable(c, today))
      .sort((a, b) => (a.expiry ?? '9999-12-31').localeCompare(b.expiry ?? '9999-12-31') || a.lotCode.localeCompare(b.lotCode));
    const lotsAt = new Map<string, typeof fefo>(); // location|item → its usable lots, FEFO order
    for (const c of fefo) {
      const pair = `${c.locationId}|${c.itemId}`;
      if (!lotsAt.has(pair)) lotsAt.set(pair, []);
      lotsAt.get(pair)!.push(c);
    }
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
    const posted = [];
    for (const org of orgs) {
      const mineOrg = drafts.filter((d) => places.get(d.fromLocationId!)!.organisationId === org);
      if (mineOrg.length) posted.push(...(await postMovements({ ...tx, actor: { ...tx.actor, organisationId: org } }, mineOrg)));
    }
    let cursor = 0;
    const firstMovement = new Map<number, number>();
    for (const i of work) {
      const n = draftsOf.get(i);
      if (n === undefined) continue;
      firstMovement.set(i, posted[cursor]!.id);
      cursor += n;
    }
    await auditMany(
      tx,
      [...firstMovement].map(([i, id]) => ({ actorId: batch[i]!.actor.userId, organisationId: batch[i]!.device.organisationId, action: 'stock.consume', entityType: 'movement', entityId: String(id), detail: { count: draftsOf.get(i), location: batch[i]!.device.locationId, device: batch[i]!.device.code, seq: batch[i]!.payload.seq } })),
    );
    const seen = [...new Set(work.map((i) => batch[i]!.device.id))];
    if (seen.length) await tx.db.update(devices).set({ lastSeenAt: tx.now(), online: 'online' }).where(anyOf(devices.id, seen));

    // 5. The reorder check, once per location × item, only where stock may have reached R.
    const usableAfter = new Map<string, number>();
    for (const c of fefo) usableAfter.set(`${c.locationId}|${c.itemId}`, (usableAfter.get(`${c.locationId}|${c.itemId}`) ?? 0) + c.quantity - (taken.get(`${c.locationId}|${c.lotId}`) ?? 0));
    const policies = checks.size
      ? await tx.db
          .select({ locationId: reorderPolicies.locationId, itemId: reorderPolicies.itemId, reorderLevel: reorderPolicies.reorderLevel, computedAt: reorderPolicies.computedAt })
          .from(reorderPolicies)
          .where(anyOf(reorderPolicies.locationId, [...new Set([...checks.keys()].map((k) => k.split('|')[0]!))]))
      : [];
    const policyOf = new Map(policies.map((p) => [`${p.locationId}|${p.itemId}`, p]));
    // A home item under a supply plan is forecast against its plan on every reading: never skipped.
    const planned = checks.size
      ? new Set(
          (await tx.db
            .select({ locationId: supplyPlans.locationId, itemId: supplyPlans.itemId })
            .from(supplyPlans)
            .where(and(isNull(supplyPlans.endedAt), anyOf(supplyPlans.locationId, [...new Set([...checks.keys()].map((k) => k.split('|')[0]!))])))).map((p) => `${p.locationId}|${p.itemId}`),
        )
      : new Set<string>();
    const due = new Map<string, { reading: number; itemIds: string[] }>();
    for (const [pair, i] of checks) {
      const policy = policyOf.get(pair);
      // On hand here only (a lower bound of the subtree's), so "above R" is safe to skip.
      const fresh = policy && tx.now().getTime() - policy.computedAt.getTime() < policyFreshMs;
      if (fresh && !planned.has(pair) && (usableAfter.get(pair) ?? 0) > policy.reorderLevel) continue;
      const [locationId, itemId] = pair.split('|') as [string, string];
      const entry = due.get(locationId) ?? { reading: i, itemIds: [] };
      entry.reading = Math.max(entry.reading, i);
      entry.itemIds.push(itemId);
      due.set(locationId, entry);
    }
    const requestsOf = new Map<number, Awaited<ReturnType<typeof checkUnderStock>>>();
    for (const [locationId, { reading, itemIds }] of due) {
      const r = batch[reading]!;
      const outcomes = await checkUnderStock({ ...tx, actor: r.actor }, places.get(locationId)!, itemIds, { device: r.device.code, seq: r.payload.seq, kind: r.payload.type });
      requestsOf.set(reading, [...(requestsOf.get(reading) ?? []), ...outcomes]);
    }

    // 6. Replies, stored with their claims so a redelivery hears the same.
    for (const i of work) {
      if (replies[i]) continue;
      replies[i] = { seq: batch[i]!.payload.seq, status: 'accepted', movements: draftsOf.get(i) ?? 0, notes: [], requests: requestsOf.get(i) ?? [] };
    }
    if (work.length) {
      await tx.db.execute(sql`
        update ${deviceMessages} set outcome = v.outcome, reply = v.reply::jsonb
        from unnest(${pgArray(work.map((i) => batch[i]!.device.id), 'uuid')}, ${pgArray(work.map((i) => batch[i]!.payload.seq), 'bigint')},
          ${pgArray(work.map((i) => replies[i]!.status), 'text')}, ${pgArray(work.map((i) => JSON.stringify(replies[i])), 'text')}) as v(device_id, seq, outcome, reply)
        where ${deviceMessages}.device_id = v.device_id and ${deviceMessages}.seq = v.seq`);
    }
    return batch.map((r, i) => {
      const first = firstInBatch.get(key(r))!;
      if (first === i && replies[i]) return replies[i]!;
      const original = first === i ? storedReply.get(key(r)) : replies[first] ?? storedReply.get(key(r));
      return { ...(original ?? { seq: r.payload.seq, status: 'accepted' }), duplicate: true };
    });
  });
}
