import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SlackEnv, slackProxyUrl } from '../../bot/serve.ts';
import { createSlackApp, type SlackAppOptions } from '../../bot/slack/app.ts';
import { openTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { closedPortUrl, postToSlackApp, startConnectProxy, startFakeSlackApi } from '../helpers/slack.ts';

// Slack waits 3 s for the acknowledgement of a command, a click or an event, then shows the user an error
// (and retries events). These tests hold every request to that contract while the Web API and the response
// URLs are down, slow, or answering errors. The bound is Slack's, not a benchmark.
const slackBudgetMs = 3000;
const secret = 'delivery-signing-secret';
let database: TestDatabase;
let api: Awaited<ReturnType<typeof startFakeSlackApi>>;
const running: (() => Promise<void>)[] = [];
let eventNo = 0;

beforeAll(async () => {
  database = await openTestDatabase('pglite');
  api = await startFakeSlackApi();
});
afterEach(async () => {
  while (running.length) await running.pop()!();
  api.setMode({ kind: 'up' });
});
afterAll(async () => {
  await api?.close();
  await database?.close();
});

/** A Slack app on its own port; `logs` collects its delivery failure lines. */
async function startApp(options: Partial<SlackAppOptions> & { processBeforeResponse: boolean }) {
  const logs: string[] = [];
  const slack = createSlackApp({
    db: database.db,
    signingSecret: secret,
    botToken: 'xoxb-test',
    slackApiUrl: api.apiUrl,
    delivery: { backoffMs: 20 },
    log: (line) => logs.push(line),
    ...options,
  });
  const started = await slack.start(0);
  running.push(async () => {
    await slack.settled();
    await started.stop();
  });
  await slack.settled(); // the token check at start
  logs.length = 0;
  const base = `http://127.0.0.1:${started.port}`;
  const timed = async (body: string, type: 'json' | 'form') => {
    const t = performance.now();
    const res = await postToSlackApp(base, secret, body, type);
    return { ...res, ms: performance.now() - t };
  };
  return {
    slack,
    logs,
    /** `/scorta text` whose response_url is `/response/<tag>` on the stand-in. */
    slash: (text: string, tag: string) =>
      timed(
        new URLSearchParams({
          command: '/scorta',
          text,
          team_id: 'T1',
          user_id: 'U1',
          channel_id: 'C1',
          response_url: `${api.url}/response/${tag}-${++eventNo}`,
          trigger_id: 't',
        }).toString(),
        'form',
      ),
    /** The response_url path of the last `slash` with this tag, as the stand-in names it. */
    responseOf: (tag: string) => `response:/response/${tag}-${eventNo}`,
    dm: (text: string) => {
      eventNo++;
      const event = {
        type: 'message',
        channel_type: 'im',
        channel: 'D-U1',
        user: 'U1',
        text,
        ts: `1700100${eventNo}.000100`,
        event_ts: `1700100${eventNo}.000100`,
      };
      return timed(
        JSON.stringify({
          token: 'x',
          team_id: 'T1',
          api_app_id: 'A1',
          type: 'event_callback',
          event_id: `EvD${eventNo}`,
          event_time: 1700000000,
          event,
        }),
        'json',
      );
    },
  };
}

describe.each([true, false])('Slack always answers in time (processBeforeResponse %s)', (processBeforeResponse) => {
  it('with the Web API down, a command is answered in its acknowledgement and a DM is acknowledged; the failed reply is logged plainly', async () => {
    const down = await closedPortUrl();
    const app = await startApp({ processBeforeResponse, slackApiUrl: `${down}/api/` });
    const command = await app.slash('aiuto', 'down');
    expect(command.status).toBe(200);
    expect(command.ms).toBeLessThan(slackBudgetMs);
    expect(command.json()).toMatchObject({ response_type: 'ephemeral', text: expect.stringMatching(/collega CODICE/) });

    const event = await app.dm('quanti guanti?');
    expect(event.status).toBe(200);
    expect(event.ms).toBeLessThan(slackBudgetMs);
    await app.slack.settled();
    expect(app.logs).toEqual([
      `Slack delivery failed: Web API chat.postMessage at ${new URL(down).host}: ECONNREFUSED (connect ECONNREFUSED ${new URL(down).host}) (3 attempts)`,
    ]);
  });

  it('a slow answer is acknowledged at once and follows through response_url, also when that URL takes 5 s', async () => {
    const app = await startApp({ processBeforeResponse, answerWithinMs: 0 });
    api.setMode({ kind: 'slow', ms: 5000 });
    const command = await app.slash('aiuto', 'slow');
    const response = app.responseOf('slow');
    const event = await app.dm('aiuto');
    for (const r of [command, event]) {
      expect(r.status).toBe(200);
      expect(r.ms).toBeLessThan(slackBudgetMs);
    }
    expect(command.json()).toEqual({ response_type: 'ephemeral', text: '⏳ Ci sto lavorando… / Working on it…' });
    await app.slack.settled();
    expect(api.of(response).map((c) => c.body)).toEqual([
      expect.objectContaining({ response_type: 'ephemeral', text: expect.stringMatching(/collega CODICE/) }),
    ]);
    expect(api.of('chat.postMessage').at(-1)!.body).toMatchObject({
      channel: 'D-U1',
      text: expect.stringMatching(/collega CODICE/),
    });
    expect(app.logs).toEqual([]);
  });

  it('stops after 3 attempts when Slack answers 500, and says so', async () => {
    const app = await startApp({ processBeforeResponse, answerWithinMs: 0 });
    api.setMode({ kind: 'status', status: 500 });
    const posts = api.attemptsOf('chat.postMessage');
    const command = await app.slash('aiuto', 'e500');
    const response = app.responseOf('e500');
    const event = await app.dm('aiuto');
    expect([command.status, event.status]).toEqual([200, 200]);
    expect(Math.max(command.ms, event.ms)).toBeLessThan(slackBudgetMs);
    await app.slack.settled();
    expect(api.attemptsOf(response)).toBe(3);
    expect(api.attemptsOf('chat.postMessage') - posts).toBe(3);
    const host = new URL(api.url).host;
    expect(app.logs.sort()).toEqual([
      `Slack delivery failed: POST response_url at ${host}: HTTP 500 Internal Server Error (3 attempts)`,
      `Slack delivery failed: Web API chat.postMessage at ${host}: HTTP 500 Internal Server Error (3 attempts)`,
    ]);
  });

  it('gives each attempt a time limit: a response_url that never answers in time is tried 3 times', async () => {
    const app = await startApp({
      processBeforeResponse,
      answerWithinMs: 0,
      delivery: { backoffMs: 20, timeoutMs: 300 },
    });
    api.setMode({ kind: 'slow', ms: 1500 });
    const command = await app.slash('aiuto', 'timeout');
    const response = app.responseOf('timeout');
    expect(command.status).toBe(200);
    expect(command.ms).toBeLessThan(slackBudgetMs);
    await app.slack.settled();
    expect(api.attemptsOf(response)).toBe(3);
    expect(app.logs).toEqual([
      `Slack delivery failed: POST response_url at ${new URL(api.url).host}: no answer within 300 ms (3 attempts)`,
    ]);
  });
});

describe('rate limits and proxies', () => {
  it("retries after a 429's Retry-After, and gives up when Slack asks for a longer wait than allowed", async () => {
    const app = await startApp({
      processBeforeResponse: true,
      answerWithinMs: 0,
      delivery: { backoffMs: 20, maxWaitMs: 5000 },
    });
    const posts = api.attemptsOf('chat.postMessage');
    api.setMode({ kind: 'status', status: 429, retryAfter: 0, times: 1 });
    await app.dm('aiuto');
    await app.slack.settled();
    expect(api.attemptsOf('chat.postMessage') - posts).toBe(2);
    expect(api.of('chat.postMessage').at(-1)!.body.text).toMatch(/collega CODICE/);

    api.setMode({ kind: 'status', status: 429, retryAfter: 120 });
    await app.slash('aiuto', 'r429');
    const response = app.responseOf('r429');
    await app.dm('aiuto');
    await app.slack.settled();
    expect(api.attemptsOf(response)).toBe(1);
    expect(api.attemptsOf('chat.postMessage') - posts).toBe(3);
    const host = new URL(api.url).host;
    expect(app.logs.sort()).toEqual([
      `Slack delivery failed: POST response_url at ${host}: HTTP 429 Too Many Requests (1 attempt, gave up: Slack asked to wait 120 s)`,
      `Slack delivery failed: Web API chat.postMessage at ${host}: HTTP 429 (Retry-After 120 s) (1 attempt, gave up: Slack asked to wait 120 s)`,
    ]);
  });

  it('sends Web API calls and response_url posts through the configured proxy, and names the proxy when it is down', async () => {
    const proxy = await startConnectProxy();
    running.push(proxy.close);
    const app = await startApp({ processBeforeResponse: true, answerWithinMs: 0, proxy: { url: proxy.url } });
    const host = new URL(api.url).host;
    expect(proxy.tunnels).toEqual([host]); // the token check at start
    const from = api.attempts.length;
    await app.slash('aiuto', 'proxied');
    const response = app.responseOf('proxied');
    await app.dm('aiuto');
    await app.slack.settled();
    expect(api.of(response)).toHaveLength(1);
    expect(api.of('chat.postMessage').at(-1)!.body.channel).toBe('D-U1');
    // Both requests the stand-in saw came from one of the proxy's tunnels.
    const seen = api.attempts.slice(from);
    expect(seen.map((a) => a.method).sort()).toEqual(['chat.postMessage', response]);
    for (const a of seen) expect(proxy.upstreamPorts.has(a.fromPort)).toBe(true);
    expect(new Set(proxy.tunnels)).toEqual(new Set([host]));

    const down = await closedPortUrl();
    const lost = await startApp({ processBeforeResponse: true, proxy: { url: down } });
    const event = await lost.dm('aiuto');
    expect(event.ms).toBeLessThan(slackBudgetMs);
    await lost.slack.settled();
    expect(lost.logs).toEqual([
      `Slack delivery failed: Web API chat.postMessage at ${host} through proxy ${new URL(down).host}: ECONNREFUSED (connect ECONNREFUSED ${new URL(down).host}) (3 attempts)`,
    ]);
  });
});

describe('Slack proxy configuration', () => {
  it.each([
    [{ SLACK_PROXY_URL: 'http://slack-proxy:3128', HTTPS_PROXY: 'http://other:8080' }, 'http://slack-proxy:3128'],
    [{ HTTPS_PROXY: 'http://proxy.hospital.local:3128' }, 'http://proxy.hospital.local:3128'],
    [{ https_proxy: 'proxy.hospital.local:3128' }, 'http://proxy.hospital.local:3128'],
    [{}, undefined],
  ])('%o → %s', (env, expected) => {
    expect(slackProxyUrl(SlackEnv.parse(env))).toBe(expected);
  });

  it('refuses a proxy that is not an http(s) URL, naming the variable', () => {
    expect(SlackEnv.safeParse({ SLACK_PROXY_URL: 'socks5://proxy:1080' }).success).toBe(false);
    expect(() => slackProxyUrl(SlackEnv.parse({ HTTPS_PROXY: 'socks5://proxy:1080' }))).toThrow(
      /HTTPS_PROXY: not a proxy URL \(socks5:\/\/proxy:1080\)/,
    );
  });
});
