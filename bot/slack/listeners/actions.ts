import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { answerAction, cancelAction, confirmAction } from '../blocks.ts';
import type { SlackDialogue } from '../dialogue.ts';

/** Confirm / cancel buttons of a proposal, and the ready answers of a question. */
export function register(app: App, dialogue: SlackDialogue) {
  for (const [id, confirmed] of [[confirmAction, true], [cancelAction, false]] as const) {
    app.action<BlockAction<ButtonAction>>(id, async ({ ack, action, body, client, respond }) => {
      await ack();
      const result = await dialogue.decide({ team: body.team?.id ?? body.user.team_id ?? '', user: body.user.id }, action.value ?? '', confirmed);
      if (body.container.message_ts && !body.container.is_ephemeral && body.channel) await client.chat.update({ channel: body.channel.id, ts: body.container.message_ts, ...result });
      else await respond({ replace_original: true, ...result });
    });
  }
  app.action<BlockAction<ButtonAction>>(new RegExp(`^${answerAction}_`), async ({ ack, action, body, respond, say }) => {
    await ack();
    const answer = await dialogue.answer({ team: body.team?.id ?? body.user.team_id ?? '', user: body.user.id, channel: body.channel?.id ?? '' }, action.value ?? '', true);
    if (body.channel && !body.container.is_ephemeral) await say(answer);
    else await respond({ replace_original: false, ...answer });
  });
}
