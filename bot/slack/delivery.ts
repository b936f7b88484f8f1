import type { webApi } from '@slack/bolt';
import { EnvHttpProxyAgent } from 'undici';

type WebClient = webApi.WebClient;

/**
 * How hard a reply is pushed to Slack: attempts in all, first backoff (doubled each time), longest wait, and each
 * attempt's time limit.
 */
export interface DeliveryPolicy {
  attempts: number;
  backoffMs: number;
  /** The longest wait between attempts, a 429's Retry-After included; a longer Retry-After ends the delivery. */
  maxWaitMs: number;
  timeoutMs: number;
}

export const defaultDeliveryPolicy: DeliveryPolicy = {
  attempts: 3,
  backoffMs: 1000,
  maxWaitMs: 30_000,
  timeoutMs: 10_000,
};

/** An HTTPS proxy for every request to Slack (Web API and response URLs); `noProxy` as in NO_PROXY. */
export interface SlackProxy {
  url: string;
  noProxy?: string;
}

/** `fetch` through the proxy (a CONNECT tunnel), or the global fetch without one. */
export function slackFetch(proxy?: SlackProxy): typeof fetch {
  if (!proxy) return globalThis.fetch;
  const dispatcher = new EnvHttpProxyAgent({
    httpProxy: proxy.url,
    httpsProxy: proxy.url,
    noProxy: proxy.noProxy ?? '',
  });
  return ((input: string | URL | Request, init?: RequestInit) =>
    globalThis.fetch(input, { ...init, dispatcher } as RequestInit)) as typeof fetch;
}

type Failed = { ok: false; failure: string; retry: boolean; waitMs?: number };
type Outcome = { ok: true } | Failed;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const hostOf = (url: string) => {
  try {
    return new URL(url).host;
  } catch {
    return 'an invalid URL';
  }
};

/**
 * A failed fetch in plain words: the network error's code (ECONNREFUSED, ENOTFOUND…) or the time limit, never just
 * "fetch failed".
 */
export function networkFailure(error: unknown, timeoutMs: number): string {
  const e = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return `no answer within ${timeoutMs} ms`;
  if (e?.cause?.code) return `${e.cause.code}${e.cause.message ? ` (${e.cause.message})` : ''}`;
  return e?.cause?.message ?? e?.message ?? String(error);
}

/** Seconds of a Retry-After header as milliseconds (Slack sends seconds); a default when absent or unreadable. */
const retryAfterMs = (value: string | null | undefined, fallback: number) => {
  const seconds = Number(value);
  return value && Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : fallback;
};

/** What a Web API call's error means: retried or not, and in words (the WebClient itself makes one attempt). */
function webApiOutcome(error: unknown, policy: DeliveryPolicy, backoff: number): Failed {
  const e = error as {
    code?: string;
    statusCode?: number;
    statusMessage?: string;
    retryAfter?: number;
    data?: { error?: string };
    original?: unknown;
    message?: string;
  };
  switch (e?.code) {
    case 'slack_webapi_request_error':
      return { ok: false, retry: true, failure: networkFailure(e.original, policy.timeoutMs) };
    case 'slack_webapi_http_error':
      return {
        ok: false,
        retry: (e.statusCode ?? 0) >= 500,
        failure: `HTTP ${e.statusCode}${e.statusMessage ? ` ${e.statusMessage}` : ''}`,
      };
    case 'slack_webapi_rate_limited_error':
      return {
        ok: false,
        retry: true,
        waitMs: (e.retryAfter ?? backoff / 1000) * 1000,
        failure: `HTTP 429 (Retry-After ${e.retryAfter} s)`,
      };
    case 'slack_webapi_platform_error': {
      const code = e.data?.error ?? 'unknown';
      return {
        ok: false,
        retry: ['ratelimited', 'internal_error', 'fatal_error', 'service_unavailable', 'request_timeout'].includes(
          code,
        ),
        failure: `Slack answered error "${code}"`,
      };
    }
    default:
      return { ok: false, retry: false, failure: e?.message ?? String(error) };
  }
}

/** A Web API call's error in plain words: the network error's code, the HTTP status, or Slack's error code. */
export const slackFailure = (error: unknown, timeoutMs = defaultDeliveryPolicy.timeoutMs) =>
  webApiOutcome(error, { ...defaultDeliveryPolicy, timeoutMs }, 0).failure;

