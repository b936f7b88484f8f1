import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';

export interface SlackCall {
  method: string;
  body: Record<string, any>;
}

/**
 * How the stand-in answers: as Slack does, slowly, or with an HTTP error (a 429 with a Retry-After), `times` times or
 * always.
 */
export type FakeSlackMode =
  | { kind: 'up' }
  | { kind: 'slow'; ms: number }
  | { kind: 'status'; status: number; retryAfter?: number; times?: number };

/**
 * A local HTTP server speaking Slack's Web API (`/api/<method>`) and response URLs (`/response/…`): records
 * every call (failed ones too: `attempts`) and answers `{ ok: true, … }` as Slack does, so a real Bolt app and
 * WebClient can talk to it. `setMode` makes it slow or answer errors; for a Slack that is down, see `closedPortUrl`.
 */
export async function startFakeSlackApi(team = 'T1') {
  const calls: SlackCall[] = [];
  const attempts: { method: string; fromPort: number }[] = [];
  let mode: FakeSlackMode = { kind: 'up' };
  let ts = 0;
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk) => (raw += chunk));
    req.on('end', async () => {
      const method = req.url!.startsWith('/api/') ? req.url!.slice(5).split('?')[0]! : `response:${req.url}`;
      attempts.push({ method, fromPort: req.socket.remotePort ?? 0 });
      const now = mode;
      if (now.kind === 'status' && (now.times === undefined || now.times-- > 0)) {
        res.writeHead(now.status, {
          'content-type': 'text/plain',
          ...(now.retryAfter !== undefined ? { 'retry-after': String(now.retryAfter) } : {}),
        });
        return void res.end('failing on purpose');
      }
      if (now.kind === 'slow') await new Promise((resolve) => setTimeout(resolve, now.ms));
      if (res.destroyed) return;
      const json = (req.headers['content-type'] ?? '').includes('json');
      const body: Record<string, any> = json ? JSON.parse(raw || '{}') : Object.fromEntries(new URLSearchParams(raw));
      for (const key of ['blocks', 'attachments']) if (typeof body[key] === 'string') body[key] = JSON.parse(body[key]);
      calls.push({ method, body });
      const answer: Record<string, unknown> = { ok: true };
      if (method === 'auth.test')
        Object.assign(answer, { user_id: 'UBOT', bot_id: 'BBOT', team_id: team, user: 'scorta', team: 'Hospital' });
      if (method === 'chat.postMessage' || method === 'chat.update')
        Object.assign(answer, { channel: body.channel, ts: body.ts ?? `1700000000.${String(++ts).padStart(6, '0')}` });
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
    attempts,
    /** Calls of one Web API method (or `response:/response/…`) that were answered ok, oldest first. */
    of: (method: string) => calls.filter((c) => c.method === method),
    /** How many requests for one method reached the stand-in, answered or not. */
    attemptsOf: (method: string) => attempts.filter((a) => a.method === method).length,
    setMode: (next: FakeSlackMode) => {
      mode = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/**
 * A forward proxy for HTTPS_PROXY tests: tunnels CONNECT requests (as undici's proxy agent sends them, for http
 * and https targets alike) and records each tunnel's target and the local port it reaches the target from.
 */
export async function startConnectProxy() {
  const tunnels: string[] = [];
  /**
   * Local ports of the proxy's connections to the targets: a request that came through the proxy came from one of them.
   */
  const upstreamPorts = new Set<number>();
  const sockets = new Set<Socket>();
  const server = createServer((_req, res) => res.writeHead(405).end());
  server.on('connect', (req, client: Socket, head: Buffer) => {
    tunnels.push(req.url ?? '');
    const [host, port] = (req.url ?? '').split(':');
    const upstream = connect(Number(port), host!, () => {
      upstreamPorts.add(upstream.localPort!);
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => (s === client ? upstream : client).destroy());
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    tunnels,
    upstreamPorts,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A loopback URL nobody listens on (connections are refused), for a Slack that is down. */
export async function closedPortUrl() {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
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
