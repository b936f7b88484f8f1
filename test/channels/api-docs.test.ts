import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApp } from '../../app/create-app.ts';
import type { Database } from '../../db/client.ts';
import { drivers } from '../helpers/database.ts';
import { describedElsewhere } from '../../api/http/openapi.ts';
import { openApi, type Api } from './api-client.ts';

const routes = [
  ['get', '/v1/organisations'],
  ['get', '/v1/organisations/{id}'],
  ['post', '/v1/organisations'],
  ['get', '/v1/locations'],
  ['get', '/v1/locations/{id}'],
  ['post', '/v1/locations'],
  ['get', '/v1/items'],
  ['get', '/v1/items/{id}'],
  ['post', '/v1/items'],
  ['get', '/v1/categories'],
  ['post', '/v1/categories'],
  ['get', '/v1/sections'],
  ['post', '/v1/sections'],
  ['get', '/v1/suppliers'],
  ['post', '/v1/suppliers'],
  ['get', '/v1/lots/{id}/history'],
  ['get', '/v1/stock'],
  ['get', '/v1/movements'],
  ['post', '/v1/movements/receipts'],
  ['post', '/v1/movements/issues'],
  ['post', '/v1/movements/transfers'],
  ['post', '/v1/movements/returns'],
  ['post', '/v1/movements/consumptions'],
  ['post', '/v1/movements/adjustments'],
  ['post', '/v1/movements/{id}/reversal'],
  ['post', '/v1/users'],
  ['post', '/v1/tokens'],
  ['delete', '/v1/tokens/{id}'],
  ['get', '/health'],
  ['get', '/v1/reports/consumption-cost'],
  ['get', '/v1/reports/valuation'],
  ['get', '/v1/fhir/lots/{id}'],
  ['get', '/v1/fhir/InventoryReport'],
  ['post', '/mcp'],
  ['post', '/voice/alexa'],
  ['post', '/voice/ask'],
  ['post', '/mqtt/auth'],
  ['post', '/mqtt/acl'],
] as const;

const methods = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];
type Doc = {
  tags: { name: string; description: string }[];
  paths: Record<
    string,
    Record<string, { operationId?: string; tags?: string[]; description?: string; externalDocs?: { url: string } }>
  >;
};
/** Every operation of the document, as [method, path, operation]. */
const operationsOf = (doc: Doc) =>
  Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([m]) => methods.includes(m))
      .map(([m, op]) => [m, path, op] as const),
  );

