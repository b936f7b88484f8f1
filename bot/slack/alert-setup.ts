import { setAlertChannel } from '../../api/chat/alert-channels.ts';
import { listLocations } from '../../api/locations/locations.ts';
import type { Database } from '../../db/client.ts';
import { DomainError } from '../../api/core/errors.ts';
import { render } from '../../api/core/messages/index.ts';
import { renderReply } from './blocks.ts';
import type { SlackDialogue, SlackOrigin } from './dialogue.ts';

/**
 * `/scorta alerts CARD` (or `canale CARD`) in a channel: that ward's alerts are posted there. Admins only (the core
 * decides).
 */
export function alertSetup(db: Database, dialogue: SlackDialogue) {
  return {
    /** Handles the command when the text is an alert set-up; null otherwise. */
    async handle(o: SlackOrigin, text: string) {
      const m = /^\s*(?:alerts?|avvisi|canale|channel)\s+(\S+)\s*$/i.exec(text);
      if (!m) return null;
      const who = await dialogue.speaker(o);
      if (!who) return dialogue.answer(o, text);
      const ctx = { db, actor: who.actor, now: () => new Date() };
      const l = who.locale;
      try {
        const found = (await listLocations({ ctx, input: { q: m[1]!, limit: 20 } })).data.find(
          (x) => x.code.toLowerCase() === m[1]!.toLowerCase(),
        );
        if (!found)
          return renderReply({
            kind: 'refusal',
            language: l,
            text: render('slack_location_not_found', l, { code: m[1]! }),
            speech: '',
          });
        await setAlertChannel({
          ctx,
          input: { locationId: found.id, provider: 'slack', workspace: o.team, channelId: o.channel },
        });
        const text = render('slack_alerts_here', l, { location: found.name });
        return renderReply({ kind: 'answer', language: l, text, speech: text });
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        return renderReply({ kind: 'refusal', language: l, text: error.localized(l), speech: '' });
      }
    },
  };
}

export type AlertSetup = ReturnType<typeof alertSetup>;
