import type { App } from '@slack/bolt';
import type { SlackDialogue } from '../dialogue.ts';

/** Direct messages to the bot (channel messages are answered only when they mention it: app_mention). */
export function register(app: App, dialogue: SlackDialogue) {
  app.message(async ({ message, body, say }) => {
    if (message.subtype !== undefined || message.channel_type !== 'im' || !message.text) return;
    await say(await dialogue.answer({ team: body.team_id ?? '', user: message.user, channel: message.channel }, message.text));
  });
}
