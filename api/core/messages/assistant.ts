import type { Entry } from './index.ts';

/** What the assistant (Slack, voice, the chat proposals) says, in Italian and English. `{name}` is a parameter. */
export const assistant = {
  // Help, linking, errors (bot/conversation.ts, bot/conversation/texts.ts)
  help_text: {
    it: 'Posso dirti le giacenze ("quanti guanti M in cardiologia?"), ordinare per il tuo reparto ("ordina 20 guanti M per cardiologia, urgente": ti chiedo sempre conferma), tracciare un lotto ("dov\'è il lotto A23B117?"), dirti cosa scade ("cosa scade entro 30 giorni in cardiologia?") e a che punto è una richiesta ("RIC-2026-000123").',
    en: 'I can tell you stock ("how many M gloves in cardiology?"), order for your ward ("order 20 M gloves for cardiology, urgent": I always ask you to confirm), trace a lot ("where is lot A23B117?"), tell you what expires ("what expires in 30 days in cardiology?") and where a request stands ("RIC-2026-000123").',
  },
  help_speech: {
    it: 'Posso dirti le giacenze, ordinare per il tuo reparto con la tua conferma, tracciare un lotto, dirti cosa scade e a che punto è una richiesta.',
    en: 'I can tell you stock, order for your ward once you confirm, trace a lot, tell you what expires and where a request stands.',
  },
  unlinked: {
    it: "Non sei ancora collegato a Scorta. Chiedi un codice di collegamento (all'amministratore, o `npm run cli -- chat-link-code --user <utente>`) e scrivimi `collega CODICE`.",
    en: 'You are not linked to Scorta yet. Ask for a link code (from your administrator, or `npm run cli -- chat-link-code --user <username>`) and send me `link CODE`.',
  },
  unlinked_speech: {
    it: "Non sei ancora collegato a Scorta. Collega il tuo account nell'app Alexa.",
    en: 'You are not linked to Scorta yet. Link your account in the Alexa app.',
  },
  linked: {
    it: 'Collegato: agisci come {name} ({username}), con il suo ruolo. {help}',
    en: "Linked: you act as {name} ({username}), with that user's role. {help}",
  },
  error_internal: {
    it: 'Si è verificato un errore interno: riprova più tardi.',
    en: 'Something went wrong on our side: try again later.',
  },
  error_forbidden: {
    it: 'Non hai accesso a questo: puoi vedere e chiedere solo per i luoghi del tuo ruolo.',
    en: 'You have no access to this: you can only see and ask for the locations of your role.',
  },
  out_of_scope_clinical: {
    it: 'Mi occupo di logistica: non posso prenotare esami o registrare parametri clinici.',
    en: 'I handle logistics: I cannot book exams or record clinical parameters.',
  },
  out_of_scope: { it: 'Non posso aiutarti con questo.', en: "I can't help with that." },
  nothing_ordered: { it: 'Non ho ordinato niente.', en: 'Nothing was ordered.' },
  at_location: { it: 'in {location}', en: 'at {location}' },

  // Deciding a proposal (bot/conversation.ts)
  outcome_request: { it: 'richiesta {reference} inviata', en: 'request {reference} sent' },
  outcome_lot: { it: 'lotto {reference} {status}', en: 'lot {reference} {status}', labels: { status: 'lot' } },
  confirmed: { it: 'Fatto: {outcome}. {what}', en: 'Done: {outcome}. {what}' },
  confirmed_again: { it: 'Già confermata: {outcome}. {what}', en: 'Already confirmed: {outcome}. {what}' },
  confirmed_speech: { it: 'Fatto. {outcome}.', en: 'Done. {outcome}.' },
  cancelled_lot: {
    it: "Annullata, il lotto resta com'era. {what}",
    en: 'Cancelled, the lot stays as it was. {what}',
  },
  cancelled_lot_speech: { it: 'Va bene, non cambio niente.', en: 'OK, nothing changed.' },
  cancelled_order: { it: 'Annullata, non ho ordinato niente. {what}', en: 'Cancelled, nothing was ordered. {what}' },
  cancelled_order_speech: { it: 'Va bene, non ordino niente.', en: 'OK, nothing ordered.' },

  // Table columns and proposal fields
  column_action: { it: 'Azione', en: 'Action' },
  column_available: { it: 'Disponibile', en: 'Available' },
  column_days: { it: 'Giorni', en: 'Days' },
  column_expiry: { it: 'Scadenza', en: 'Expiry' },
  column_issued_asked: { it: 'Evaso / richiesto', en: 'Issued / asked' },
  column_item: { it: 'Articolo', en: 'Item' },
  column_line_status: { it: 'Stato riga', en: 'Line status' },
  column_location: { it: 'Luogo', en: 'Location' },
  column_lot: { it: 'Lotto', en: 'Lot' },
  column_number: { it: 'Numero', en: 'Number' },
  column_on_hand: { it: 'Giacenza', en: 'On hand' },
  column_order_by: { it: 'Ordinare entro', en: 'Order by' },
  column_patient: { it: 'Paziente', en: 'Patient' },
  column_quantity: { it: 'Quantità', en: 'Quantity' },
  column_status: { it: 'Stato', en: 'Status' },
  column_urgency: { it: 'Urgenza', en: 'Urgency' },
  column_ward: { it: 'Reparto', en: 'Ward' },

  // Stock (bot/conversation/stock.ts)
  stock_unusable: {
    it: ', più {quantity} non utilizzabili ({parts})',
    en: ', plus {quantity} not usable ({parts})',
  },
  stock_none: { it: 'Nessuna giacenza {scope}.', en: 'No stock {scope}.' },
  stock_line: {
    it: '{where}: {quantity} disponibili di {item}{unusable}',
    en: '{where}: {quantity} available of {item}{unusable}',
  },
  stock_more_rows: { it: 'e altre {rows} righe.', en: 'and {rows} more rows.' },
  stock_title: { it: 'Giacenze {scope}', en: 'Stock {scope}' },
  stock_everywhere: { it: 'nei luoghi che puoi vedere', en: 'at the locations you can see' },
  stock_which: {
    it: 'Di quale articolo o reparto vuoi sapere la giacenza?',
    en: 'Which item or ward do you want the stock of?',
  },

  // Requests (bot/conversation/status.ts)
  requests_none: { it: 'Nessuna richiesta dei tuoi reparti.', en: 'No requests from your wards.' },
  requests_latest: {
    it: "L'ultima richiesta, {number}, è {status}.",
    en: 'The latest request, {number}, is {status}.',
    labels: { status: 'request' },
  },
  requests_title: { it: 'Ultime richieste', en: 'Latest requests' },
  request_not_found: {
    it: 'Non trovo la richiesta {number} tra quelle dei tuoi reparti.',
    en: "I cannot find request {number} among your wards' requests.",
  },
  request_status: {
    it: 'La richiesta {number} per {destination} è {status}.',
    en: 'Request {number} for {destination} is {status}.',
    labels: { status: 'request' },
  },

  // Home care (bot/conversation/status.ts, bot/conversation/home-care.ts)
  patient_which: {
    it: 'Di quale paziente? Dimmi il codice, per esempio P-003.',
    en: 'Which patient? Tell me the code, for example P-003.',
  },
  patient_not_yours: { it: 'Il paziente {code} non è tra i tuoi.', en: 'Patient {code} is not one of yours.' },
  patient_unknown: { it: 'Paziente {code} sconosciuto.', en: 'Unknown patient {code}.' },
  patient_check_code: {
    it: 'Controlla il codice (per esempio {example}).',
    en: 'Check the code (for example {example}).',
  },
  cover_none: { it: 'nessun consumo registrato', en: 'no recorded use' },
  cover_days: { it: 'scorte per {days} giorni', en: 'supplies for {days} days' },
  patient_cover: { it: 'Paziente {code}: {cover}.', en: 'Patient {code}: {cover}.' },
  patient_first_out: { it: 'Il primo a finire: {item}, {quantity}.', en: 'First to run out: {item}, {quantity}.' },
  patient_title: { it: 'Forniture del paziente {code}', en: 'Supplies of patient {code}' },
  supplies: { it: 'scorte', en: 'supplies' },
  running_out_none: {
    it: 'Nessun paziente resta senza {what} entro {days} giorni.',
    en: 'No patient runs out of {what} within {days} days.',
  },
  running_out: {
    it: '{count} pazienti restano senza {what} entro {days} giorni: {patients}. Il primo: {patient}, {item} tra {cover} giorni.',
    en: '{count} patients run out of {what} within {days} days: {patients}. First: {patient}, {item} in {cover} days.',
    one: {
      it: 'Un paziente resta senza {what} entro {days} giorni: {patients}. Il primo: {patient}, {item} tra {cover} giorni.',
      en: 'One patient runs out of {what} within {days} days: {patients}. First: {patient}, {item} in {cover} days.',
    },
  },
  running_out_title: {
    it: 'Pazienti senza {what} entro {days} giorni',
    en: 'Patients running out of {what} within {days} days',
  },
  horizon_enough: { it: 'Bastano per i prossimi {days} giorni.', en: 'They last the next {days} days.' },
  horizon_short: { it: 'Non bastano per {days} giorni: {names}.', en: 'They do not last {days} days: {names}.' },

  // Orders (bot/conversation/order.ts)
  order_which_of: { it: 'Quale articolo intendi? {options}.', en: 'Which item do you mean? {options}.' },
  order_which_item: { it: 'Quale articolo vuoi ordinare?', en: 'Which item do you want to order?' },
  order_how_many: { it: 'Quanti {item}?', en: 'How many {item}?' },
  order_which_ward: { it: 'Per quale reparto?', en: 'For which ward?' },
  order_note: { it: 'Richiesta dalla chat', en: 'Request from chat' },
  order_refused: { it: '{error} Non ho ordinato niente.', en: '{error} Nothing was ordered.' },
  order_refused_capped: {
    it: "{error} Non ho ordinato niente: chiedi una quantità più piccola o usa l'app Scorta.",
    en: '{error} Nothing was ordered: ask for less, or use the Scorta app.',
  },
  order_confirm: {
    it: 'Confermi la richiesta? {quantity} di {item} per {ward}, urgenza {urgency}.',
    en: 'Confirm this request? {quantity} of {item} for {ward}, urgency {urgency}.',
  },
  order_confirm_speech: {
    it: 'Ordino {quantity} di {item} per {ward}, urgenza {urgency}. Confermi?',
    en: "I'll order {quantity} of {item} for {ward}, {urgency}. Shall I go ahead?",
  },

  // Recall and quarantine (bot/conversation/lot-status.ts)
  action_recall: { it: 'Richiamo (definitivo)', en: 'Recall (final)' },
  action_quarantine: { it: 'Quarantena', en: 'Quarantine' },
  lot_action_confirm: {
    it: 'Confermi? {action} del lotto {lotCode} di {item}: nessuno potrà più usarlo.',
    en: 'Confirm? {action} of lot {lotCode} of {item}: nobody will be able to use it.',
  },
  lot_action_confirm_speech: {
    it: '{action} del lotto {lotCode} di {item}. Confermi?',
    en: '{action} of lot {lotCode} of {item}. Shall I go ahead?',
  },

  // Nlu slot checks (bot/nlu/validate-slots.ts)
  quantity_not_positive: {
    it: 'La quantità deve essere maggiore di zero (hai scritto {quantity}).',
    en: 'The quantity must be more than zero (you wrote {quantity}).',
  },
  quantity_not_integer: {
    it: 'La quantità deve essere un numero intero (hai scritto {quantity}).',
    en: 'The quantity must be a whole number (you wrote {quantity}).',
  },
  quantity_too_large: {
    it: '{quantity} è oltre il massimo di {max} per riga: controlla la quantità.',
    en: '{quantity} is over the {max} per line limit: check the quantity.',
  },
  several_lines: {
    it: 'Ho letto più quantità: indicami un articolo alla volta.',
    en: 'I read more than one quantity: please ask for one item at a time.',
  },

  // Voice (bot/voice/)
  voice_launch: { it: 'Ciao, sono Scorta. Cosa ti serve?', en: 'Hi, this is Scorta. What do you need?' },
  voice_goodbye: { it: 'Va bene, a presto.', en: 'OK, goodbye.' },
  voice_confirm_prompt: { it: 'Confermi? Dì sì o no.', en: 'Shall I go ahead? Say yes or no.' },
  voice_help: {
    it: 'Puoi chiedermi le giacenze, per esempio: quanti guanti M in cardiologia. Oppure ordinare: ordina 20 guanti M per cardiologia. Ti chiederò sempre conferma.',
    en: 'You can ask me for stock, for example: how many M gloves in cardiology. Or order: order 20 M gloves for cardiology. I will always ask you to confirm.',
  },
  voice_nothing_to_confirm: {
    it: "Non c'è niente da confermare. Cosa ti serve?",
    en: 'There is nothing to confirm. What do you need?',
  },
  voice_not_understood: {
    it: 'Non ho capito. Ripeti, per favore.',
    en: 'I did not catch that. Please say it again.',
  },

  // Slack (bot/slack/)
  slack_not_yours_confirm: {
    it: "Questa proposta è di un'altra persona: solo chi l'ha fatta può confermarla.",
    en: 'This proposal belongs to someone else: only the person who made it can confirm it.',
  },
  slack_not_yours_cancel: {
    it: "Questa proposta è di un'altra persona: solo chi l'ha fatta può annullarla.",
    en: 'This proposal belongs to someone else: only the person who made it can cancel it.',
  },
  slack_working: { it: 'Ci sto lavorando…', en: 'Working on it…' },
  slack_use_buttons: {
    it: 'Per confermare o annullare usa i pulsanti sotto la proposta.',
    en: 'Use the buttons under the proposal to confirm or cancel.',
  },
  slack_confirm_heading: {
    it: 'Confermi? Verrà scritto esattamente questo:',
    en: 'Confirm? Exactly this will be written:',
  },
  slack_confirm_button: { it: 'Conferma', en: 'Confirm' },
  slack_cancel_button: { it: 'Annulla', en: 'Cancel' },
  slack_proposal_expiry: {
    it: 'Niente viene scritto senza conferma. Scade alle {time} UTC.',
    en: 'Nothing is written without confirmation. Expires at {time} UTC.',
  },
  slack_location_not_found: { it: 'Non trovo il luogo {code}.', en: 'I cannot find location {code}.' },
  slack_alerts_here: {
    it: 'Gli avvisi di {location} (sottoscorta, richiami) arriveranno in questo canale.',
    en: 'Alerts of {location} (under-stock, recalls) will be posted in this channel.',
  },

  // Alerts posted to a ward's channel, in Italian (bot/slack/alerts.ts)
  alert_under_stock: {
    it: 'Sottoscorta {destination}: richiesta {number} ({urgency}).',
    en: 'Under stock at {destination}: request {number} ({urgency}).',
    labels: { urgency: 'urgency' },
  },
  alert_kind_recall: { it: 'Richiamo', en: 'Recall' },
  alert_kind_quarantine: { it: 'Quarantena', en: 'Quarantine' },
  alert_kind_quarantine_lifted: { it: 'Quarantena revocata', en: 'Quarantine lifted' },
  alert_kind_recall_closed: { it: 'Richiamo chiuso', en: 'Recall closed' },
  alert_lot: { it: 'lotto {lotCode} · {item}', en: 'lot {lotCode} · {item}' },
  alert_lot_expiry: { it: 'scad. {expiry}', en: 'exp. {expiry}' },
  alert_reason: { it: 'Motivo: {reason}', en: 'Reason: {reason}' },
  alert_held: { it: 'Presente in: {holders}', en: 'Held at: {holders}' },

  // Proposals described to whoever confirms them (api/chat/proposal-summaries.ts)
  proposal_request: {
    it: 'Emetterò una richiesta per {destination}, urgenza {urgency}{neededBy}: {lines}. Non è ancora stato scritto niente: conferma per inviarla.',
    en: 'I will emit a request for {destination}, urgency {urgency}{neededBy}: {lines}. Nothing has been written yet: confirm to send it.',
    labels: { urgency: 'urgency' },
  },
  proposal_needed_by: { it: ', necessaria entro {date}', en: ', needed by {date}' },
  proposal_recall: {
    it: 'Richiamerò il lotto {lotCode} di {item} ({name}), scadenza {expiry}: è definitivo, nessuno potrà più usarlo e potrà solo tornare al magazzino che lo ha ricevuto; i reparti che lo hanno saranno avvisati e i loro armadi bloccati. Motivo: {reason}. Non è ancora stato scritto niente: conferma per procedere.',
    en: 'I will recall lot {lotCode} of {item} ({name}), expiry {expiry}: final, nobody may use it any more and it may only go back to the store that received it; the wards holding it are notified and their cabinets locked. Reason: {reason}. Nothing has been written yet: confirm to go ahead.',
  },
  proposal_quarantine: {
    it: 'Metterò in quarantena il lotto {lotCode} di {item} ({name}), scadenza {expiry}: nessuno potrà usarlo finché la quarantena non viene tolta; i reparti che lo hanno saranno avvisati e i loro armadi bloccati. Motivo: {reason}. Non è ancora stato scritto niente: conferma per procedere.',
    en: 'I will put lot {lotCode} of {item} ({name}), expiry {expiry}, in quarantine: nobody may use it until the quarantine is lifted; the wards holding it are notified and their cabinets locked. Reason: {reason}. Nothing has been written yet: confirm to go ahead.',
  },
} as const satisfies Record<string, Entry>;