/** The public endpoints: health, the OpenAPI document and the docs page rendered from it. */
describe.each(drivers)('HTTP API documents on %s', (driver) => {
  let api: Api;
  beforeAll(async () => {
    api = await openApi(driver);
  });
  afterAll(() => api.close());

  it('reports health after asking the database', async () => {
    const reply = await api.call('GET', '/health');
    expect(reply).toMatchObject({ status: 200, body: { status: 'ok', database: 'ok' } });
  });

  it('reports 503 as a problem when the database does not answer', async () => {
    const broken = new Proxy(
      {},
      { get: () => () => Promise.reject(new Error('database is down')) },
    ) as unknown as Database;
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const res = await createApp({ db: broken }).request('/health', { headers: { 'accept-language': 'en' } });
      expect(res.status).toBe(503);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect(await res.json()).toMatchObject({ status: 503, database: 'unreachable', title: 'Internal error' });
    } finally {
      logged.mockRestore();
    }
  });

  it('serves an OpenAPI 3.1 document listing every route, with bearer security and the core rules', async () => {
    const res = await api.app.request('/openapi.json');
    expect(res.status).toBe(200);
    const doc = JSON.parse(await res.text());
    expect(doc).toMatchObject({ openapi: '3.1.0', info: { title: 'Scorta API' }, security: [{ bearerAuth: [] }] });
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    for (const [method, path] of routes) expect(doc.paths[path]?.[method], `${method} ${path}`).toBeDefined();
    expect(doc.paths['/health'].get.security).toEqual([]);
    expect(doc.tags.map((t: { name: string }) => t.name)).toEqual(
      expect.arrayContaining(['stock', 'movements', 'catalogue', 'locations', 'organisations', 'lots', 'access']),
    );
    // The body schema is the core's own: a quantity is a positive integer, lines are required.
    const receipt = doc.paths['/v1/movements/receipts'].post;
    const line = receipt.requestBody.content['application/json'].schema.properties.lines.items;
    expect(line.properties.quantity).toMatchObject({ type: 'integer', exclusiveMinimum: 0 });
    expect(receipt.parameters).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'idempotency-key', in: 'header' })]),
    );
    expect(Object.keys(receipt.responses)).toEqual(
      expect.arrayContaining(['200', '201', '400', '401', '403', '409', '422']),
    );
    expect(receipt.responses['200'].headers).toHaveProperty('Idempotent-Replayed');
    expect(doc.paths['/v1/stock'].get.parameters).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'includeDescendants', schema: expect.objectContaining({ type: 'boolean' }) }),
      ]),
    );
  });

  it('gives every operation a unique verb-noun operationId and a declared tag, described in English', async () => {
    const doc = (await (await api.app.request('/openapi.json')).json()) as Doc;
    const operations = operationsOf(doc);
    expect(operations.length).toBeGreaterThan(70);
    const ids = operations.map(([m, p, op]) => [`${m} ${p}`, op.operationId] as const);
    for (const [where, id] of ids) expect(id, where).toMatch(/^[a-z]+(?:[A-Z][a-z0-9]*)+$/);
    const seen = new Map<string, string>();
    for (const [where, id] of ids) {
      expect(seen.get(id!), `${id} is used by ${seen.get(id!)} and ${where}`).toBeUndefined();
      seen.set(id!, where);
    }
    const declared = doc.tags.map((t) => t.name);
    expect(new Set(declared).size).toBe(declared.length);
    for (const [m, p, op] of operations) {
      expect(op.tags?.length, `${m} ${p} has a tag`).toBeGreaterThan(0);
      for (const tag of op.tags!) expect(declared, `${m} ${p}: tag ${tag}`).toContain(tag);
    }
    // The heading is "Italiano · English": the English half is there.
    for (const tag of doc.tags) expect(tag.description, tag.name).toMatch(/ · [A-Z][A-Za-z]/);
    expect(declared).toEqual(expect.arrayContaining(['reports', 'fhir', 'voice', 'assistants', 'broker-hooks']));
  });

  it('documents every HTTP route the app mounts, or names where it is described', async () => {
    // Every optional channel on, so that every route is mounted.
    const full = createApp({
      db: api.t.db,
      brokerHooks: { secret: 'a broker secret of sixteen+' },
      alexa: { skillId: 'amzn1.ask.skill.docs', verify: 'skip' },
    });
    const doc = (await (await full.request('/openapi.json')).json()) as Doc;
    const documented = new Set(operationsOf(doc).map(([m, p]) => `${m.toUpperCase()} ${p}`));
    const elsewhere = new Set(describedElsewhere.map((e) => `${e.method} ${e.path}`));
    const mounted = new Set(
      full.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, '{$1}')}`),
    );
    const undocumented = [...mounted].filter((route) => !documented.has(route) && !elsewhere.has(route));
    expect(undocumented).toEqual([]);
    // …and nothing is documented, or said to be described elsewhere, that is not mounted.
    expect([...documented, ...elsewhere].filter((route) => !mounted.has(route))).toEqual([]);
    // The channels served outside /v1 say what they are and link to their specification.
    for (const path of ['/mcp', '/voice/alexa', '/mqtt/auth']) {
      expect(doc.paths[path]!.post!.description, path).toMatch(/docs\/\w+\.md/);
      expect(doc.paths[path]!.post!.externalDocs?.url, path).toMatch(/^https:\/\//);
    }
  });

  it('renders the docs page from the document, self-contained', async () => {
    const res = await api.app.request('/docs');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
    const html = await res.text();
    for (const [, path] of routes) expect(html).toContain(`<code>${path}</code>`);
    // One section per declared tag, each under its heading.
    const doc = (await (await api.app.request('/openapi.json')).json()) as Doc;
    for (const tag of doc.tags)
      expect(html, tag.name).toContain(
        `<section id="tag-${tag.name}"><h2>${tag.description.replace(/'/g, '&#39;')}</h2>`,
      );
    expect(html).toContain(
      'Rendiconti: costo dei consumi e valorizzazione · Reports: consumption cost and stock valuation',
    );
    expect(html).toContain('Parametri · Parameters');
    expect(html).toContain('Corpo della richiesta · Request body');
    expect(html).toContain('Giacenze · Stock on hand');
    expect(html).toContain('@media print');
    expect(html).not.toMatch(/<script|<link|src=|@import|url\(/i);
  });
});
