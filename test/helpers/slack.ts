import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SlackCall {
  method: string;
  body: Record<string, any>;
}

/**
 * A local HTTP server speaking Slack's Web API (`/api/<method>`) and response URLs (`/response/…`): records
 * every call and answers `{ ok: true, … }` as Slack does, so a real Bolt app and WebClient can talk to it.
 */
export async function startFakeSlackApi(team = 'T1') {
  const calls: SlackCall[] = [];
  let ts = 0;
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk) => (raw += chunk));
    req.on('end', () => {
      const json = (req.headers['content-type'] ?? '').includes('json');
      const body: Record<string, any> = json ? JSON.parse(raw || '{}') : Object.fromEntries(new URLSearchParams(raw));
      for (const key of ['blocks', 'attachments']) if (typeof body[key] === 'string') body[key] = JSON.parse(body[key]);
      const method = req.url!.startsWith('/api/') ? req.url!.slice(5).split('?')[0]! : `response:${req.url}`;
      calls.push({ method, body });
      const answer: Record<string, unknown> = { ok: true };
      if (method === 'auth.test') Object.assign(answer, { user_id: 'UBOT', bot_id: 'BBOT', team_id: team, user: 'scorta', team: 'Hospital' });
      if (method === 'chat.postMessage' || method === 'chat.update') Object.assign(answer, { channel: body.channel, ts: body.ts ?? `1700000000.${String(++ts).padStart(6, '0')}` });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    apiUrl: `${url}/api/`,
    calls,
    /** Calls of one Web API method, oldest first. */
    of: (method: string) => calls.filter((c) => c.method === method),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Slack's request signature: `v0=` + HMAC-SHA256 of `v0:timestamp:body` with the signing secret. */
export function slackSignature(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

/** Posts a body to Bolt's `/slack/events` as Slack does, signed with `secret` (or a wrong one). */
export async function postToSlackApp(base: string, secret: string, body: string, contentType: 'json' | 'form') {
  const timestamp = Math.floor(Date.now() / 1000);
  const res = await fetch(`${base}/slack/events`, {
    method: 'POST',
    headers: {
      'content-type': contentType === 'json' ? 'application/json' : 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': slackSignature(secret, timestamp, body),
    },
    body,
  });
  const text = await res.text();
  return { status: res.status, text, json: () => JSON.parse(text) };
}
