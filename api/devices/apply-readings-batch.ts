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
import { checkUnderStockMany, type UnderStockOutcome, type UnderStockTarget } from '../replenishment/under-stock.ts';
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
    const replies: Replies = new Array(batch.length);
    // 1. A message already claimed — earlier, or earlier in this batch — is a duplicate and gets its first reply.
    //    The new ones are claimed at the end with their replies (step 6): one write per claim, not two.
    const firstInBatch = firstPositions(batch);
    const known = await readBatch(
      tx,
      [...firstInBatch.values()].map((i) => batch[i]!),
    );
    const work = [...firstInBatch.values()].filter((i) => !known.storedReply.has(keyOf(batch[i]!)));
    const consumed = await consumeReadings(tx, batch, work, known, replies);
    const policies = await markSeenAndReadPolicies(tx, batch, work, known, consumed.checks);
    const requestsOf = await checkReorders(tx, batch, known, consumed, policies);
    // 6. Replies, stored with their claims so a redelivery hears the same.
    for (const i of work) {
      replies[i] ??= {
        seq: batch[i]!.payload.seq,
        status: 'accepted',
        movements: consumed.movementsOf.get(i) ?? 0,
        notes: [],
        requests: requestsOf.get(i) ?? [],
      };
    }
    await claimMessages(tx, batch, work, replies);
    return batch.map((r, i) => {
      const first = firstInBatch.get(keyOf(r))!;
      if (first === i && replies[i]) return replies[i]!;
      const original = known.storedReply.get(keyOf(r)) ?? replies[first];
      return { ...(original ?? { seq: r.payload.seq, status: 'accepted' }), duplicate: true };
    });
  });
}

/** The replies of a batch by position, filled in step by step. */
type Replies = (DeviceReply | undefined)[];

const keyOf = (r: InboundReading) => `${r.device.id}|${r.payload.seq}`;

/** The first position of each (device, sequence number) in the batch: the others repeat it. */
function firstPositions(batch: InboundReading[]): Map<string, number> {
  const first = new Map<string, number>();
  batch.forEach((r, i) => {
    if (!first.has(keyOf(r))) first.set(keyOf(r), i);
  });
  return first;
}

/** What the batch reads before it writes (step 2). */
interface BatchReads {
  isActive: Set<string>;
  storedReply: Map<string, DeviceReply>;
  places: Map<string, LocationRow>;
  rules: (typeof deviceConsumptionRules.$inferSelect)[];
}

/**
 * 2. Where each device is, what each reading consumes, and which devices are still active: read with the claims,
 *    in one round trip (the statements travel pipelined on PostgreSQL). The devices are locked (key order) against a
 *    concurrent revocation: it waits for this batch, or this batch sees it committed and books nothing for them.
 */
async function readBatch(tx: Context, unique: InboundReading[]): Promise<BatchReads> {
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
  return {
    isActive: new Set(active.map((d) => d.id)),
    storedReply: new Map(
      stored.map((s) => [
        `${s.device_id}|${Number(s.seq)}`,
        typeof s.reply === 'string' ? (JSON.parse(s.reply) as DeviceReply) : s.reply,
      ]),
    ),
    places: new Map(placeRows.map((l) => [l.id, l as LocationRow])),
    rules,
  };
}

/** The consumption rules a reading follows: its organisation's, for its device kind and event. */
const rulesFor = (known: BatchReads, r: InboundReading) =>
  known.rules.filter(
    (x) => x.organisationId === r.device.organisationId && x.deviceKind === r.device.kind && x.event === r.payload.type,
  );

/** What step 3 leaves for the next ones. */
interface Consumed {
  movementsOf: Map<number, number>;
  /** location|item → the last reading that touched it. */
  checks: Map<string, number>;
  usableAfter: Map<string, number>;
}

/**
 * 3. What each reading consumes, through the stock core (authorised, FEFO over usable lots, locked, posted, audited);
 *    a reading of a revoked device, of a kind its device may not send, or that finds too little stock is refused alone.
 */
async function consumeReadings(
  tx: Context,
  batch: InboundReading[],
  work: number[],
  known: BatchReads,
  replies: Replies,
): Promise<Consumed> {
  const consuming: number[] = [];
  for (const i of work) {
    const answer = answerWithoutConsuming(batch[i]!, known);
    if (answer) replies[i] = answer;
    else consuming.push(i);
  }
  const consumed = await consumeStockMany(
    tx,
    consuming.map((i) => {
      const r = batch[i]!;
      return {
        actor: r.actor,
        location: known.places.get(r.device.locationId)!,
        lines: rulesFor(known, r).map((x) => ({ itemId: x.itemId, quantity: x.quantity })),
        reason: `${r.device.code} ${r.payload.type} #${r.payload.seq}`,
        occurredAt: r.payload.ts,
        detail: { device: r.device.code, seq: r.payload.seq },
      };
    }),
  );
  const movementsOf = new Map<number, number>();
  const checks = new Map<string, number>();
  consuming.forEach((i, k) => {
    const outcome = consumed[k]!;
    const r = batch[i]!;
    if (!outcome.ok) {
      replies[i] = rejection(r.payload.seq, outcome.error);
      return;
    }
    movementsOf.set(i, outcome.posted.length);
    for (const rule of rulesFor(known, r)) checks.set(`${r.device.locationId}|${rule.itemId}`, i);
  });
  return { movementsOf, checks, usableAfter: consumed.usableLeft };
}

