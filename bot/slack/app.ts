import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, HTTPReceiver, LogLevel, type webApi } from '@slack/bolt';
import type { Database } from '../../db/client.ts';
import { createConversation } from '../conversation.ts';
import { alertSetup } from './alert-setup.ts';
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
  /** `{ slackApiUrl }` points the Web API client elsewhere (tests). */
  clientOptions?: webApi.WebClientOptions;
  /** Answer Slack's HTTP request only after the listener is done (tests, serverless); Slack allows 3 s. */
  processBeforeResponse?: boolean;
  now?: () => Date;
  logLevel?: LogLevel;
}

/**
 * Scorta's Slack app: Bolt over HTTP at `/slack/events` (every request's signature is verified with the
 * signing secret) or Socket Mode with an app token; DMs, mentions, `/scorta`, and confirm / cancel buttons.
 */
export function createSlackApp(options: SlackAppOptions) {
  const { db, signingSecret, botToken, appToken } = options;
  const receiver = appToken ? undefined : new HTTPReceiver({ signingSecret, endpoints: '/slack/events', processBeforeResponse: options.processBeforeResponse ?? false, logLevel: options.logLevel ?? LogLevel.WARN });
  const app = new App({
    token: botToken,
    logLevel: options.logLevel ?? LogLevel.WARN,
    ...(options.clientOptions ? { clientOptions: options.clientOptions } : {}),
    ...(receiver ? { receiver } : { socketMode: true, appToken, signingSecret }),
  });
  const conversation = createConversation({ db, ...(options.now ? { now: options.now } : {}) });
  const dialogue = slackDialogue(db, conversation);
  registerMessage(app, dialogue);
  registerMention(app, dialogue);
  registerCommand(app, dialogue, alertSetup(db, dialogue));
  registerActions(app, dialogue);
  app.error(async (error) => console.error('Slack listener failed', error));
  return {
    app,
    client: app.client,
    /** Listens on `port` (0: any free one) in HTTP mode, or connects in Socket Mode; returns the port (null in Socket Mode). */
    async start(port = 3001, host = '127.0.0.1'): Promise<{ port: number | null; stop: () => Promise<void> }> {
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
