import { sql } from 'drizzle-orm';
import { createApiToken } from '../api/access/tokens.ts';
import { createApp } from '../app/create-app.ts';
import type { Database } from '../db/client.ts';
import { seededRandom } from '../demo/random.ts';
import { buildHospital, today } from '../test/helpers/fixture.ts';
import { receiveAtWarehouse } from '../test/helpers/stock-moves.ts';

/**
 * The HTTP fuzzer's engine, shared by `npm run fuzz:http` and its test: every write and list endpoint of
 * `/openapi.json` gets bodies (and queries) built from its schema, then broken: wrong types, NUL and lone
 * surrogates, huge strings, deep nesting, bad uuids, dates and cursors, negative and huge numbers, raw
 * malformed JSON. A 5xx is a finding; so is a refused request (4xx) that left a row behind.
 */

type Schema = Record<string, any>;
interface Operation {
  method: string;
  path: string;
  body?: Schema;
  query: Array<{ name: string; schema: Schema }>;
  pathParams: string[];
}
export interface Finding {
  method: string;
  path: string;
  status: number;
  body: string;
  reason: string;
}
export interface FuzzResult {
  seed: number;
  requests: number;
  byStatus: Record<number, number>;
  findings: Finding[];
}
export interface FuzzTarget {
  fetch: (request: Request) => Response | Promise<Response>;
  token: string;
  db: Database;
  /** Real ids to put where a uuid goes, so that bodies reach past validation into the actions. */
  ids: string[];
}

/**
 * A path segment; a lone surrogate cannot be percent-encoded, so it travels as the bytes of an invalid UTF-8 sequence.
 */
const urlPart = (value: string) =>
  encodeURIComponent(value.replace(/[\uD800-\uDFFF]/g, '\uFFFD')).replace(/%EF%BF%BD/g, '%ED%A0%80');

const writeMethods = new Set(['post', 'put', 'patch', 'delete']);

/** The fuzzed operations: every write, and every GET without path parameters (the lists and searches). */
export function operationsOf(document: Schema): Operation[] {
  const ops: Operation[] = [];
  for (const [path, item] of Object.entries<Schema>(document.paths ?? {})) {
    if (!path.startsWith('/v1/')) continue;
    for (const [method, op] of Object.entries<Schema>(item)) {
      const pathParams = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
      if (!writeMethods.has(method) && !(method === 'get' && pathParams.length === 0)) continue;
      const params = [...(item.parameters ?? []), ...(op.parameters ?? [])] as Schema[];
      const query = params
        .filter((p) => p.in === 'query')
        .map((p) => ({ name: p.name as string, schema: (p.schema ?? {}) as Schema }));
      ops.push({
        method: method.toUpperCase(),
        path,
        body: op.requestBody?.content?.['application/json']?.schema,
        query,
        pathParams,
      });
    }
  }
  return ops;
}

/** A fingerprint of every table's row count, in one query: a refused request must leave it unchanged. */
export async function rowCounter(db: Database): Promise<() => Promise<string>> {
  const tables = (await db.execute(
    sql`select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`,
  )) as unknown as { rows?: Array<{ name: string }> } & Array<{ name: string }>;
  const names = (tables.rows ?? tables).map((t) => t.name);
  const query = sql.raw(
    `select ${names.map((n) => `(select count(*) from "${n}")::text`).join(` || ',' || `)} as counts`,
  );
  return async () => {
    const result = (await db.execute(query)) as unknown as { rows?: Array<{ counts: string }> } & Array<{
      counts: string;
    }>;
    return (result.rows ?? result)[0]!.counts;
  };
}

