import { Agent, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApi, type Api } from './api-client.ts';

interface Answer {
  status: number;
  connection: string | undefined;
  body: string;
}

/** Issue #15 item 8: a 413 must not break the pooled connection the next request travels on. */
describe('HTTP refusals on pooled keep-alive connections', () => {
  let api: Api;
  let server: ReturnType<typeof serve>;
  let port: number;
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  beforeAll(async () => {
    api = await openApi('pglite');
    server = serve({ fetch: api.app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise((resolve) => server.once('listening', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    agent.destroy();
    await new Promise((resolve) => server.close(resolve));
    await api.close();
  });

  /** One request on the shared keep-alive agent; a socket error fails the request instead of hanging. */
  const send = (method: string, path: string, body?: Buffer) =>
    new Promise<Answer>((resolve, reject) => {
      const headers: Record<string, string | number> = { authorization: `Bearer ${api.tokens.warehouse}` };
      if (body) Object.assign(headers, { 'content-type': 'application/json', 'content-length': body.length });
      const req = request({ host: '127.0.0.1', port, method, path, agent, headers }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode!, connection: res.headers.connection, body: text }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });

  it('answers a too-large body with 413, and the next request on the pool gets its answer', async () => {
    const huge = Buffer.from(JSON.stringify({ locationId: api.h.warehouse.id, note: 'x'.repeat(3 * 1024 * 1024) }));
    for (let round = 0; round < 16; round++) {
      const refused = await send('POST', round % 2 ? '/mcp' : '/v1/movements/receipts', huge);
      expect(refused.status).toBe(413);
      expect(refused.connection).toBe('close');
      expect(JSON.parse(refused.body)).toMatchObject({
        type: 'https://scorta.dev/problems/payload_too_large',
        status: 413,
      });
      const next = await send('GET', '/v1/items?limit=1');
      expect(next.status).toBe(200);
    }
  });
});