/**
 * Delivers replies to Slack after the request was acknowledged: through a command's or a click's `response_url`
 * and through Web API methods (chat.postMessage, chat.update), each with bounded attempts and exponential
 * backoff (a 429's Retry-After is honoured), and one plain log line when it gives up. `later` runs work
 * after the acknowledgement; `settled` waits for all of it (tests, shutdown).
 */
export function slackDelivery(options: {
  fetch?: typeof fetch;
  policy?: Partial<DeliveryPolicy>;
  log?: (line: string) => void;
  proxy?: SlackProxy;
}) {
  const policy = { ...defaultDeliveryPolicy, ...options.policy };
  const doFetch = options.fetch ?? slackFetch(options.proxy);
  const log = options.log ?? ((line: string) => console.error(line));
  const via = options.proxy ? ` through proxy ${hostOf(options.proxy.url)}` : '';
  const pending = new Set<Promise<unknown>>();

  async function attempt(what: string, once: (n: number) => Promise<Outcome>): Promise<boolean> {
    for (let n = 1; ; n++) {
      const outcome = await once(n);
      if (outcome.ok) return true;
      const wait = outcome.waitMs ?? policy.backoffMs * 2 ** (n - 1);
      const last = !outcome.retry || n >= policy.attempts;
      if (last || wait > policy.maxWaitMs) {
        const why = !outcome.retry
          ? ', not retried'
          : last
            ? ''
            : `, gave up: Slack asked to wait ${Math.ceil(wait / 1000)} s`;
        log(`Slack delivery failed: ${what}${via}: ${outcome.failure} (${n} attempt${n === 1 ? '' : 's'}${why})`);
        return false;
      }
      await sleep(wait);
    }
  }

  return {
    policy,
    fetch: doFetch,
    /** Posts a message to a `response_url` (JSON, as Slack expects); true once Slack accepted it. */
    respond: (url: string, message: Record<string, unknown>) =>
      attempt(`POST response_url at ${hostOf(url)}`, async () => {
        try {
          const res = await doFetch(url, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(message),
            signal: AbortSignal.timeout(policy.timeoutMs),
          });
          await res.arrayBuffer().catch(() => undefined);
          if (res.ok) return { ok: true };
          const failure = `HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`;
          if (res.status === 429)
            return {
              ok: false,
              retry: true,
              waitMs: retryAfterMs(res.headers.get('retry-after'), policy.backoffMs),
              failure,
            };
          return { ok: false, retry: res.status >= 500 || res.status === 408, failure };
        } catch (error) {
          return { ok: false, retry: true, failure: networkFailure(error, policy.timeoutMs) };
        }
      }),
    /**
     * Calls a Web API method (the client makes one attempt per call; see `slackClientOptions`); Slack's answer, or null
     * when it gave up.
     */
    async call(
      client: WebClient,
      method: string,
      args: Record<string, unknown>,
    ): Promise<webApi.WebAPICallResult | null> {
      let result: webApi.WebAPICallResult | null = null;
      await attempt(`Web API ${method} at ${hostOf(client.slackApiUrl)}`, async (n) => {
        try {
          result = await client.apiCall(method, args);
          return { ok: true };
        } catch (error) {
          return webApiOutcome(error, policy, policy.backoffMs * 2 ** (n - 1));
        }
      });
      return result;
    },
    /** Runs work after the acknowledgement; an unexpected failure is logged, never thrown into Bolt. */
    later(work: () => Promise<unknown>) {
      const p = work()
        .catch((error) =>
          log(
            `Slack reply failed before delivery: ` +
              `${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
          ),
        )
        .finally(() => pending.delete(p));
      pending.add(p);
    },
    /** Resolves when every reply started so far is delivered or given up. */
    async settled() {
      while (pending.size) await Promise.allSettled([...pending]);
    },
  };
}

export type SlackDelivery = ReturnType<typeof slackDelivery>;

/**
 * WebClient options for a client whose calls go through `SlackDelivery.call`: one attempt each, a time limit, 429s
 * reported (not slept on), the proxy's fetch.
 */
export const slackClientOptions = (delivery: SlackDelivery, slackApiUrl?: string): webApi.WebClientOptions => ({
  ...(slackApiUrl ? { slackApiUrl } : {}),
  retryConfig: { retries: 0 },
  rejectRateLimitedCalls: true,
  timeout: delivery.policy.timeoutMs,
  fetch: delivery.fetch,
});
