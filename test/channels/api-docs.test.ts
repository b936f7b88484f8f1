import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApp } from '../../api/app.ts';
import type { Database } from '../../db/client.ts';
import { drivers } from '../helpers/database.ts';
import { openApi, type Api } from './api-client.ts';

const routes = [
  ['get', '/v1/organisations'], ['get', '/v1/organisations/{id}'], ['post', '/v1/organisations'],
  ['get', '/v1/locations'], ['get', '/v1/locations/{id}'], ['post', '/v1/locations'],
  ['get', '/v1/items'], ['get', '/v1/items/{id}'], ['post', '/v1/items'],
  ['get', '/v1/categories'], ['post', '/v1/categories'], ['get', '/v1/sections'], ['post', '/v1/sections'], ['get', '/v1/suppliers'], ['post', '/v1/suppliers'],
  ['get', '/v1/lots/{id}/history'], ['get', '/v1/stock'], ['get', '/v1/movements'],
  ['post', '/v1/movements/receipts'], ['post', '/v1/movements/issues'], ['post', '/v1/movements/transfers'], ['post', '/v1/movements/returns'],
  ['post', '/v1/movements/consumptions'], ['post', '/v1/movements/adjustments'], ['post', '/v1/movements/{id}/reversal'],
  ['post', '/v1/users'], ['post', '/v1/tokens'], ['delete', '/v1/tokens/{id}'], ['get', '/health'],
] as const;

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
    const broken = new Proxy({}, { get: () => () => Promise.reject(new Error('database is down')) }) as unknown as Database;
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
    expect(doc.tags.map((t: { name: string }) => t.name)).toEqual(expect.arrayContaining(['stock', 'movements', 'catalogue', 'locations', 'organisations', 'lots', 'access']));
    // The body schema is the core's own: a quantity is a positive integer, lines are required.
    const receipt = doc.paths['/v1/movements/receipts'].post;
    const line = receipt.requestBody.content['application/json'].schema.properties.lines.items;
    expect(line.properties.quantity).toMatchObject({ type: 'integer', exclusiveMinimum: 0 });
    expect(receipt.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'idempotency-key', in: 'header' })]));
    expect(Object.keys(receipt.responses)).toEqual(expect.arrayContaining(['200', '201', '400', '401', '403', '409', '422']));
    expect(receipt.responses['200'].headers).toHaveProperty('Idempotent-Replayed');
    expect(doc.paths['/v1/stock'].get.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'includeDescendants', schema: expect.objectContaining({ type: 'boolean' }) })]));
  });

  it('renders the docs page from the document, self-contained', async () => {
    const res = await api.app.request('/docs');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
    const html = await res.text();
    for (const [, path] of routes) expect(html).toContain(`<code>${path}</code>`);
    expect(html).toContain('Parametri · Parameters');
    expect(html).toContain('Corpo della richiesta · Request body');
    expect(html).toContain('Giacenze · Stock on hand');
    expect(html).toContain('@media print');
    expect(html).not.toMatch(/<script|<link|src=|@import|url\(/i);
  });
});
