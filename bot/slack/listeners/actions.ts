import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { answerAction, cancelAction, confirmAction } from '../blocks.ts';
import type { SlackDelivery } from '../delivery.ts';
import type { SlackDialogue } from '../dialogue.ts';

/**
 * Confirm / cancel buttons of a proposal, and the ready answers of a question: acknowledged at once, answered
 * after. The author's click replaces the proposal's message with the outcome; anyone else's gets a reply only
 * they see, and the proposal keeps its buttons.
 */
export function register(app: App, dialogue: SlackDialogue, delivery: SlackDelivery) {
  for (const [id, confirmed] of [
    [confirmAction, true],
    [cancelAction, false],
  ] as const) {
    app.action<BlockAction<ButtonAction>>(id, async ({ ack, action, body, client }) => {
      await ack();
      delivery.later(async () => {
        const { foreign, reply } = await dialogue.decide(
          { team: body.team?.id ?? body.user.team_id ?? '', user: body.user.id },
          action.value ?? '',
          confirmed,
        );
        if (foreign) {
          if (body.response_url)
            return delivery.respond(body.response_url, {
              response_type: 'ephemeral',
              replace_original: false,
              ...reply,
            });
          if (body.channel)
            return delivery.call(client, 'chat.postEphemeral', {
              channel: body.channel.id,
              user: body.user.id,
              ...reply,
            });
          return;
        }
        if (body.container.message_ts && !body.container.is_ephemeral && body.channel)
          return delivery.call(client, 'chat.update', {
            channel: body.channel.id,
            ts: body.container.message_ts,
            ...reply,
          });
        return delivery.respond(body.response_url, { replace_original: true, ...reply });
      });
    });
  }
  app.action<BlockAction<ButtonAction>>(new RegExp(`^${answerAction}_`), async ({ ack, action, body, client }) => {
    await ack();
    delivery.later(async () => {
      const answer = await dialogue.answer(
        { team: body.team?.id ?? body.user.team_id ?? '', user: body.user.id, channel: body.channel?.id ?? '' },
        action.value ?? '',
        true,
      );
      if (body.channel && !body.container.is_ephemeral)
        return delivery.call(client, 'chat.postMessage', { channel: body.channel.id, ...answer });
      return delivery.respond(body.response_url, { replace_original: false, ...answer });
    });
  });
}
