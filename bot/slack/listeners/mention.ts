import type { App } from '@slack/bolt';
import type { SlackDialogue } from '../dialogue.ts';

/** "@Scorta quanti guanti M in cardiologia?" in a channel: the answer goes in the message's thread. */
export function register(app: App, dialogue: SlackDialogue) {
  app.event('app_mention', async ({ event, body, say }) => {
    if (!event.user) return;
    const answer = await dialogue.answer({ team: body.team_id ?? event.team ?? '', user: event.user, channel: event.channel }, event.text);
    await say({ ...answer, thread_ts: event.thread_ts ?? event.ts });
  });
}