/** Runs `bodies` fuzzed requests against `target` with a fixed seed. */
export async function fuzzHttp(
  target: FuzzTarget,
  options: { seed: number; bodies: number; document: Schema; onProgress?: (done: number) => void },
): Promise<FuzzResult> {
  const random = seededRandom(options.seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const chance = (p: number) => random() < p;
  const components: Schema = options.document.components?.schemas ?? {};
  const resolve = (s: Schema | undefined): Schema =>
    s?.$ref ? resolve(components[String(s.$ref).split('/').pop()!]) : (s ?? {});

  const hostile: Array<() => unknown> = [
    () => 'x\u0000y',
    () => '\uD800',
    () => 'a\uDFFFb',
    () => 'é'.repeat(5000 + Math.floor(random() * 200_000)),
    () => '',
    () => ' ',
    () => -1,
    () => 0,
    () => -1e308,
    () => 1e308,
    () => 2 ** 53 + 1,
    () => 0.5,
    () => -0.000001,
    () => Number.MAX_SAFE_INTEGER,
    () => 'not-a-uuid',
    () => '00000000-0000-0000-0000-000000000000',
    () => crypto.randomUUID(),
    () => '2026-02-30',
    () => '2026-13-01T25:61:00Z',
    () => '0000-00-00',
    () => '9999-12-31T23:59:59Z',
    () => 'eyJ4IjoxfQ',
    () => '%%%',
    () => true,
    () => null,
    () => [],
    () => ({}),
    () => ({ __proto__: { admin: true } }),
    () => [[[[[['deep']]]]]],
    () => 'DROP TABLE movements; --',
    () => '%_\\',
    () => '🧪'.repeat(50),
  ];
  const validString = (s: Schema): string => {
    if (s.enum) return pick(s.enum);
    switch (s.format) {
      case 'uuid':
        return chance(0.85) && target.ids.length ? pick(target.ids) : crypto.randomUUID();
      case 'date':
        return pick(['2026-11-23', '2027-06-30', '2025-01-01', '2028-02-29']);
      case 'date-time':
        return pick(['2026-11-23T09:00:00Z', '2027-01-01T00:00:00+01:00', '2026-11-22T09:00:00.000Z']);
      default:
        return pick([
          'DM-GUA-M',
          'CARD',
          'siringa 10',
          'G-1',
          `L-${Math.floor(random() * 100)}`,
          'Nota di prova',
          'a'.repeat(Math.min(s.maxLength ?? 20, 20)),
        ]);
    }
  };
  const generate = (raw: Schema | undefined, depth: number): unknown => {
    const s = resolve(raw);
    if (depth > 6) return null;
    const options = s.anyOf ?? s.oneOf;
    if (options) return generate(pick(options), depth);
    if (s.allOf) return generate(s.allOf[0], depth);
    if (s.const !== undefined) return s.const;
    if (s.enum) return pick(s.enum);
    const type = Array.isArray(s.type)
      ? pick(s.type.filter((t: string) => t !== 'null').length ? s.type.filter((t: string) => t !== 'null') : s.type)
      : s.type;
    switch (type) {
      case 'object': {
        const out: Record<string, unknown> = {};
        for (const [name, prop] of Object.entries<Schema>(s.properties ?? {}))
          if ((s.required ?? []).includes(name) || chance(0.5)) out[name] = generate(prop, depth + 1);
        return out;
      }
      case 'array':
        return Array.from({ length: 1 + Math.floor(random() * 3) }, () => generate(s.items, depth + 1));
      case 'integer':
        return Math.floor((s.minimum ?? 1) + random() * Math.min(100, (s.maximum ?? 100) - (s.minimum ?? 1) + 1));
      case 'number':
        return Math.round(((s.minimum ?? 0) + random() * 100) * 100) / 100;
      case 'boolean':
        return chance(0.5);
      case 'null':
        return null;
      case 'string':
        return validString(s);
      default:
        return s.properties ? generate({ ...s, type: 'object' }, depth) : 'x';
    }
  };
  /** Breaks one place of a valid value: a field, an element, or the whole of it. */
  const mutate = (value: unknown, depth = 0): unknown => {
    if (depth > 0 && chance(0.35)) return pick(hostile)();
    if (Array.isArray(value) && value.length) {
      const copy = [...value];
      const i = Math.floor(random() * copy.length);
      copy[i] = mutate(copy[i], depth + 1);
      if (chance(0.1)) copy.push(...Array.from({ length: 600 }, () => copy[0]));
      return copy;
    }
    if (value && typeof value === 'object') {
      const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
      const keys = Object.keys(copy);
      if (!keys.length || chance(0.1))
        copy[pick(['extra', 'idempotencyKey', 'id', 'organisationId', '__proto__'])] = pick(hostile)();
      else {
        // A second, independent draw: drop a key one time in ten, otherwise mutate one.
        if (chance(0.1)) delete copy[pick(keys)];
        else {
          const key = pick(keys);
          copy[key] = mutate(copy[key], depth + 1);
        }
      }
      return copy;
    }
    return pick(hostile)();
  };
  const rawBodies = [
    () => '{',
    () => '{"a":',
    () => '',
    () => 'null',
    () => '[]',
    () => '"text"',
    () => '1e400',
    () => '{"quantity": 1e999}',
    () => '['.repeat(20_000) + ']'.repeat(20_000),
    () => `${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}`,
    () => '\u0000',
    () => '{"x":"\\ud800"}',
    () => '{"lines":[{"quantity":123456789012345678901234567890}]}',
    () => '\uFEFF{}',
    () => '{"a":1,"a":2}',
  ];
  const queryValue = (schema: Schema, name: string): string => {
    if (chance(0.4)) {
      const bad = pick(hostile)();
      return typeof bad === 'string' ? bad : JSON.stringify(bad);
    }
    if (name === 'cursor')
      return pick([
        '',
        'eyJ0IjoiMjAyNiJ9',
        '!!!',
        'MTIz',
        btoa(JSON.stringify({ id: -1 })),
        // biome-ignore lint/suspicious/noControlCharactersInRegex: Latin-1 from NUL on purpose (btoa)
        btoa('{"k":"\u0000"}'.replace(/[^\x00-\xff]/g, '')),
      ]);
    const value = generate(schema, 0);
    return typeof value === 'string' ? value : JSON.stringify(value);
  };

  const ops = operationsOf(options.document);
  const counts = await rowCounter(target.db);
  const byStatus: Record<number, number> = {};
  const findings: Finding[] = [];
  for (let n = 0; n < options.bodies; n++) {
    const op = pick(ops);
    let path = op.path.replace(/\{(\w+)\}/g, () =>
      urlPart(chance(0.7) && target.ids.length ? pick(target.ids) : String(pick(hostile)())),
    );
    const query = new URLSearchParams();
    for (const q of op.query) if (chance(0.5)) query.set(q.name, queryValue(q.schema, q.name));
    if (query.size) path += `?${query}`;
    const headers: Record<string, string> = {
      authorization: `Bearer ${target.token}`,
      'accept-language': pick(['it', 'en']),
    };
    let body: string | undefined;
    if (op.method !== 'GET' && op.method !== 'DELETE') {
      headers['content-type'] = chance(0.05)
        ? pick(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data'])
        : 'application/json';
      body = chance(0.1)
        ? pick(rawBodies)()
        : JSON.stringify(chance(0.1) ? generate(op.body, 0) : mutate(generate(op.body, 0)));
      if (chance(0.05))
        headers['idempotency-key'] = String(pick(hostile)())
          .slice(0, 300)
          .replace(/[^\x20-\x7e]/g, '?');
    }
    const before = await counts();
    let status: number;
    let text: string;
    try {
      const response = await target.fetch(
        new Request(`http://fuzz.local${path}`, { method: op.method, headers, body }),
      );
      status = response.status;
      text = await response.text();
    } catch (error) {
      status = 599;
      text = String(error);
    }
    byStatus[status] = (byStatus[status] ?? 0) + 1;
    const shown = { method: op.method, path, status, body: `${(body ?? '').slice(0, 300)} → ${text.slice(0, 300)}` };
    if (status >= 500) findings.push({ ...shown, reason: 'server error' });
    else if (status >= 400 && (await counts()) !== before)
      findings.push({ ...shown, reason: 'refused but wrote rows' });
    options.onProgress?.(n + 1);
  }
  return { seed: options.seed, requests: options.bodies, byStatus, findings };
}

/** The test hospital with some stock, the app on it, an admin token and the ids bodies draw from. */
export async function fuzzTarget(db: Database): Promise<FuzzTarget> {
  const h = await buildHospital(db);
  const received = await receiveAtWarehouse(h, [
    { itemId: h.gloves.id, lotCode: 'G-1', expiry: '2028-01-31', quantity: 500 },
    { itemId: h.syringe.id, lotCode: 'S-1', expiry: '2027-06-30', quantity: 500 },
  ]);
  const app = createApp({ db, now: () => today });
  const token = (await createApiToken({ ctx: h.sys, input: { userId: h.actors.admin.userId, name: 'fuzz admin' } }))
    .token;
  const ids = [
    h.org.id,
    h.warehouse.id,
    h.pharmacy.id,
    h.cardio.id,
    h.cardioStore.id,
    h.cabinet.id,
    h.surgery.id,
    h.home.id,
    h.gloves.id,
    h.syringe.id,
    h.section.id,
    h.category.id,
    h.supplier.id,
    ...Object.values(h.actors).map((a) => a.userId!),
    ...received.movements.map((m: { lotId: string }) => m.lotId),
  ];
  return { fetch: (request: Request) => app.fetch(request), token, db, ids };
}
