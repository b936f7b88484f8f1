import type { App } from '@slack/bolt';
import type { SlackDelivery } from '../delivery.ts';
import type { SlackDialogue } from '../dialogue.ts';

/**
 * Direct messages to the bot (channel messages are answered only when they mention it: app_mention); bots, this one
 * included, are not answered.
 */
export function register(app: App, dialogue: SlackDialogue, delivery: SlackDelivery) {
  app.message(async ({ message, body, client }) => {
    if (message.subtype !== undefined || message.channel_type !== 'im' || !message.text || message.bot_id) return;
    const { user, channel, text } = message;
    delivery.later(async () => {
      const answer = await dialogue.answer({ team: body.team_id ?? '', user, channel }, text);
      await delivery.call(client, 'chat.postMessage', { channel, ...answer });
    });
  });
}
