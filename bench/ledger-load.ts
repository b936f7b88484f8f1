/**
 * Benchmark loader: a realistic hospital ledger written straight into a fresh, migrated database with
 * set-based SQL. Master data goes in with plain inserts (it is small); the ledger is generated in chunks
 * of "supply chains" into an unlogged staging table, numbered in time order, then appended to
 * `movements` in id order; `stock_balances` is derived from the ledger in one `insert … select … group by`.
 *
 * A supply chain (a "block") is one receipt of a lot into the warehouse (or the pharmacy for drugs),
 * issued to the stores of three wards, each store transferring twice to a cabinet (or a patient's home
 * for the home-care wards), each transfer consumed three times; some chains also carry an inventory
 * adjustment (shortage or surplus) and the reversal of a consumption. Every quantity is derived bottom up
 * (a transfer is the sum of its consumptions plus a leftover, an issue the sum of its transfers plus a
 * leftover, a receipt the sum of its issues plus a leftover) and every outflow happens after the inflow
 * it draws on, so no balance is ever negative, at any point in time. Leftovers are common in recent chains
 * and rare in old ones, as in a ledger where old stock has mostly been used up.
 *
 * Everything is deterministic (hashes of the position, not random()): both drivers get the same data.
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';

export const shape = {
  wards: 30,
  /** The last `homeCareWards` wards are home-care teams: one cabinet plus `homesPerTeam` patients' homes. */
  homeCareWards: 4,
  homesPerTeam: 50,
  cabinetsPerWard: 2,
  items: 2_000,
  lots: 20_000,
  categories: 20,
  suppliers: 50,
  /** Days of history; chains start in the first `days - chainDays` days and finish within `chainDays`. */
  days: 730,
  chainDays: 50,
  /** Chains started in the last `recentDays` of the window still hold stock at every step. */
  recentDays: 60,
} as const;

/** Location numbering used by the generator (`bench_uid('loc', n)`). */
const loc = {
  warehouse: 0,
  pharmacy: 1,
  ward: (w: number | string) => `(100 + ${w})`,
  store: (w: number | string) => `(200 + ${w})`,
  cabinet: (w: number | string, c: number | string) => `(300 + 2 * ${w} + ${c})`,
  home: (h: number | string) => `(1000 + ${h})`,
};

/** Movements in chain `b`: 28 always, plus an optional shortage, surplus and reversal. */
export function chainSize(b: number): number {
  return 28 + (b % 40 === 3 ? 1 : 0) + (b % 40 === 23 ? 1 : 0) + (b % 50 === 7 ? 1 : 0);
}

/** How many whole chains fit in `n` movements; the rest are single surplus adjustments into the warehouse. */
export function planChains(n: number): { chains: number; extra: number } {
  let total = 0;
  let b = 0;
  while (total + chainSize(b) <= n) total += chainSize(b++);
  return { chains: b, extra: n - total };
}

export interface LoadOptions {
  movements: number;
  /** Chains generated per staging statement. */
  chainChunk?: number;
  /** Movements appended per ledger statement. */
  ledgerChunk?: number;
  log?: (line: string) => void;
}

export interface LoadResult {
  organisationId: string;
  totalMs: number;
  phases: Record<string, number>;
  counts: {
    locations: number;
    items: number;
    lots: number;
    movements: number;
    balances: number;
    positiveBalances: number;
  };
  byKind: Record<string, number>;
  verify: { balances: number; mismatches: number; negatives: number; ledgerUnits: number; balanceUnits: number };
}

type Row = Record<string, unknown>;

/** Rows of a raw statement, whichever the driver (postgres.js returns an array, PGlite `{ rows }`). */
export async function query<T extends Row = Row>(db: Database, text: string): Promise<T[]> {
  const result = (await db.execute(sql.raw(text))) as unknown as { rows?: T[] } | T[];
  return Array.isArray(result) ? result : (result.rows ?? []);
}

