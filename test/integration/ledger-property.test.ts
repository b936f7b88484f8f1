import { and, eq, ne, sql, type SQL } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Context } from '../../api/core/context.ts';
import { DomainError } from '../../api/core/errors.ts';
import { stableJson } from '../../api/core/idempotency.ts';
import { adjustStock } from '../../api/stock/adjust-stock.ts';
import { issueStock, returnStock, transferStock } from '../../api/stock/issue-stock.ts';
import type { MovementView } from '../../api/stock/movement-view.ts';
import { receiveGoods } from '../../api/stock/receive-goods.ts';
import { recordConsumption } from '../../api/stock/record-consumption.ts';
import { reverseMovement } from '../../api/stock/reverse-movement.ts';
import {
  auditLog,
  idempotencyKeys,
  locations,
  lots,
  movements,
  stockBalances,
  type LotStatus,
  type MovementKind,
} from '../../db/schema/index.ts';
import { drivers, openTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { buildHospital, contextFor, type Hospital } from '../helpers/fixture.ts';
import { ledgerMismatches, negativeBalances, setLotStatus } from '../helpers/ledger.ts';

// ---- The operations fast-check generates: indices into the run's hospital, resolved to ids at run time.

const lotCodes = ['L0', 'L1', 'L2', 'L3'];
/** Each lot code's usual expiry: already expired on the fixture's day, expiring that day, later, none. */
const usualExpiry = ['2026-11-01', '2026-11-23', '2027-06-30', null];
const otherExpiry = '2028-12-31';
const today = '2026-11-23';
const missingId = '00000000-0000-4000-8000-000000000000';

type Line = { item: number; lot: number | null; qty: number };
type Op =
  | { t: 'receive'; loc: number; lines: Array<{ item: number; lot: number; qty: number; odd: boolean }>; key: boolean }
  | { t: 'issue' | 'transfer' | 'return'; from: number; shift: number; lines: Line[]; key: boolean }
  | { t: 'consume'; loc: number; lines: Line[]; key: boolean }
  | { t: 'adjust'; loc: number; item: number; lot: number; count: number; key: boolean }
  | { t: 'reverse'; pick: number; key: boolean }
  | { t: 'status'; item: number; lot: number; status: LotStatus }
  | { t: 'retry'; pick: number; mutate: boolean };

const weighted = <T>(...pairs: Array<[number, fc.Arbitrary<T>]>) =>
  fc.oneof(...pairs.map(([weight, arbitrary]) => ({ weight, arbitrary })));
const anyLoc = fc.integer({ min: 0, max: 5 });
/** Stores first: most stock enters at the warehouse and the pharmacy. */
const storeLoc = weighted([3, fc.constantFrom(0, 1)], [2, anyLoc]);
const item = fc.integer({ min: 0, max: 1 });
const lot = fc.integer({ min: 0, max: 3 });
/** A lot named in a move: rarely the one that is always expired. */
const namedLot = weighted([1, fc.constant(0)], [5, fc.integer({ min: 1, max: 3 })]);
/** Where a move goes, as a shift from its source: now and then the source itself (refused). */
const shift = weighted([1, fc.constant(0)], [15, fc.integer({ min: 1, max: 5 })]);
const key = weighted([3, fc.constant(false)], [1, fc.constant(true)]);
const line: fc.Arbitrary<Line> = fc.record({
  item,
  lot: fc.option(namedLot, { nil: null, freq: 2 }),
  qty: fc.integer({ min: 1, max: 15 }),
});
const lines = weighted(
  [3, fc.array(line, { minLength: 1, maxLength: 1 })],
  [1, fc.array(line, { minLength: 2, maxLength: 3 })],
);

const op: fc.Arbitrary<Op> = weighted<Op>(
  [
    6,
    fc.record({
      t: fc.constant('receive' as const),
      loc: storeLoc,
      key,
      lines: fc.array(
        fc.record({
          item,
          lot,
          qty: fc.integer({ min: 1, max: 40 }),
          odd: weighted([12, fc.constant(false)], [1, fc.constant(true)]),
        }),
        { minLength: 1, maxLength: 3 },
      ),
    }),
  ],
  [5, fc.record({ t: fc.constant('issue' as const), from: storeLoc, shift, lines, key })],
  [3, fc.record({ t: fc.constant('transfer' as const), from: anyLoc, shift, lines, key })],
  [2, fc.record({ t: fc.constant('return' as const), from: anyLoc, shift, lines, key })],
  [4, fc.record({ t: fc.constant('consume' as const), loc: anyLoc, lines, key })],
  [
    2,
    fc.record({
      t: fc.constant('adjust' as const),
      loc: anyLoc,
      item,
      lot,
      count: fc.integer({ min: 0, max: 30 }),
      key,
    }),
  ],
  [3, fc.record({ t: fc.constant('reverse' as const), pick: fc.nat(), key })],
  [
    1,
    fc.record({
      t: fc.constant('status' as const),
      item,
      lot,
      status: fc.constantFrom<LotStatus>('available', 'available', 'available', 'quarantined', 'recalled', 'expired'),
    }),
  ],
  [2, fc.record({ t: fc.constant('retry' as const), pick: fc.nat(), mutate: fc.boolean() })],
);

// ---- The model: what the ledger should hold, written independently of the core.

type Action = 'receive' | 'issue' | 'transfer' | 'return' | 'consume' | 'adjust' | 'reverse';
const actions: Record<
  Action,
  (args: { ctx: Context; input: unknown }) => Promise<{ movements: MovementView[]; replayed: boolean }>
> = {
  receive: receiveGoods,
  issue: issueStock,
  transfer: transferStock,
  return: returnStock,
  consume: recordConsumption,
  adjust: adjustStock,
  reverse: reverseMovement,
};
const kinds: Record<Exclude<Action, 'receive' | 'adjust' | 'reverse'>, MovementKind> = {
  issue: 'issue',
  transfer: 'transfer',
  return: 'return',
  consume: 'consumption',
};

interface LotState {
  id: string;
  itemId: string;
  code: string;
  expiry: string | null;
  status: LotStatus;
}
interface MovementState {
  id: number;
  kind: MovementKind;
  lotId: string;
  quantity: number;
  from: string | null;
  to: string | null;
  reversed: boolean;
}
/** A movement the model expects, in the order the action posts it (`lotId` null: a lot the receipt creates). */
interface Draft {
  kind: MovementKind;
  itemId: string;
  lotId: string | null;
  quantity: number;
  fromLocationId: string | null;
  toLocationId: string | null;
}
type Prediction = { ok: true; drafts: Draft[] } | { ok: false; causes: Set<string> };

const fail = (...causes: string[]): Prediction => ({ ok: false, causes: new Set(causes) });

class Model {
  lots = new Map<string, LotState>(); // by `${itemId}|${lotCode}`
  lotsById = new Map<string, LotState>();
  balances = new Map<string, number>(); // by `${locationId}|${lotId}`
  movements = new Map<number, MovementState>();
  movementIds: number[] = [];
  keys = new Map<string, { payload: string; result: unknown }>(); // idempotency key → the request it answered
  successes = 0;

  balance(locationId: string, lotId: string) {
    return this.balances.get(`${locationId}|${lotId}`) ?? 0;
  }

  /** A lot's status as staff see it: an available lot past its expiry is expired. */
  seen(lot: LotState): LotStatus {
    return lot.status === 'available' && lot.expiry !== null && lot.expiry < today ? 'expired' : lot.status;
  }

  predict(action: Action, input: any): Prediction {
    switch (action) {
      case 'receive':
        return this.predictReceipt(input);
      case 'consume':
        return this.predictTake('consumption', input.locationId, null, input.lines, true);
      case 'issue':
      case 'transfer':
      case 'return':
        if (input.fromLocationId === input.toLocationId) return fail('validation/same_location');
        return this.predictTake(
          kinds[action],
          input.fromLocationId,
          input.toLocationId,
          input.lines,
          action !== 'return',
        );
      case 'adjust': {
        const lot = this.lotsById.get(input.lotId);
        if (!lot) return fail('not_found/not_found');
        const delta = input.countedQuantity - this.balance(input.locationId, lot.id);
        if (delta === 0) return { ok: true, drafts: [] };
        return {
          ok: true,
          drafts: [
            {
              kind: 'adjustment',
              itemId: lot.itemId,
              lotId: lot.id,
              quantity: Math.abs(delta),
              fromLocationId: delta < 0 ? input.locationId : null,
              toLocationId: delta > 0 ? input.locationId : null,
            },
          ],
        };
      }
      case 'reverse': {
        const original = this.movements.get(input.movementId);
        if (!original) return fail('not_found/not_found');
        if (original.kind === 'reversal') return fail('precondition_failed/cannot_reverse_reversal');
        if (original.reversed) return fail('conflict/already_reversed');
        if (original.to && this.balance(original.to, original.lotId) < original.quantity)
          return fail('conflict/insufficient_stock');
        const itemId = this.lotsById.get(original.lotId)!.itemId;
        return {
          ok: true,
          drafts: [
            {
              kind: 'reversal',
              itemId,
              lotId: original.lotId,
              quantity: original.quantity,
              fromLocationId: original.to,
              toLocationId: original.from,
            },
          ],
        };
      }
    }
  }

  predictReceipt(input: {
    locationId: string;
    lines: Array<{ itemId: string; lotCode: string; expiry?: string; quantity: number }>;
  }): Prediction {
    const known = new Map(
      [...this.lots].map(([k, v]) => [k, { expiry: v.expiry, status: v.status, id: v.id as string | null }]),
    );
    const causes = new Set<string>();
    const drafts: Draft[] = [];
    for (const l of input.lines) {
      const k = `${l.itemId}|${l.lotCode}`;
      const existing = known.get(k);
      if (existing?.expiry && l.expiry && existing.expiry !== l.expiry) causes.add('validation/lot_item_mismatch');
      else if (existing?.status === 'recalled') causes.add('precondition_failed/lot_unavailable');
      else if (!existing) known.set(k, { expiry: l.expiry ?? null, status: 'available', id: null });
      drafts.push({
        kind: 'receipt',
        itemId: l.itemId,
        lotId: existing?.id ?? null,
        quantity: l.quantity,
        fromLocationId: null,
        toLocationId: input.locationId,
      });
    }
    return causes.size ? { ok: false, causes } : { ok: true, drafts };
  }

  /** Stock leaving `from`, line by line: the named lot, or FEFO over the item's lots there. */
  predictTake(
    kind: MovementKind,
    from: string,
    to: string | null,
    lines: Array<{ itemId: string; lotId?: string; quantity: number }>,
    requireUsable: boolean,
  ): Prediction {
    const causes = new Set<string>();
    const taken = new Map<string, number>();
    const drafts: Draft[] = [];
    const take = (lot: LotState, quantity: number) => {
      taken.set(lot.id, (taken.get(lot.id) ?? 0) + quantity);
      drafts.push({ kind, itemId: lot.itemId, lotId: lot.id, quantity, fromLocationId: from, toLocationId: to });
    };
    for (const l of lines) {
      if (l.lotId) {
        const lot = this.lotsById.get(l.lotId);
        if (!lot) causes.add('not_found/not_found');
        else {
          const status = this.seen(lot);
          if (requireUsable && status !== 'available')
            causes.add(
              status === 'expired' && lot.expiry !== null && lot.expiry < today
                ? 'precondition_failed/lot_expired'
                : 'precondition_failed/lot_unavailable',
            );
          take(lot, l.quantity);
        }
        continue;
      }
      const fefo = [...this.lotsById.values()]
        .filter(
          (lot) =>
            lot.itemId === l.itemId &&
            this.balance(from, lot.id) > 0 &&
            (!requireUsable || this.seen(lot) === 'available'),
        )
        .sort((a, b) =>
          (a.expiry ?? '9999-12-31') < (b.expiry ?? '9999-12-31')
            ? -1
            : (a.expiry ?? '9999-12-31') > (b.expiry ?? '9999-12-31')
              ? 1
              : a.code < b.code
                ? -1
                : 1,
        );
      let remaining = l.quantity;
      for (const lot of fefo) {
        const free = this.balance(from, lot.id) - (taken.get(lot.id) ?? 0);
        if (free <= 0 || remaining === 0) continue;
        take(lot, Math.min(free, remaining));
        remaining -= Math.min(free, remaining);
      }
      if (remaining > 0) causes.add('conflict/insufficient_stock');
    }
    if (causes.size) return { ok: false, causes };
    for (const [lotId, quantity] of taken)
      if (quantity > this.balance(from, lotId)) return fail('conflict/insufficient_stock');
    return { ok: true, drafts };
  }

  /** Applies a successful write's movements, learning the ids of the lots a receipt created. */
  apply(action: Action, input: any, posted: MovementView[]) {
    posted.forEach((m, i) => {
      if (action === 'receive') {
        const l = input.lines[i];
        const k = `${m.itemId}|${l.lotCode}`;
        const known = this.lots.get(k);
        if (known) expect(m.lotId, `receipt line ${i} reuses lot ${l.lotCode}`).toBe(known.id);
        else {
          expect(this.lotsById.has(m.lotId), `receipt line ${i} creates a new lot`).toBe(false);
          const lot: LotState = {
            id: m.lotId,
            itemId: m.itemId,
            code: l.lotCode,
            expiry: l.expiry ?? null,
            status: 'available',
          };
          this.lots.set(k, lot);
          this.lotsById.set(lot.id, lot);
        }
      }
      if (m.fromLocationId)
        this.balances.set(`${m.fromLocationId}|${m.lotId}`, this.balance(m.fromLocationId, m.lotId) - m.quantity);
      if (m.toLocationId)
        this.balances.set(`${m.toLocationId}|${m.lotId}`, this.balance(m.toLocationId, m.lotId) + m.quantity);
      if (m.reversesId) this.movements.get(m.reversesId)!.reversed = true;
      this.movements.set(m.id, {
        id: m.id,
        kind: m.kind,
        lotId: m.lotId,
        quantity: m.quantity,
        from: m.fromLocationId,
        to: m.toLocationId,
        reversed: false,
      });
      this.movementIds.push(m.id);
    });
    this.successes++;
  }
}

// ---- One run: a fresh organisation, the generated operations through the real actions, then the checks.

interface Stats {
  ops: number;
  ok: Record<string, number>;
  failed: Record<string, number>;
  replays: number;
}

async function runOperations(t: TestDatabase, run: string, ops: Op[], stats: Stats) {
  const h: Hospital = await buildHospital(t.db, run);
  const ctx = contextFor(t.db, h.actors.admin);
  const places = [h.warehouse.id, h.pharmacy.id, h.cardioStore.id, h.cabinet.id, h.surgery.id, h.home.id];
  const itemIds = [h.gloves.id, h.syringe.id];
  const model = new Model();
  const keyed: Array<{ action: Action; input: Record<string, unknown> }> = [];
  const lotId = (item: number, lot: number) => model.lots.get(`${itemIds[item]}|${lotCodes[lot]}`)?.id ?? missingId;
  const takeLines = (ls: Line[]) =>
    ls.map((l) => ({
      itemId: itemIds[l.item]!,
      quantity: l.qty,
      ...(l.lot === null ? {} : { lotId: lotId(l.item, l.lot) }),
    }));
  const auditBefore = await count(t, auditLog, eq(auditLog.organisationId, h.org.id));

  /** Turns a generated operation into an action and its input, with ids of this run. */
  const build = (
    o: Exclude<Op, { t: 'status' | 'retry' }>,
    i: number,
  ): { action: Action; input: Record<string, unknown> } => {
    const idempotencyKey = o.key ? { idempotencyKey: `${run}-${i}` } : {};
    switch (o.t) {
      case 'receive':
        return {
          action: 'receive',
          input: {
            locationId: places[o.loc],
            ...idempotencyKey,
            lines: o.lines.map((l) => {
              const expiry = l.odd ? otherExpiry : usualExpiry[l.lot];
              return {
                itemId: itemIds[l.item],
                lotCode: lotCodes[l.lot],
                quantity: l.qty,
                ...(expiry ? { expiry } : {}),
              };
            }),
          },
        };
      case 'issue':
      case 'transfer':
      case 'return':
        return {
          action: o.t,
          input: {
            fromLocationId: places[o.from],
            toLocationId: places[(o.from + o.shift) % places.length],
            lines: takeLines(o.lines),
            reason: 'prova',
            ...idempotencyKey,
          },
        };
      case 'consume':
        return {
          action: 'consume',
          input: { locationId: places[o.loc], lines: takeLines(o.lines), ...idempotencyKey },
        };
      case 'adjust':
        return {
          action: 'adjust',
          input: {
            locationId: places[o.loc],
            lotId: lotId(o.item, o.lot),
            countedQuantity: o.count,
            reason: 'conta',
            ...idempotencyKey,
          },
        };
      case 'reverse': {
        const movementId = model.movementIds.length ? model.movementIds[o.pick % model.movementIds.length]! : 2 ** 40;
        return { action: 'reverse', input: { movementId, reason: 'storno', ...idempotencyKey } };
      }
    }
  };

  for (const [i, o] of ops.entries()) {
    if (o.t === 'status') {
      const lot = model.lots.get(`${itemIds[o.item]}|${lotCodes[o.lot]}`);
      if (lot) {
        await setLotStatus(t.db, lot.id, o.status);
        lot.status = o.status;
      }
      continue;
    }
    let action: Action;
    let input: Record<string, unknown>;
    let replay: unknown;
    if (o.t === 'retry') {
      if (!keyed.length) continue;
      ({ action, input } = keyed[o.pick % keyed.length]!);
      if (o.mutate)
        input = action === 'receive' ? { ...input, documentId: `altro-${i}` } : { ...input, reason: `altro ${i}` };
      const stored = model.keys.get(input.idempotencyKey as string);
      if (stored) replay = stored.payload === stableJson(input) ? stored.result : 'mismatch';
    } else {
      ({ action, input } = build(o, i));
      if (input.idempotencyKey) keyed.push({ action, input });
    }
    const label = `op #${i} ${action} ${JSON.stringify(input)}`;
    const prediction: Prediction =
      replay === 'mismatch'
        ? fail('conflict/idempotency_mismatch')
        : replay !== undefined
          ? { ok: true, drafts: [] }
          : model.predict(action, input);
    let result: Awaited<ReturnType<(typeof actions)[Action]>> | undefined;
    let error: unknown;
    try {
      result = await actions[action]({ ctx, input });
    } catch (e) {
      error = e;
    }
    stats.ops++;
    if (!prediction.ok) {
      const cause = error instanceof DomainError ? `${error.code}/${error.key}` : String(error);
      expect([...prediction.causes], `${label} should fail`).toContain(cause);
      stats.failed[cause] = (stats.failed[cause] ?? 0) + 1;
      continue;
    }
    if (error) throw new Error(`${label} should succeed but failed: ${String(error)}`);
    if (replay !== undefined) {
      expect(result, `${label} replays`).toEqual({ ...(replay as object), replayed: true });
      stats.replays++;
      continue;
    }
    expect(result!.replayed, label).toBe(false);
    const shape = (m: Draft | MovementView) => ({
      kind: m.kind,
      itemId: m.itemId,
      quantity: m.quantity,
      fromLocationId: m.fromLocationId,
      toLocationId: m.toLocationId,
    });
    expect(result!.movements.map(shape), label).toEqual(prediction.drafts.map(shape));
    for (const [j, d] of prediction.drafts.entries())
      if (d.lotId) expect(result!.movements[j]!.lotId, `${label} line ${j} lot`).toBe(d.lotId);
    if (action === 'reverse') expect(result!.movements[0]!.reversesId, label).toBe(input.movementId);
    model.apply(action, input, result!.movements);
    if (input.idempotencyKey) {
      const { replayed: _, ...stored } = result!;
      model.keys.set(input.idempotencyKey as string, { payload: stableJson(input), result: stored });
    }
    stats.ok[action] = (stats.ok[action] ?? 0) + 1;
    if (i % 100 === 99) await verify(t, h, model, auditBefore, `after op #${i}`);
  }
  await verify(t, h, model, auditBefore, 'at the end');
}

const count = async (
  t: TestDatabase,
  table: typeof movements | typeof auditLog | typeof lots | typeof idempotencyKeys,
  where: SQL,
) => (await t.db.select({ n: sql<number>`count(*)::int` }).from(table).where(where))[0]!.n;

/** The database agrees with the ledger and with the model: balances, movements, audit rows, lots and keys. */
async function verify(t: TestDatabase, h: Hospital, model: Model, auditBefore: number, when: string) {
  expect(await ledgerMismatches(t.db), `balances equal the ledger ${when}`).toEqual([]);
  expect(await negativeBalances(t.db), `no negative balance ${when}`).toEqual([]);
  const balances = await t.db
    .select({ locationId: stockBalances.locationId, lotId: stockBalances.lotId, quantity: stockBalances.quantity })
    .from(stockBalances)
    .innerJoin(locations, eq(locations.id, stockBalances.locationId))
    .where(and(eq(locations.organisationId, h.org.id), ne(stockBalances.quantity, 0)));
  const expected = Object.fromEntries([...model.balances].filter(([, q]) => q !== 0));
  expect(
    Object.fromEntries(balances.map((b) => [`${b.locationId}|${b.lotId}`, b.quantity])),
    `balances match the model ${when}`,
  ).toEqual(expected);
  // Failed operations left no trace: every movement, audit row, lot and key belongs to a success.
  expect(
    {
      movements: await count(t, movements, eq(movements.organisationId, h.org.id)),
      audit: (await count(t, auditLog, eq(auditLog.organisationId, h.org.id))) - auditBefore,
      lots: await count(t, lots, eq(lots.organisationId, h.org.id)),
      keys: await count(t, idempotencyKeys, eq(idempotencyKeys.scope, `user:${h.actors.admin.userId}`)),
    },
    `nothing but successes was written ${when}`,
  ).toEqual({
    movements: model.movementIds.length,
    audit: model.successes,
    lots: model.lots.size,
    keys: model.keys.size,
  });
}

describe.each(drivers)('ledger properties on %s', (driver) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase(driver);
  });
  afterAll(() => t.close());

  // PGlite runs every query on one thread; PostgreSQL is faster per operation but runs beside it in CI.
  const plan = driver === 'pglite' ? { runs: 10, ops: 250 } : { runs: 8, ops: 250 };

  it(`keeps every balance equal to its ledger over ${plan.runs} × ${plan.ops} random operations`, async () => {
    const stats: Stats = { ops: 0, ok: {}, failed: {}, replays: 0 };
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: plan.ops, maxLength: plan.ops }), async (ops) => {
        await runOperations(t, `PROP${run++}`, ops, stats);
      }),
      {
        numRuns: plan.runs,
        // No shrinking (a run takes seconds); report the seed, the run and the failing operation, not 250 ops.
        endOnFailure: true,
        reporter: (details) => {
          if (details.failed)
            throw new Error(
              `ledger property failed (seed ${details.seed}, path ${details.counterexamplePath}): ${String(details.errorInstance)}`,
            );
        },
      },
    );
    // The generator must exercise every action, their failures for lack of stock, and replays.
    expect(Object.keys(stats.ok).sort()).toEqual([
      'adjust',
      'consume',
      'issue',
      'receive',
      'return',
      'reverse',
      'transfer',
    ]);
    expect(stats.failed['conflict/insufficient_stock'] ?? 0).toBeGreaterThan(plan.runs * 5);
    expect(stats.replays).toBeGreaterThan(0);
    expect(stats.ops).toBeGreaterThan(plan.runs * plan.ops * 0.8);
  }, 240_000);
});
