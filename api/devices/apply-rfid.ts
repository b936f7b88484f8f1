import { and, asc, eq, inArray, ne, sql } from 'drizzle-orm';
import { deviceMessages, devices, items, lots, rfidTags, stockBalances } from '../../db/schema/index.ts';
import { readTag } from '../catalogue/epc.ts';
import { authorize, authorizeMove } from '../auth/permissions.ts';
import { audit, movementIds } from '../core/audit.ts';
import type { Context } from '../core/context.ts';
import { localDate } from '../core/time.ts';
import { loadLocation, type LocationRow } from '../locations/load-location.ts';
import type { LotRow } from '../lots/load-lot.ts';
import { effectiveStatus } from '../lots/lot-rules.ts';
import { checkUnderStock } from '../replenishment/under-stock.ts';
import { moveStock } from '../stock/move-stock.ts';
import { recordConsumption } from '../stock/record-consumption.ts';
import type { MoveLine } from '../stock/schemas.ts';
import type { Applied } from './apply-reading.ts';
import type { RfidPayload } from './payloads.ts';
import type { DeviceRow } from './register-device.ts';
import { raiseDeviceAlerts, resolveDeviceAlerts } from './rfid-alerts.ts';
import { reconcileLot } from './rfid-diff.ts';
import { placeTags, tagProblem, type PlacedTag, type TagProblem } from './rfid-tags.ts';

/** What a snapshot did, tag by tag in counts; the problems in detail (the first 100). */
export interface RfidSummary {
  seen: number;
  kept: number;
  putAway: number;
  claimed: number;
  gone: number;
  problems: TagProblem[];
  moreProblems?: number;
}

export type RfidApplied = Applied & { tags: RfidSummary };

const maxProblems = 100;
const chunk = <T>(xs: T[], n: number) =>
  Array.from({ length: Math.ceil(xs.length / n) }, (_, i) => xs.slice(i * n, i * n + n));
// Problems of tags placed on a lot: flagged (and alerted per lot when recalled), not `unknown_tag`.
const aboutPlacedTags = new Set(['lot_unusable', 'consumption_not_booked', 'short_books']);

interface LotWork {
  lot: LotRow;
  gone: { tag: string; quantity: number }[];
  kept: number;
  fresh: PlacedTag[];
}

/**
 * An RFID cabinet's snapshot: the complete set of tags in it now, compared with the last one. Tags gone are
 * consumption of their lot at the cabinet; new tags first claim stock the books already hold at the cabinet
 * beyond the tags known there (a delivery issued to the cabinet, or stock from before RFID: never counted
 * twice), then are put away — a transfer of their lot from the cabinet's parent (its ward store). A lot on
 * neither books is not booked (pending: retried at every snapshot). Recalled, quarantined or expired lots
 * are never moved by a tag: put-away refused, a pack gone not booked, flagged and alerted. Snapshots older
 * than the last applied one change nothing. Then the reorder check for the items that moved. `topic` is the
 * one its snapshots are stored under (the last one applied is looked up by it).
 */