/** Runs statements in one transaction with a larger `work_mem` for the sorts and hash aggregates of the load. */
async function inTransaction(db: Database, statements: string[]): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.execute(sql.raw(`set local work_mem = '256MB'`));
    await tx.execute(sql.raw(`set local maintenance_work_mem = '256MB'`));
    for (const s of statements) await tx.execute(sql.raw(s));
  });
}

const functions = [
  // A non-negative 63-bit hash of an integer: our deterministic "random".
  `create function bench_h(x bigint) returns bigint language sql immutable parallel safe return abs(hashint8(x)::bigint)`,
  // A well-formed version-4 UUID derived from a tag and a number (zod's z.uuid() checks version and variant).
  `create function bench_uid(tag text, n bigint) returns uuid language sql immutable parallel safe
     return overlay(overlay(md5(tag || ':' || n::text) placing '4' from 13) placing '8' from 17)::uuid`,
];

function masterData(start: string): string[] {
  const { wards, homeCareWards, homesPerTeam, cabinetsPerWard, items, lots, categories, suppliers } = shape;
  const org = `bench_uid('org', 0)`;
  const regular = wards - homeCareWards;
  const wardPath = (w: string) => `'/' || bench_uid('loc', ${loc.ward(w)}) || '/'`;
  const storePath = (w: string) => `${wardPath(w)} || bench_uid('loc', ${loc.store(w)}) || '/'`;
  return [
    `insert into organisations (id, code, name, kind) values (${org}, 'BENCH', 'Azienda Ospedaliera Benchmark', 'hospital_trust')`,
    `insert into locations (id, organisation_id, parent_id, path, kind, code, name, name_en) values
       (bench_uid('loc', ${loc.warehouse}), ${org}, null, '/' || bench_uid('loc', ${loc.warehouse}) || '/', 'warehouse', 'MAG', 'Magazzino Generale', 'General warehouse'),
       (bench_uid('loc', ${loc.pharmacy}), ${org}, null, '/' || bench_uid('loc', ${loc.pharmacy}) || '/', 'pharmacy', 'FARM', 'Farmacia Ospedaliera', 'Hospital pharmacy')`,
    `insert into locations (id, organisation_id, parent_id, path, kind, code, name)
       select bench_uid('loc', ${loc.ward('w')}), ${org}, null, ${wardPath('w')}, 'ward',
              case when w < ${regular} then 'UO' || lpad(w::text, 2, '0') else 'ADI' || lpad((w - ${regular})::text, 2, '0') end,
              case when w < ${regular} then 'Reparto ' || w else 'Assistenza domiciliare ' || (w - ${regular}) end
       from generate_series(0, ${wards - 1}) w`,
    `insert into locations (id, organisation_id, parent_id, path, kind, code, name)
       select bench_uid('loc', ${loc.store('w')}), ${org}, bench_uid('loc', ${loc.ward('w')}), ${storePath('w')}, 'ward_store',
              l.code || '-MR', 'Magazzino di reparto ' || l.code
       from generate_series(0, ${wards - 1}) w join locations l on l.id = bench_uid('loc', ${loc.ward('w')})`,
    `insert into locations (id, organisation_id, parent_id, path, kind, code, name)
       select bench_uid('loc', ${loc.cabinet('w', 'c')}), ${org}, bench_uid('loc', ${loc.store('w')}),
              ${storePath('w')} || bench_uid('loc', ${loc.cabinet('w', 'c')}) || '/', 'cabinet',
              l.code || '-ARM' || (c + 1), 'Armadio ' || (c + 1) || ' ' || l.code
       from generate_series(0, ${wards - 1}) w cross join generate_series(0, ${cabinetsPerWard - 1}) c
       join locations l on l.id = bench_uid('loc', ${loc.ward('w')})
       where w < ${regular} or c = 0`,
    `insert into locations (id, organisation_id, parent_id, path, kind, code, name, patient_code)
       select bench_uid('loc', ${loc.home('h')}), ${org}, bench_uid('loc', ${loc.ward(`${regular} + h / ${homesPerTeam}`)}),
              ${wardPath(`${regular} + h / ${homesPerTeam}`)} || bench_uid('loc', ${loc.home('h')}) || '/', 'home',
              'DOM' || lpad(h::text, 4, '0'), 'Domicilio paziente ' || lpad(h::text, 4, '0'), 'PZ-' || lpad(h::text, 5, '0')
       from generate_series(0, ${homeCareWards * homesPerTeam - 1}) h`,
    `insert into procurement_sections (id, organisation_id, code, name, fulfilled_from_id)
       values (bench_uid('sec', 0), ${org}, 'MAGAZZINO', 'Magazzino', bench_uid('loc', ${loc.warehouse})),
              (bench_uid('sec', 1), ${org}, 'FARMACIA', 'Farmacia', bench_uid('loc', ${loc.pharmacy}))`,
    `insert into item_categories (id, organisation_id, code, name, section_id)
       select bench_uid('cat', c), ${org}, 'CAT' || lpad(c::text, 2, '0'), 'Categoria ' || c, bench_uid('sec', case when c % 3 = 0 then 1 else 0 end)
       from generate_series(0, ${categories - 1}) c`,
    `insert into suppliers (id, organisation_id, code, name, vat_number, lead_time_days)
       select bench_uid('sup', s), ${org}, 'FOR' || lpad(s::text, 3, '0'), 'Fornitore ' || s, lpad((10000000000 + s * 7919)::text, 11, '0'), 2 + s % 12
       from generate_series(0, ${suppliers - 1}) s`,
    // Items with i % 3 = 0 are drugs (received by the pharmacy, category in the pharmacy's section).
    `insert into items (id, organisation_id, code, name, name_en, category_id, unit, pack_size, gtin, reference_price, search_text)
       select bench_uid('item', i), ${org}, 'ART' || lpad(i::text, 5, '0'),
              case when i % 3 = 0 then 'Farmaco ' else 'Dispositivo ' end || i, case when i % 3 = 0 then 'Drug ' else 'Device ' end || i,
              bench_uid('cat', case when i % 3 = 0 then 3 * (i / 3 % 7) else 3 * (i % 13 / 2) + 1 + i % 13 % 2 end),
              case when i % 3 = 0 then 'cpr' else 'pz' end, 1 + (i % 4) * 5, '80' || lpad(i::text, 12, '0'),
              round((0.05 + bench_h(i * 16 + 1) % 20000 / 100.0)::numeric, 4),
              lower('ART' || lpad(i::text, 5, '0') || ' ' || case when i % 3 = 0 then 'farmaco drug ' else 'dispositivo device ' end || i)
       from generate_series(0, ${items - 1}) i`,
    // Lots: lot l is of item l % items; a few quarantined or recalled; expiries from three months ago to
    // almost three years ahead, so about one lot in eleven has expired (and its stock reads as expired).
    `insert into lots (id, organisation_id, item_id, lot_code, expiry, supplier_id, purchase_price, status, status_reason, created_at)
       select bench_uid('lot', l), ${org}, bench_uid('item', l % ${items}), 'L' || lpad(l::text, 6, '0'),
              (${start}::date + (${shape.days - 90} + bench_h(l * 16 + 2) % 1000)::int),
              bench_uid('sup', l % ${suppliers}), round((0.05 + bench_h(l % ${items} * 16 + 1) % 20000 / 100.0)::numeric, 4),
              case when l % 200 = 17 then 'quarantined' when l % 500 = 33 then 'recalled' else 'available' end,
              case when l % 200 = 17 then 'benchmark: quarantined' when l % 500 = 33 then 'benchmark: recalled' end,
              ${start}
       from generate_series(0, ${lots - 1}) l`,
  ];
}

