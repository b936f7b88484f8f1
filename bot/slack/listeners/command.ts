import type { App } from '@slack/bolt';
import type { SlackDialogue } from '../dialogue.ts';
import type { AlertSetup } from '../alert-setup.ts';

/** `/scorta <question or order>`, `/scorta link CODE`, `/scorta alerts CARD`: answered privately (ephemeral). */
export function register(app: App, dialogue: SlackDialogue, alerts: AlertSetup) {
  app.command('/scorta', async ({ command, ack }) => {
    const origin = { team: command.team_id, user: command.user_id, channel: command.channel_id };
    const answer = (await alerts.handle(origin, command.text)) ?? (await dialogue.answer(origin, command.text || 'aiuto'));
    await ack({ response_type: 'ephemeral', ...answer });
  });
}