export async function applyRfid(
  ctx: Context,
  device: DeviceRow,
  location: LocationRow,
  payload: RfidPayload,
  topic: string,
): Promise<RfidApplied> {
  // The device books stock at its own location only; the put-away's source is always the cabinet's parent (checked as a
  // move below).
  authorize(ctx.actor, 'stock.consume', location);
  // One snapshot of a device at a time: each compares with what the previous one left.
  await ctx.db.select({ id: devices.id }).from(devices).where(eq(devices.id, device.id)).for('update');
  const summary: RfidSummary = { seen: 0, kept: 0, putAway: 0, claimed: 0, gone: 0, problems: [] };
  const [last] = await ctx.db
    .select({ seq: sql<string | null>`max(${deviceMessages.seq})` })
    .from(deviceMessages)
    .where(
      and(
        eq(deviceMessages.deviceId, device.id),
        eq(deviceMessages.topic, topic),
        eq(deviceMessages.outcome, 'accepted'),
        ne(deviceMessages.seq, payload.seq),
      ),
    );
  if (last?.seq != null && Number(last.seq) > payload.seq) {
    return {
      movements: 0,
      notes: [`snapshot #${payload.seq} is older than #${last.seq}, already applied: nothing changed`],
      requests: [],
      tags: summary,
    };
  }
  const today = localDate(ctx.now());
  const previous = await ctx.db.select().from(rfidTags).where(eq(rfidTags.deviceId, device.id));
  const { placed, problems } = await placeTags(ctx, payload.tags);
  const before = new Set(previous.map((r) => r.tag));
  const inSnapshot = new Set(placed.map((p) => p.tag));
  const gone = previous.filter((r) => !inSnapshot.has(r.tag));
  summary.seen = placed.length;
  summary.gone = gone.length;

  const lotIds = [...new Set([...placed.map((p) => p.lot.id), ...gone.flatMap((g) => (g.lotId ? [g.lotId] : []))])];
  const lotRows = lotIds.length ? await ctx.db.select().from(lots).where(inArray(lots.id, lotIds)) : [];
  const work = new Map<string, LotWork>(lotRows.map((lot) => [lot.id, { lot, gone: [], kept: 0, fresh: [] }]));
  for (const g of gone)
    if (g.lotId) work.get(g.lotId)!.gone.push({ tag: g.tag, quantity: quantityOf(g.tag, ctx.now()) });
  for (const p of placed) {
    if (before.has(p.tag)) work.get(p.lot.id)!.kept += p.quantity;
    else work.get(p.lot.id)!.fresh.push(p);
  }
  summary.kept = placed.filter((p) => before.has(p.tag)).length;
  const codes = new Map(
    (lotRows.length
      ? await ctx.db
          .select({ id: items.id, code: items.code })
          .from(items)
          .where(inArray(items.id, [...new Set(lotRows.map((l) => l.itemId))]))
      : []
    ).map((i) => [i.id, i.code]),
  );
  const parent = location.parentId ? await loadLocation(ctx, location.parentId) : null;
  const balances = lotIds.length
    ? await ctx.db
        .select({ locationId: stockBalances.locationId, lotId: stockBalances.lotId, quantity: stockBalances.quantity })
        .from(stockBalances)
        .where(
          and(
            inArray(stockBalances.locationId, parent ? [location.id, parent.id] : [location.id]),
            inArray(stockBalances.lotId, lotIds),
          ),
        )
        .orderBy(asc(stockBalances.locationId), asc(stockBalances.lotId))
        .for('update')
    : [];
  const balance = (locationId: string, lotId: string) =>
    balances.find((b) => b.locationId === locationId && b.lotId === lotId)?.quantity ?? 0;

  const consumption: MoveLine[] = [];
  const putAway: MoveLine[] = [];
  const stored: PlacedTag[] = [];
  for (const w of work.values()) {
    const status = effectiveStatus(w.lot, today);
    const said = { lot: w.lot.lotCode, item: codes.get(w.lot.itemId) ?? '', status };
    const d = reconcileLot({
      status,
      books: balance(location.id, w.lot.id),
      inParent: parent ? balance(parent.id, w.lot.id) : null,
      gone: w.gone,
      kept: w.kept,
      fresh: w.fresh,
    });
    if (d.consume > 0) consumption.push({ itemId: w.lot.itemId, lotId: w.lot.id, quantity: d.consume });
    if (d.putAway > 0) putAway.push({ itemId: w.lot.itemId, lotId: w.lot.id, quantity: d.putAway });
    const placedNow = new Set([...d.claimed, ...d.putAwayTags]);
    stored.push(...w.fresh.filter((t) => placedNow.has(t.tag)));
    summary.claimed += d.claimed.length;
    summary.putAway += d.putAwayTags.length;
    for (const tag of d.pending) problems.push(tagProblem(tag, 'not_on_books', { ...said, from: parent?.code ?? '—' }));
    for (const tag of d.notBooked) problems.push(tagProblem(tag, 'consumption_not_booked', said));
    if (d.short)
      problems.push(tagProblem(w.gone[0]!.tag, 'short_books', { ...said, gone: d.short.gone, books: d.short.booked }));
    if (status !== 'available') {
      // Every pack of the lot still in the cabinet is flagged, at every snapshot, until it is taken out.
      const present = placed.filter((p) => p.lot.id === w.lot.id).map((p) => p.tag);
      for (const tag of present) problems.push(tagProblem(tag, 'lot_unusable', said));
      if (status !== 'expired') {
        const detail = {
          ...said,
          lotId: w.lot.id,
          present: present.slice(0, 20),
          gone: w.gone.map((g) => g.tag).slice(0, 20),
          seq: payload.seq,
        };
        await raiseDeviceAlerts(ctx, device, 'recalled_lot', [{ subject: w.lot.id, detail }]);
      }
    }
  }

  const reason = `${device.code} rfid #${payload.seq}`;
  let movements = 0;
  for (const lines of chunk(consumption, 500)) {
    movements += (
      await recordConsumption({ ctx, input: { locationId: location.id, lines, reason, occurredAt: payload.ts } })
    ).movements.length;
  }
  if (putAway.length && parent) {
    // A put-away is a move: judged at its source (the cabinet's parent) and its destination by the one table.
    authorizeMove(ctx.actor, 'stock.put_away', parent, location);
    const posted = await moveStock(ctx, {
      kind: 'transfer',
      fromLocationId: parent.id,
      toLocationId: location.id,
      lines: putAway,
      requireUsable: true,
      reason,
      occurredAt: payload.ts,
    });
    await audit(ctx, {
      action: 'stock.transfer',
      entityType: 'movement',
      entityId: String(posted[0]!.id),
      detail: {
        ...movementIds(posted),
        from: parent.id,
        to: location.id,
        device: device.code,
        seq: payload.seq,
        rfid: 'put_away',
      },
    });
    movements += posted.length;
  }

  const seenAt = new Date(payload.ts);
  for (const tags of chunk(
    gone.map((g) => g.tag),
    1000,
  ))
    await ctx.db.delete(rfidTags).where(and(eq(rfidTags.deviceId, device.id), inArray(rfidTags.tag, tags)));
  await ctx.db.update(rfidTags).set({ seenAt }).where(eq(rfidTags.deviceId, device.id));
  for (const rows of chunk(stored, 1000)) {
    await ctx.db.insert(rfidTags).values(
      rows.map((t) => ({
        deviceId: device.id,
        tag: t.tag,
        itemId: t.itemId,
        lotId: t.lot.id,
        serial: t.serial,
        seenAt,
      })),
    );
  }
  const unknown = problems.filter((p) => !aboutPlacedTags.has(p.code));
  await raiseDeviceAlerts(
    ctx,
    device,
    'unknown_tag',
    unknown.map((p) => ({
      subject: p.tag,
      detail: { code: p.code, message: p.message, messageIt: p.messageIt, seq: payload.seq },
    })),
  );
  await resolveDeviceAlerts(
    ctx,
    device,
    'unknown_tag',
    unknown.map((p) => p.tag),
  );

  await audit(ctx, {
    action: 'devices.rfid_snapshot',
    entityType: 'device',
    entityId: device.id,
    detail: {
      seq: payload.seq,
      seen: summary.seen,
      kept: summary.kept,
      putAway: summary.putAway,
      claimed: summary.claimed,
      gone: summary.gone,
      problems: problems.length,
    },
  });
  const changed = [...new Set([...consumption, ...putAway].map((l) => l.itemId))];
  const requests = await checkUnderStock(ctx, location, changed, {
    device: device.code,
    seq: payload.seq,
    kind: 'rfid',
  });
  summary.problems = problems.slice(0, maxProblems);
  if (problems.length > maxProblems) summary.moreProblems = problems.length - maxProblems;
  return { movements, notes: [], requests, tags: summary };
}

/** Units a stored tag stands for: its GS1 count (AI 30) when it has one, else one pack. */
function quantityOf(tag: string, reference: Date): number {
  const read = readTag(tag, reference);
  return read.ok && read.data.count ? Math.min(read.data.count, 1_000_000) : 1;
}
