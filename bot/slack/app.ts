import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, HTTPReceiver, LogLevel, webApi } from '@slack/bolt';
import type { Database } from '../../db/client.ts';
import { createConversation } from '../conversation.ts';
import { alertSetup } from './alert-setup.ts';
import { slackClientOptions, slackDelivery, type DeliveryPolicy, type SlackProxy } from './delivery.ts';
import { slackDialogue } from './dialogue.ts';
import { register as registerActions } from './listeners/actions.ts';
import { register as registerCommand } from './listeners/command.ts';
import { register as registerMention } from './listeners/mention.ts';
import { register as registerMessage } from './listeners/message.ts';

export interface SlackAppOptions {
  db: Database;
  signingSecret: string;
  botToken: string;
  /** An app-level token (xapp-…): Socket Mode instead of HTTP. */
  appToken?: string;
  /** Slack's Web API base URL (default https://slack.com/api/): a gateway, or a local stand-in in tests. */
  slackApiUrl?: string;
  /**
   * Further WebClient options (they override the delivery defaults: one attempt per call, a time limit, the proxy's
   * fetch).
   */
  clientOptions?: webApi.WebClientOptions;
  /** An HTTPS proxy for the Web API and the response URLs. */
  proxy?: SlackProxy;
  /** Attempts, backoff and time limit of the replies sent after the acknowledgement. */
  delivery?: Partial<DeliveryPolicy>;
  /**
   * A slash command's answer ready within this many ms goes in the acknowledgement itself; a slower one follows through
   * `response_url` (default 2000: Slack allows 3 s; 0: always through `response_url`).
   */
  answerWithinMs?: number;
  /** Where failed deliveries are reported, one plain line each (default console.error). */
  log?: (line: string) => void;
  /**
   * Answer Slack's HTTP request only after the listener is done (tests, serverless): listeners still acknowledge at
   * once and reply later.
   */
  processBeforeResponse?: boolean;
  now?: () => Date;
  logLevel?: LogLevel;
}

/**
 * Scorta's Slack app: Bolt over HTTP at `/slack/events` (every request's signature is verified with the
 * signing secret) or Socket Mode with an app token; DMs, mentions, `/scorta`, and confirm / cancel buttons.
 * Every request is acknowledged without waiting for Slack's Web API: the token is not checked on the request
 * path (auth.test runs in the background at start), and replies go out after the acknowledgement.
 */
export function createSlackApp(options: SlackAppOptions) {
  const { db, signingSecret, botToken, appToken } = options;
  const delivery = slackDelivery({
    ...(options.proxy ? { proxy: options.proxy } : {}),
    ...(options.delivery ? { policy: options.delivery } : {}),
    ...(options.log ? { log: options.log } : {}),
  });
  const clientOptions = { ...slackClientOptions(delivery, options.slackApiUrl), ...options.clientOptions };
  const logLevel = options.logLevel ?? LogLevel.WARN;
  const client = new webApi.WebClient(botToken, { ...clientOptions, logLevel });
  const identity: { botId?: string; botUserId?: string } = {};
  const receiver = appToken
    ? undefined
    : new HTTPReceiver({
        signingSecret,
        endpoints: '/slack/events',
        processBeforeResponse: options.processBeforeResponse ?? false,
        logLevel,
      });
  const app = new App({
    // Bolt's own token check (auth.test before the first event, retried for half an hour) held every request past
    // Slack's 3 s when the Web API was unreachable.
    authorize: async () => ({ botToken, ...identity }),
    logLevel,
    clientOptions,
    ...(receiver ? { receiver } : { socketMode: true, appToken, signingSecret }),
  });
  const conversation = createConversation({ db, ...(options.now ? { now: options.now } : {}) });
  const dialogue = slackDialogue(db, conversation);
  registerMessage(app, dialogue, delivery);
  registerMention(app, dialogue, delivery);
  registerCommand(app, dialogue, alertSetup(db, dialogue), delivery, options.answerWithinMs ?? 2000);
  registerActions(app, dialogue, delivery);
  app.error(async (error) => console.error('Slack listener failed', error));
  /** Checks the token once, off the request path; the bot's ids let Bolt ignore the bot's own messages. */
  const checkToken = () =>
    delivery.later(async () => {
      const result = (await delivery.call(client, 'auth.test', {})) as { bot_id?: string; user_id?: string } | null;
      if (result) Object.assign(identity, { botId: result.bot_id, botUserId: result.user_id });
    });
  return {
    app,
    client,
    /** Waits for the replies started so far (delivered or given up). */
    settled: delivery.settled,
    /**
     * Listens on `port` (0: any free one) in HTTP mode, or connects in Socket Mode; returns the port (null in Socket
     * Mode).
     */
    async start(port = 3001, host = '127.0.0.1'): Promise<{ port: number | null; stop: () => Promise<void> }> {
      checkToken();
      if (!receiver) {
        await app.start();
        return { port: null, stop: async () => void (await app.stop()) };
      }
      const server = (await app.start({ port, host })) as Server;
      return { port: (server.address() as AddressInfo).port, stop: () => receiver.stop() };
    },
  };
}

export type SlackApp = ReturnType<typeof createSlackApp>;
