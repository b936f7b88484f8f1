import type { App } from '@slack/bolt';
import type { AlertSetup } from '../alert-setup.ts';
import type { SlackDelivery } from '../delivery.ts';
import { failedText, type SlackDialogue, workingText } from '../dialogue.ts';

/** The answer, or `late` if it is not ready within `ms` (0: always late). */
const within = <T>(work: Promise<T>, ms: number) =>
  ms > 0
    ? Promise.race([work, new Promise<'late'>((resolve) => setTimeout(resolve, ms, 'late').unref())])
    : ('late' as const);

/**
 * `/scorta <question or order>`, `/scorta link CODE`, `/scorta alerts CARD`: answered privately (ephemeral), in the
 * acknowledgement when ready within `answerWithinMs`, else acknowledged at once and answered through `response_url`.
 */
export function register(
  app: App,
  dialogue: SlackDialogue,
  alerts: AlertSetup,
  delivery: SlackDelivery,
  answerWithinMs: number,
) {
  app.command('/scorta', async ({ command, ack }) => {
    const origin = { team: command.team_id, user: command.user_id, channel: command.channel_id };
    const answer = (async () =>
      (await alerts.handle(origin, command.text)) ?? (await dialogue.answer(origin, command.text || 'aiuto')))().catch(
      (error) => {
        console.error('Slack /scorta failed', error);
        return failedText;
      },
    );
    const ready = await within(answer, answerWithinMs);
    if (ready !== 'late') return ack({ response_type: 'ephemeral', ...ready });
    await ack({ response_type: 'ephemeral', text: workingText });
    delivery.later(async () =>
      delivery.respond(command.response_url, { response_type: 'ephemeral', ...(await answer) }),
    );
  });
}