/** Staging rows for chains [b0, b1): one statement, one CTE per level of the chain. */
function chainsSql(b0: number, b1: number, start: string): string {
  const { wards, homeCareWards, homesPerTeam, items, lots, days, chainDays, recentDays } = shape;
  const regular = wards - homeCareWards;
  const spanSec = (days - chainDays) * 86_400;
  const recentSec = (days - chainDays - recentDays) * 86_400;
  // Hash of position `pos` of chain b with a salt: every value of a movement comes from its own hashes.
  const h = (pos: string, salt: number) => `bench_h((b * 32 + ${pos}) * 16 + ${salt})`;
  const leftover = (pos: string, recentMod: number, oldPct: number, oldMod: number) =>
    `(case when recent then ${h(pos, 1)} % ${recentMod} when ${h(pos, 2)} % 100 < ${oldPct} then 1 + ${h(pos, 1)} % ${oldMod} else 0 end)::int`;
  const sec = (expr: string) => `(${expr}) * interval '1 second'`;
  return `
insert into bench_stage (key, rev_key, kind, lot, qty, from_loc, to_loc, doc_type, doc_id, reason, channel, occurred_at)
with blk as materialized (
  select b, lot, case when lot % ${items} % 3 = 0 then ${loc.pharmacy} else ${loc.warehouse} end as src,
         ${h('0', 3)} % ${wards} as w0,
         ${start}::timestamptz + ${sec(`${h('0', 4)} % ${spanSec}`)} as t0,
         ${h('0', 4)} % ${spanSec} >= ${recentSec} as recent
  from (select b, case when b < ${lots} then b::int
                       else least(${lots - 1}, floor(${lots} * power(${h('0', 5)} % 1000000 / 1000000.0, 2)))::int end as lot
        from generate_series(${b0}::bigint, ${b1 - 1}::bigint) b) s
),
rcp as materialized (select blk.*, ${leftover('0', 20, 10, 10)} as lr from blk),
iss as materialized (
  select blk.b, blk.lot, blk.src, blk.recent, j, 1 + j as pos, (w0 + j * 11) % ${wards} as w,
         t0 + ${sec(`43200 + ${h('1 + j', 3)} % 302400`)} as ti,
         ${leftover('1 + j', 10, 5, 5)} + (case when j = 0 and b % 40 = 3 then 1 + ${h('28', 3)} % 3 else 0 end)::int as ls,
         (case when j = 0 and b % 40 = 3 then 1 + ${h('28', 3)} % 3 else 0 end)::int as shortage
  from blk cross join generate_series(0, 2) j
),
trf as materialized (
  select iss.b, iss.lot, iss.recent, iss.j, iss.w, k, 4 + 2 * iss.j + k as pos,
         case when iss.w < ${regular} then ${loc.cabinet('iss.w', 'k')}
              when k = 0 then ${loc.cabinet('iss.w', '0')}
              else ${loc.home(`(iss.w - ${regular}) * ${homesPerTeam} + ${h('4 + 2 * iss.j + k', 3)} % ${homesPerTeam}`)} end as dest,
         iss.ti + ${sec(`7200 + ${h('4 + 2 * iss.j + k', 4)} % 252000`)} as tt,
         ${leftover('4 + 2 * iss.j + k', 6, 4, 3)} as lt
  from iss cross join generate_series(0, 1) k
),
con as materialized (
  select trf.b, trf.lot, trf.j, trf.k, trf.dest, l, 10 + 6 * trf.j + 3 * trf.k + l as pos,
         (1 + ${h('10 + 6 * trf.j + 3 * trf.k + l', 3)} % 5)::int as q,
         trf.tt + ${sec(`3600 + ${h('10 + 6 * trf.j + 3 * trf.k + l', 4)} % 2592000`)} as tc
  from trf cross join generate_series(0, 2) l
),
trq as materialized (select trf.*, lt + s.q as q from trf join (select b, j, k, sum(q)::int as q from con group by b, j, k) s using (b, j, k)),
isq as materialized (select iss.*, ls + s.q as q from iss join (select b, j, sum(q)::int as q from trq group by b, j) s using (b, j)),
rcq as (select rcp.*, lr + s.q as q from rcp join (select b, sum(q)::int as q from isq group by b) s using (b))
select b * 32, null::bigint, 'receipt', lot, q, null::int, src, 'delivery_note', 'DDT-' || b, null, 'http', t0 from rcq
union all
select b * 32 + pos, null, 'issue', lot, q, src, ${loc.store('w')}, 'issue_note', 'BS-' || b || '-' || j, null, 'http', ti from isq
union all
select b * 32 + pos, null, 'transfer', lot, q, ${loc.store('w')}, dest, null, null, null, 'http', tt from trq
union all
select b * 32 + pos, null, 'consumption', lot, q, dest, null, null, null, null, case when dest < 1000 then 'mqtt' else 'http' end, tc from con
union all
select b * 32 + 28, null, 'adjustment', lot, shortage, ${loc.store('w')}, null, 'inventory', 'INV-' || b, 'inventory count: shortage', 'http',
       ti + interval '25 days' from isq where j = 0 and b % 40 = 3
union all
select b * 32 + 29, null, 'adjustment', lot, (1 + ${h('29', 3)} % 4)::int, null, ${loc.store('w')}, 'inventory', 'INV-' || b, 'inventory count: surplus', 'http',
       ti + interval '20 days' from isq where j = 1 and b % 40 = 23
union all
select b * 32 + 30, b * 32 + pos, 'reversal', lot, q, null, dest, null, null, 'recorded on the wrong patient', 'http',
       tc + interval '2 hours' from con where pos = 10 and b % 50 = 7`;
}

