import { z } from 'zod';
import { createLinkCode } from '../api/chat/link-codes.ts';
import { findUser } from '../api/access/users.ts';
import { systemActor } from '../api/core/context.ts';
import type { Database } from '../db/client.ts';
import { createSlackApp } from './slack/app.ts';

/** The Slack channel's configuration (add these lines to server/env.ts `Env` to read them with the rest). */
export const SlackEnv = z.object({
  /** Signing secret of the Slack app (Basic Information → App Credentials); every HTTP request is checked with it. */
  SLACK_SIGNING_SECRET: z.string().min(1).optional(),
  /** Bot token (xoxb-…) of the app installed in the workspace. */
  SLACK_BOT_TOKEN: z
    .string()
    .regex(/^xoxb-/, 'a bot token, xoxb-…')
    .optional(),
  /** App-level token (xapp-…) with connections:write: Socket Mode instead of a public HTTP endpoint. */
  SLACK_APP_TOKEN: z
    .string()
    .regex(/^xapp-/, 'an app-level token, xapp-…')
    .optional(),
  /** Slack's Web API base URL (default https://slack.com/api/): a proxy, or a fake Slack in tests. */
  SLACK_API_URL: z.url({ protocol: /^https?$/ }).optional(),
  /**
   * An HTTP(S) proxy for every request to Slack (Web API and response URLs), e.g. http://proxy.hospital.local:3128;
   * default HTTPS_PROXY.
   */
  SLACK_PROXY_URL: z.url({ protocol: /^https?$/ }).optional(),
  /**
   * The usual proxy variables (either case), used for Slack when SLACK_PROXY_URL is not set. Checked only when the
   * Slack app starts (a value meant for other tools never stops Scorta); `host:port` means http://host:port.
   */
  HTTPS_PROXY: z.string().optional(),
  https_proxy: z.string().optional(),
  /** Hosts reached without the proxy (comma-separated, as curl reads it). */
  NO_PROXY: z.string().optional(),
  no_proxy: z.string().optional(),
  /** Port of the Slack HTTP endpoint `/slack/events` (HTTP mode). */
  SLACK_PORT: z.coerce.number().int().min(0).max(65535).default(3001),
});
export type SlackEnv = z.infer<typeof SlackEnv>;

/**
 * The proxy for Slack: SLACK_PROXY_URL, else HTTPS_PROXY / https_proxy (`host:port` taken as http://host:port); a bad
 * one is a clear error.
 */
export function slackProxyUrl(
  env: Pick<SlackEnv, 'SLACK_PROXY_URL' | 'HTTPS_PROXY' | 'https_proxy'>,
): string | undefined {
  if (env.SLACK_PROXY_URL) return env.SLACK_PROXY_URL;
  const raw = env.HTTPS_PROXY ?? env.https_proxy;
  if (!raw) return undefined;
  const url = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`;
  const parsed = URL.canParse(url) ? new URL(url) : undefined;
  if (!parsed || !/^https?:$/.test(parsed.protocol) || !parsed.hostname)
    throw new Error(
      `Configuration: HTTPS_PROXY: not a proxy URL (${raw}); set SLACK_PROXY_URL=http://host:port for Slack`,
    );
  return url;
}

/**
 * Starts the Slack app when SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET are set (null otherwise): Socket Mode
 * with SLACK_APP_TOKEN, else HTTP on SLACK_PORT at `/slack/events`. Returns a banner line and `stop`.
 */
export async function startSlack({ db, env, host = '127.0.0.1' }: { db: Database; env: SlackEnv; host?: string }) {
  if (!env.SLACK_BOT_TOKEN || !env.SLACK_SIGNING_SECRET) return null;
  const proxyUrl = slackProxyUrl(env);
  const noProxy = env.NO_PROXY ?? env.no_proxy;
  const slack = createSlackApp({
    db,
    signingSecret: env.SLACK_SIGNING_SECRET,
    botToken: env.SLACK_BOT_TOKEN,
    ...(env.SLACK_APP_TOKEN ? { appToken: env.SLACK_APP_TOKEN } : {}),
    ...(env.SLACK_API_URL ? { slackApiUrl: env.SLACK_API_URL } : {}),
    ...(proxyUrl ? { proxy: { url: proxyUrl, ...(noProxy ? { noProxy } : {}) } } : {}),
  });
  const started = await slack.start(env.SLACK_PORT, host);
  const via = proxyUrl ? `   via proxy ${new URL(proxyUrl).host}` : '';
  const line =
    started.port === null
      ? `Slack    Socket Mode (SLACK_APP_TOKEN)${via}`
      : `Slack    http://${host}:${started.port}/slack/events   (docs/slack.md)${via}`;
  return { line, client: slack.client, stop: started.stop };
}

/** A one-time chat link code for a user, for the CLI (`chat-link-code --user NAME`): shown once, valid 15 minutes. */
export async function chatLinkCode(db: Database, username: string) {
  const user = await findUser({ db }, username);
  return createLinkCode({
    ctx: { db, actor: systemActor(user.organisationId, 'cli'), now: () => new Date() },
    input: { userId: user.id },
  });
}
