import type { App } from '@slack/bolt';
import type { SlackDelivery } from '../delivery.ts';
import type { SlackDialogue } from '../dialogue.ts';

/**
 * "@Scorta quanti guanti M in cardiologia?" in a channel: the answer goes in the message's thread, after the
 * acknowledgement.
 */
export function register(app: App, dialogue: SlackDialogue, delivery: SlackDelivery) {
  app.event('app_mention', async ({ event, body, client }) => {
    if (!event.user) return;
    const user = event.user;
    delivery.later(async () => {
      const answer = await dialogue.answer(
        { team: body.team_id ?? event.team ?? '', user, channel: event.channel },
        event.text,
      );
      await delivery.call(client, 'chat.postMessage', {
        channel: event.channel,
        thread_ts: event.thread_ts ?? event.ts,
        ...answer,
      });
    });
  });
}