/** The reply of a reading that consumes nothing (refused, or no rule for it); undefined when it consumes. */
function answerWithoutConsuming(r: InboundReading, known: BatchReads): DeviceReply | undefined {
  if (!known.isActive.has(r.device.id)) return rejection(r.payload.seq, deviceRevoked(r.device.code));
  if (!maySend(r.device.kind, 'readings')) return rejection(r.payload.seq, kindNotAllowed(r.device.kind, 'readings'));
  if (rulesFor(known, r).length > 0) return undefined;
  return {
    seq: r.payload.seq,
    status: 'accepted',
    movements: 0,
    notes: [`no consumption rule for ${r.device.kind} ${r.payload.type}`],
    requests: [],
  };
}

/** The stored policy of a location × item, and whether a supply plan governs it. */
interface PolicyRow {
  location_id: string;
  item_id: string;
  reorder_level: number | null;
  computed_at: string | Date | null;
  planned: boolean;
}

/**
 * 4. "Last seen", and (for step 5) the stored policy of each pair touched with whether a supply plan governs it:
 *    independent, so issued together (pipelined on PostgreSQL).
 */
async function markSeenAndReadPolicies(
  tx: Context,
  batch: InboundReading[],
  work: number[],
  known: BatchReads,
  checks: Map<string, number>,
): Promise<PolicyRow[]> {
  const seen = [...new Set(work.map((i) => batch[i]!.device.id))].filter((id) => known.isActive.has(id));
  const staleBefore = new Date(tx.now().getTime() - lastSeenGranularityMs).toISOString();
  const [, policyRows] = await together([
    // Last seen to the nearest half minute: a device reporting every second is not rewritten every second.
    seen.length
      ? tx.db
          .update(devices)
          .set({ lastSeenAt: tx.now(), online: 'online' })
          .where(
            and(
              anyOf(devices.id, seen),
              sql`(${devices.lastSeenAt} is null or ${devices.lastSeenAt} < ${staleBefore}::timestamptz
                or ${devices.online} <> 'online')`,
            ),
          )
      : null,
    checks.size
      ? executeRows<PolicyRow>(
          tx.db,
          sql`
          select k.location_id, k.item_id, p.reorder_level, p.computed_at,
            exists (select 1 from ${supplyPlans} s
              where s.location_id = k.location_id and s.item_id = k.item_id and s.ended_at is null) as planned
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
  return policyRows;
}

/** 5. The reorder check, once per location × item, only where stock may have reached R. Requests by reading. */
async function checkReorders(
  tx: Context,
  batch: InboundReading[],
  known: BatchReads,
  consumed: Consumed,
  policyRows: PolicyRow[],
): Promise<Map<number, UnderStockOutcome[]>> {
  const due = dueChecks(() => tx.now(), consumed, policyRows);
  const targets: UnderStockTarget[] = [...due].map(([locationId, { reading, itemIds }]) => {
    const r = batch[reading]!;
    return {
      location: known.places.get(locationId)!,
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
  return requestsOf;
}

/** The items to check per location, with the last reading that touched them (it hears the outcome). */
function dueChecks(now: () => Date, consumed: Consumed, policyRows: PolicyRow[]) {
  const policyOf = new Map(policyRows.map((p) => [`${p.location_id}|${p.item_id}`, p]));
  const due = new Map<string, { reading: number; itemIds: string[] }>();
  for (const [pair, i] of consumed.checks) {
    const policy = policyOf.get(pair);
    // On hand here only (a lower bound of the subtree's), so "above R" is safe to skip. A home item under a
    // supply plan is forecast against its plan on every reading: never skipped.
    const fresh =
      policy?.computed_at != null && now().getTime() - new Date(policy.computed_at).getTime() < policyFreshMs;
    if (fresh && !policy!.planned && (consumed.usableAfter.get(pair) ?? 0) > Number(policy!.reorder_level)) continue;
    const [locationId, itemId] = pair.split('|') as [string, string];
    const entry = due.get(locationId) ?? { reading: i, itemIds: [] };
    entry.reading = Math.max(entry.reading, i);
    entry.itemIds.push(itemId);
    due.set(locationId, entry);
  }
  return due;
}

/**
 * 6. The claims of the new messages, each with its reply. Claimed meanwhile by a concurrent transaction (a
 *    redelivery to another batch or instance): the batch is undone; the caller applies its readings one by
 *    one, and the duplicate gets the first reply.
 */
async function claimMessages(tx: Context, batch: InboundReading[], work: number[], replies: Replies) {
  if (!work.length) return;
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
  if (claimed.length < work.length) throw new Error('a reading of this batch was claimed by a concurrent transaction');
}
