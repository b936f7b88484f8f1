import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { text } from '../api/core/text.ts';

const user = (text: string) => ({ messages: [{ role: 'user' as const, content: { type: 'text' as const, text } }] });

/** Guided tasks: a morning stock check for a ward, the preparation of a recall. */
export function registerPrompts(server: McpServer) {
  server.registerPrompt(
    'morning_stock_check',
    {
      title: 'Morning stock check for my ward · Controllo mattutino delle scorte',
      description:
        "Walks through a ward's stock, cover, expiring lots and open requests, and proposes what to request.",
      argsSchema: { ward: text().describe('The ward: its id, or its code or name (e.g. CARD, Cardiologia)') },
    },
    ({ ward }) =>
      user(`Morning stock check for the ward "${ward}". Answer in the language I write in.
1. If "${ward}" is not a UUID, read the resource scorta://locations and find the ward by code or name.
2. Call get_stock with location_id = the ward's id. For each item in totals, note available, expired, quarantined and \
recalled quantities and daysOfCover.
3. Flag items with daysOfCover below 3 (or available 0), and any expired, quarantined or recalled stock still on the \
shelves.
4. Call list_expiring_lots with location_id = the ward's id and within_days 14: the ward's stock that expires (or has \
expired) in the next two weeks, per lot.
5. Call list_requests with destination_id = the ward's id and status open, so nothing already requested is asked for \
twice.
6. Summarise in a short table, then call emit_request (urgency urgent when cover is below 1 day) with quantities for \
about a week of demand (weeklyDemand): it only proposes. Show me its text and call confirm_proposal only if I agree.`),
  );

  server.registerPrompt(
    'prepare_recall',
    {
      title: 'Prepare a recall for a lot · Prepara il richiamo di un lotto',
      description:
        'Finds and traces a lot, drafts the recall (who holds it, how much, what was ' +
        'already used), proposes it, records it once confirmed and follows its progress.',
      argsSchema: { lot: text().describe('The lot: its id, or its lot code') },
    },
    ({ lot }) =>
      user(`Prepare a recall for the lot "${lot}".
1. If "${lot}" is not a UUID, call find_lot with lot_code "${lot}" (if several items use the code, ask me which one).
2. Call trace_lot with lot_id. From holders, list every location with onHand > 0 (what must be collected) and where it \
was consumed (consumed > 0: patients may have received it).
3. From the timeline, give the supplier receipt(s) (documentType, documentId) and the first and last movement dates.
4. Draft a recall notice for each holding ward (Italian and English), and a summary for the pharmacy: lot, item, \
quantities to collect per location, total consumed.
5. Ask me whether to quarantine (quarantine_lot, reversible) or recall (recall_lot, final) the lot, with the reason \
and the notice's reference, then call it: it only proposes. Show me its text and call confirm_proposal only if I \
agree; a ward nurse's token is refused: then tell me to ask the pharmacy or the warehouse.
6. Then call get_recall with lot_id and show, per holder, what it had at the recall, what was consumed before, what it \
has returned and what is still out.`),
  );
}