/** Single surplus adjustments into the warehouse that make the ledger exactly `n` movements long. */
function extraSql(chains: number, extra: number, start: string): string {
  return `
insert into bench_stage (key, rev_key, kind, lot, qty, from_loc, to_loc, doc_type, doc_id, reason, channel, occurred_at)
select ${chains}::bigint * 32 + r, null, 'adjustment', (r * 7919) % ${shape.lots}, 1, null, ${loc.warehouse}, 'inventory', 'INV-X' || r,
       'inventory count: surplus', 'http', ${start}::timestamptz + (r * 86400 + bench_h(r * 16 + 9) % 86400) * interval '1 second'
from generate_series(0, ${extra - 1}) r`;
}

/**
 * Runs `fn` with the table's secondary indexes and foreign keys dropped, then recreates them from their
 * own catalogue definitions (so they are exactly the migration's): the usual way to bulk-load a table.
 * The primary key and check constraints stay. Returns the time spent rebuilding.
 */
async function withoutIndexes(db: Database, table: string, fn: () => Promise<void>): Promise<number> {
  const defs = await query<{ kind: string; name: string; def: string }>(
    db,
    `
    select 'fk' as kind, conname as name, pg_get_constraintdef(oid) as def
      from pg_constraint where conrelid = '${table}'::regclass and contype = 'f'
    union all
    select 'index', c.relname, pg_get_indexdef(i.indexrelid)
      from pg_index i join pg_class c on c.oid = i.indexrelid
      where i.indrelid = '${table}'::regclass and not i.indisprimary
    order by 1, 2`,
  );
  for (const d of defs.filter((x) => x.kind === 'fk'))
    await query(db, `alter table ${table} drop constraint "${d.name}"`);
  for (const d of defs.filter((x) => x.kind === 'index')) await query(db, `drop index "${d.name}"`);
  await fn();
  const t = performance.now();
  await inTransaction(db, [
    ...defs.filter((x) => x.kind === 'index').map((d) => d.def),
    ...defs.filter((x) => x.kind === 'fk').map((d) => `alter table ${table} add constraint "${d.name}" ${d.def}`),
  ]);
  return performance.now() - t;
}

