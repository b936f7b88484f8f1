import type { webApi } from '@slack/bolt';
import { listAlertChannels } from '../../api/chat/alert-channels.ts';
import { deliverChatNotifications } from '../../api/chat/deliver-notifications.ts';
import { systemActor } from '../../api/core/context.ts';
import type { RequestView } from '../../api/requests/request-view.ts';
import type { Database } from '../../db/client.ts';
import { isCatalogueKey, render } from '../../api/core/messages/index.ts';
import { slackFailure } from './delivery.ts';

type WebClient = webApi.WebClient;

/**
 * chat.postMessage for an alert; a failure is thrown as one plain sentence (method, host, network code or status), kept
 * with the outbox row.
 */
async function post(client: WebClient, message: { channel: string; text: string; blocks?: unknown[] }) {
  try {
    await client.chat.postMessage({ ...message, ...(message.blocks ? { blocks: message.blocks as never } : {}) });
  } catch (error) {
    throw new Error(
      `Slack Web API chat.postMessage at ${new URL(client.slackApiUrl).host} ` +
        `to ${message.channel} failed: ${slackFailure(error)}`,
      { cause: error },
    );
  }
}

/**
 * Posts an alert to the Slack channels set for a location or any location above it (a cabinet's alert
 * reaches its ward's channel). Returns the channels posted to; a failing channel does not stop the others.
 */
export async function postLocationAlert(
  db: Database,
  client: WebClient,
  alert: { organisationId: string; locationId: string; text: string; blocks?: unknown[] },
) {
  const ctx = { db, actor: systemActor(alert.organisationId, 'slack'), now: () => new Date() };
  const channels = await listAlertChannels({ ctx, input: { locationId: alert.locationId, provider: 'slack' } });
  const posted: string[] = [];
  for (const c of channels) {
    try {
      await post(client, { channel: c.channelId, text: alert.text, ...(alert.blocks ? { blocks: alert.blocks } : {}) });
      posted.push(c.channelId);
    } catch (error) {
      console.error((error as Error).message);
    }
  }
  return posted;
}

const urgencyIcon = { normal: '🟢', urgent: '🟠', emergency: '🔴' } as const;

/** The Slack text of an under-stock request: urgency, where, its number, and its lines. */
const underStockText = (r: {
  urgency: keyof typeof urgencyIcon;
  number: string;
  destination: string;
  lines: { code: string; name: string; quantity: number; unit: string }[];
}) => {
  const headline = render('alert_under_stock', 'it', {
    destination: r.destination,
    number: r.number,
    urgency: r.urgency,
  });
  const lines = r.lines.map((l) => `• ${l.code} ${l.name}: ${l.quantity} ${l.unit}`);
  return `${urgencyIcon[r.urgency]} ${headline}\n${lines.join('\n')}`;
};

/** Tells a ward's channel that an under-stock request was emitted for it (call after the request commits). */
export async function notifyUnderStock(
  db: Database,
  client: WebClient,
  request: Pick<RequestView, 'organisationId' | 'destinationId' | 'number' | 'urgency' | 'destination' | 'lines'>,
) {
  const text = underStockText({
    urgency: request.urgency,
    number: request.number,
    destination: request.destination.name,
    lines: request.lines.map((l) => ({
      code: l.item.code,
      name: l.item.name,
      quantity: l.quantityRequested,
      unit: l.item.unit,
    })),
  });
  return postLocationAlert(db, client, {
    organisationId: request.organisationId,
    locationId: request.destinationId,
    text,
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: text.slice(0, 3000) } }],
  });
}

const recallIcons: Record<string, string> = {
  recall: '🔴',
  quarantine: '🟠',
  quarantine_lifted: '🟢',
  recall_closed: '✅',
};

/** "🔴 Richiamo": a lot notification's kind with its icon, in Italian; a kind the catalogue does not know as it is. */
const recallWords = (kind: string) => {
  const key = `alert_kind_${kind}`;
  return isCatalogueKey(key) ? `${recallIcons[kind]} ${render(key, 'it')}` : kind;
};

/**
 * Posts the pending chat notifications of an organisation (the outbox's `chat` rows: recalls, quarantines and
 * under-stock requests) to the wards' channels. Call it every few seconds (the server's dispatcher does).
 */
export async function dispatchRecallAlerts(db: Database, client: WebClient, organisationId: string) {
  const ctx = { db, actor: systemActor(organisationId, 'slack'), now: () => new Date() };
  return deliverChatNotifications({
    ctx,
    send: async (n, to) => {
      if (n.kind === 'under_stock') {
        const u = n.payload as {
          number: string;
          urgency: keyof typeof urgencyIcon;
          location: { name: string };
          item: { code: string; name: string; unit: string };
          quantity: number;
        };
        const text = underStockText({
          urgency: u.urgency,
          number: u.number,
          destination: u.location.name,
          lines: [{ ...u.item, quantity: u.quantity }],
        });
        for (const c of to)
          await post(client, {
            channel: c.channelId,
            text,
            blocks: [{ type: 'section', text: { type: 'mrkdwn', text: text.slice(0, 3000) } }],
          });
        return;
      }
      const p = n.payload as {
        lotCode: string;
        expiry: string | null;
        item: { code: string; name: string };
        reason: string;
        holders?: { code: string; name: string; onHand: number }[];
      };
      const held = (p.holders ?? []).map((h) => `${h.name} (${h.code}): ${h.onHand}`).join(', ');
      const lot = render('alert_lot', 'it', { lotCode: p.lotCode, item: `${p.item.code} ${p.item.name}` });
      const expiry = p.expiry ? ` · ${render('alert_lot_expiry', 'it', { expiry: p.expiry })}` : '';
      const reason = render('alert_reason', 'it', { reason: p.reason });
      const where = held ? `\n${render('alert_held', 'it', { holders: held })}` : '';
      const text = `${recallWords(n.kind)} ${lot}${expiry}\n${reason}${where}`;
      for (const c of to)
        await post(client, {
          channel: c.channelId,
          text,
          blocks: [{ type: 'section', text: { type: 'mrkdwn', text: text.slice(0, 3000) } }],
        });
    },
  });
}