/** Fills a fresh, migrated database. */
export async function loadLedger(db: Database, options: LoadOptions): Promise<LoadResult> {
  const log = options.log ?? (() => {});
  const chainChunk = options.chainChunk ?? 4_000;
  const ledgerChunk = options.ledgerChunk ?? 100_000;
  const phases: Record<string, number> = {};
  const began = performance.now();
  const phase = async (name: string, fn: () => Promise<void>) => {
    const t = performance.now();
    await fn();
    phases[name] = performance.now() - t;
    log(`  ${name.padEnd(22)} ${(phases[name] / 1000).toFixed(1).padStart(7)} s`);
  };

  // The window ends yesterday at midnight UTC (a round, reproducible start within a day).
  const end = new Date();
  end.setUTCHours(0, 0, 0, 0);
  const startDate = new Date(end.getTime() - shape.days * 86_400_000);
  const start = `'${startDate.toISOString()}'::timestamptz`;
  const { chains, extra } = planChains(options.movements);

  await phase('master data', async () => {
    for (const s of functions) await query(db, s);
    for (const s of masterData(start)) await query(db, s);
  });

  await phase('generate (staging)', async () => {
    await query(
      db,
      `create unlogged table bench_stage (
      key bigint not null, rev_key bigint, kind text not null, lot int not null, qty int not null, from_loc int, to_loc int,
      doc_type text, doc_id text, reason text, channel text not null, occurred_at timestamptz not null)`,
    );
    for (let b0 = 0; b0 < chains; b0 += chainChunk) {
      await inTransaction(db, [chainsSql(b0, Math.min(chains, b0 + chainChunk), start)]);
    }
    if (extra > 0) await query(db, extraSql(chains, extra, start));
    // Ids in time order, as a ledger appended as things happen would have them.
    await inTransaction(db, [
      `create unlogged table bench_sorted as
         select row_number() over (order by occurred_at, key) as id, s.* from bench_stage s order by occurred_at, key`,
      `create index bench_sorted_id_ix on bench_sorted (id)`,
      `create index bench_sorted_key_ix on bench_sorted (key)`,
      `analyze bench_sorted`,
    ]);
  });

  const [{ n: staged } = { n: 0 }] = await query<{ n: number }>(db, `select count(*)::int as n from bench_sorted`);
  if (Number(staged) !== options.movements)
    throw new Error(`generator produced ${staged} movements, expected ${options.movements}`);

  await phase('ledger (movements)', async () => {
    const rebuild = await withoutIndexes(db, 'movements', async () => {
      for (let lo = 1; lo <= options.movements; lo += ledgerChunk) {
        const hi = Math.min(options.movements, lo + ledgerChunk - 1);
        await query(
          db,
          `
          insert into movements (id, organisation_id, kind, reverses_id, item_id, lot_id, quantity, from_location_id, to_location_id,
                                 unit_price, document_type, document_id, reason, actor_id, channel, idempotency_key, occurred_at, recorded_at)
          overriding system value
          select s.id, bench_uid('org', 0), s.kind, r.id, bench_uid('item', s.lot % ${shape.items}), bench_uid('lot', s.lot), s.qty,
                 case when s.from_loc is null then null else bench_uid('loc', s.from_loc) end,
                 case when s.to_loc is null then null else bench_uid('loc', s.to_loc) end,
                 case when s.kind = 'receipt' then round((0.05 + bench_h(s.lot % ${shape.items} * 16 + 1) % 20000 / 100.0)::numeric, 4) end,
                 s.doc_type, s.doc_id, s.reason, null, s.channel, null, s.occurred_at,
                 s.occurred_at + (bench_h(s.key * 16 + 15) % 120) * interval '1 second'
          from bench_sorted s left join bench_sorted r on r.key = s.rev_key
          where s.id between ${lo} and ${hi}
          order by s.id`,
        );
        log(`    movements ${hi.toLocaleString('en-US')} / ${options.movements.toLocaleString('en-US')}`);
      }
    });
    log(`    indexes and foreign keys rebuilt in ${(rebuild / 1000).toFixed(1)} s`);
    await query(db, `select setval(pg_get_serial_sequence('movements', 'id'), (select max(id) from movements))`);
  });

  await phase('balances (derive)', async () => {
    await withoutIndexes(db, 'stock_balances', () =>
      inTransaction(db, [
        `insert into stock_balances (location_id, lot_id, item_id, quantity, updated_at)
         select v.location_id, m.lot_id, m.item_id, sum(v.delta)::int, max(m.recorded_at)
         from movements m
         cross join lateral (values (m.to_location_id, m.quantity), (m.from_location_id, -m.quantity)) v(location_id, delta)
         where v.location_id is not null
         group by v.location_id, m.lot_id, m.item_id`,
      ]),
    );
  });

  let verify!: LoadResult['verify'];
  await phase('verify', async () => {
    // One query: every balance equals the signed sum of the ledger for its (location, lot), both ways
    // round (no balance without movements, no movements without a balance), and none is negative.
    const [row] = await query<Row>(
      db,
      `
      with ledger as (
        select v.location_id, m.lot_id, m.item_id, sum(v.delta) as quantity
        from movements m
        cross join lateral (values (m.to_location_id, m.quantity), (m.from_location_id, -m.quantity)) v(location_id, delta)
        where v.location_id is not null
        group by v.location_id, m.lot_id, m.item_id
      )
      select count(*)::int as balances,
             count(*) filter (where b.location_id is null or l.location_id is null or b.quantity <> l.quantity or b.item_id <> l.item_id)::int as mismatches,
             count(*) filter (where b.quantity < 0 or l.quantity < 0)::int as negatives,
             coalesce(sum(l.quantity), 0)::bigint as ledger_units,
             coalesce(sum(b.quantity), 0)::bigint as balance_units
      from stock_balances b full join ledger l on l.location_id = b.location_id and l.lot_id = b.lot_id`,
    );
    verify = {
      balances: Number(row!.balances),
      mismatches: Number(row!.mismatches),
      negatives: Number(row!.negatives),
      ledgerUnits: Number(row!.ledger_units),
      balanceUnits: Number(row!.balance_units),
    };
  });
  if (verify.mismatches !== 0 || verify.negatives !== 0) {
    throw new Error(`balances do not match the ledger: ${JSON.stringify(verify)}`);
  }

  await phase('cleanup', async () => {
    await query(db, `drop table bench_sorted`);
    await query(db, `drop table bench_stage`);
    await query(db, `drop function bench_uid(text, bigint)`);
    await query(db, `drop function bench_h(bigint)`);
  });

  // VACUUM (ANALYZE): the statistics the planner needs, plus the visibility map autovacuum would write on
  // a live system (and, on PostgreSQL, no autovacuum of the fresh ledger in the middle of the measurement).
  await phase('vacuum analyze', async () => {
    await query(db, `vacuum (analyze)`);
  });

  const totalMs = performance.now() - began;
  const [counts] = await query<Row>(
    db,
    `select
      (select count(*) from locations)::int as locations, (select count(*) from items)::int as items,
      (select count(*) from lots)::int as lots, (select count(*) from movements)::int as movements,
      (select count(*) from stock_balances)::int as balances,
      (select count(*) from stock_balances where quantity > 0)::int as positive`,
  );
  const kinds = await query<{ kind: string; n: number }>(
    db,
    `select kind, count(*)::int as n from movements group by kind order by kind`,
  );
  const [org] = await query<{ id: string }>(db, `select id from organisations where code = 'BENCH'`);
  return {
    organisationId: org!.id,
    totalMs,
    phases,
    counts: {
      locations: Number(counts!.locations),
      items: Number(counts!.items),
      lots: Number(counts!.lots),
      movements: Number(counts!.movements),
      balances: Number(counts!.balances),
      positiveBalances: Number(counts!.positive),
    },
    byKind: Object.fromEntries(kinds.map((k) => [k.kind, Number(k.n)])),
    verify,
  };
}

/**
 * Optional, slower check (`--check-history`): replays the ledger in time order per (location, lot) and
 * counts the moments a running balance would have gone negative. Zero for this generator.
 */
export async function negativeMoments(db: Database): Promise<number> {
  const [row] = await query<{ n: number }>(
    db,
    `
    select count(*)::int as n from (
      select sum(v.delta) over (partition by v.location_id, m.lot_id order by m.occurred_at, m.id) as running
      from movements m
      cross join lateral (values (m.to_location_id, m.quantity), (m.from_location_id, -m.quantity)) v(location_id, delta)
      where v.location_id is not null
    ) x where running < 0`,
  );
  return Number(row!.n);
}
