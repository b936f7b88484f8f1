import type { Entry } from './index.ts';

/** Every message a person reads from the core's errors, in Italian and English. `{name}` is a parameter. */
export const errors = {
  validation: { en: 'The request is not valid.', it: 'La richiesta non è valida.' },
  not_found: { en: '{entity} {id} does not exist.', it: '{entity} {id} non esiste.', labels: { entity: 'entity' } },
  forbidden: {
    en: 'You are not allowed to {action} here.',
    it: 'Non hai il permesso di {action} qui.',
    labels: { action: 'action' },
  },
  forbidden_destination: {
    en: 'You are not allowed to {action} into {location}.',
    it: 'Non hai il permesso di {action} verso {location}.',
    labels: { action: 'action' },
  },
  forbidden_platform: {
    en: 'A platform operation ({action}): it is done with the command line (npm run cli), not through the API.',
    it: "Operazione di piattaforma ({action}): si esegue da riga di comando (npm run cli), non tramite l'API.",
    labels: { action: 'action' },
  },
  forbidden_assistant: {
    en: 'An assistant cannot {action}: tokens, users, roles and organisations are managed only by a person with their own token.',
    it: 'Un assistente non può {action}: token, utenti, ruoli e aziende li gestisce solo una persona con il proprio token.',
    labels: { action: 'action' },
  },
  token_expiry_past: {
    en: 'The expiry {expiresAt} is not in the future: a token must expire after it is created.',
    it: 'La scadenza {expiresAt} non è nel futuro: un token deve scadere dopo la sua creazione.',
  },
  unsafe_text: {
    en: 'The text in {field} contains a NUL character or an unpaired surrogate: send plain Unicode text.',
    it: 'Il testo in {field} contiene un carattere NUL o un surrogato spaiato: invia testo Unicode valido.',
  },
  unauthorized: { en: 'A valid API token is required.', it: 'Serve un token API valido.' },
  internal: { en: 'Something went wrong on our side.', it: 'Si è verificato un errore interno.' },
  insufficient_stock: {
    en: 'Not enough stock: {requested} requested, {available} available.',
    it: 'Giacenza insufficiente: richiesti {requested}, disponibili {available}.',
  },
  lot_unavailable: {
    en: 'Lot {lotCode} cannot be used: it is {status}.',
    it: 'Il lotto {lotCode} non è utilizzabile: è {status}.',
    labels: { status: 'lot' },
  },
  lot_already_in_status: {
    en: 'Lot {lotCode} is already {status}: there is nothing to change.',
    it: "Il lotto {lotCode} è già {status}: non c'è niente da cambiare.",
    labels: { status: 'lot' },
  },
  lot_recall_final: {
    en: 'Lot {lotCode} is recalled and a recall is final: it can no longer be “{to}”.',
    it: 'Il lotto {lotCode} è richiamato e il richiamo è definitivo: non può più essere «{to}».',
    labels: { to: 'lot' },
  },
  lot_not_quarantined: {
    en: 'Lot {lotCode} is not in quarantine (it is {status}): there is no quarantine to lift.',
    it: "Il lotto {lotCode} non è in quarantena (è {status}): non c'è una quarantena da revocare.",
    labels: { status: 'lot' },
  },
  lot_expired: { en: 'Lot {lotCode} expired on {expiry}.', it: 'Il lotto {lotCode} è scaduto il {expiry}.' },
  lot_item_mismatch: {
    en: 'Lot {lotCode} already exists for another item, with expiry {expiry}.',
    it: 'Il lotto {lotCode} esiste già con un altro articolo o scadenza ({expiry}).',
  },
  same_location: { en: 'Source and destination must differ.', it: 'Origine e destinazione devono essere diverse.' },
  invalid_cursor: {
    en: 'The page cursor is not valid: use the nextCursor of a previous page.',
    it: 'Il cursore di pagina non è valido: usa il nextCursor di una pagina precedente.',
  },
  range_inverted: { en: '{from} must not come after {to}.', it: '{from} non può essere successivo a {to}.' },
  already_reversed: { en: 'Movement {id} has already been reversed.', it: 'Il movimento {id} è già stato stornato.' },
  cannot_reverse_reversal: {
    en: 'A reversal cannot itself be reversed; record a new movement instead.',
    it: 'Uno storno non può essere stornato: registra un nuovo movimento.',
  },
  idempotency_mismatch: {
    en: 'Idempotency key {key} was already used for a different request.',
    it: 'La chiave di idempotenza {key} è già stata usata per una richiesta diversa.',
  },
  duplicate: {
    en: '{entity} {value} already exists.',
    it: '{entity} {value} esiste già.',
    labels: { entity: 'entity' },
  },
  no_change: {
    en: 'The count equals the stock on hand: nothing to adjust.',
    it: 'Il conteggio coincide con la giacenza: nessuna rettifica.',
  },
  invalid_transition: {
    en: 'Not possible: {entity} in state “{from}” cannot move to “{to}”.',
    it: 'Operazione non possibile: {entity} in stato «{from}» non può passare a «{to}».',
    labels: { entity: 'entity', from: 'state', to: 'state' },
  },
  no_section: {
    en: 'No procurement section is competent for the category of item {item}.',
    it: "Nessuna sezione ordinante è competente per la categoria dell'articolo {item}.",
  },
  budget_exceeded: {
    en: 'Approving this exceeds the ward budget: {value} € requested, {remaining} € left for the period.',
    it: 'Approvando si supera il budget del reparto: {value} € richiesti, {remaining} € residui nel periodo.',
  },
  contract_exceeded: {
    en: 'Approving this exceeds contract {reference}: {quantity} requested, {remaining} left.',
    it: 'Approvando si supera il contratto {reference}: richiesti {quantity}, residui {remaining}.',
  },
  destination_not_orderable: {
    en: "A request goes to a ward, a ward store, a cabinet or a patient's home, not to {location} ({code}): warehouses and pharmacies buy with purchase orders.",
    it: 'Una richiesta va a un reparto, un armadio di reparto, un armadietto o il domicilio di un paziente, non a {location} ({code}): magazzini e farmacie acquistano con ordini ai fornitori.',
  },
  quantity_above_usual: {
    en: '{quantity} {unit} of {item} is more than {weeks} times the usual consumption of {location} ({weekly} {unit} a week over the last {days} days): at most {max} without an override.',
    it: '{quantity} {unit} di {item} sono più di {weeks} volte il consumo abituale di {location} ({weekly} {unit} a settimana negli ultimi {days} giorni): al massimo {max} senza una deroga.',
  },
  quantity_above_usual_no_history: {
    en: '{quantity} {unit} of {item} is a lot for an item {location} has not used in the last {days} days: at most {max} ({packs} packs) without an override.',
    it: '{quantity} {unit} di {item} sono molti per un articolo che {location} non ha consumato negli ultimi {days} giorni: al massimo {max} ({packs} confezioni) senza una deroga.',
  },
  nothing_to_fulfil: {
    en: 'Nothing to fulfil: no line is waiting for it.',
    it: 'Niente da evadere: nessuna riga in attesa.',
  },
  no_supplier: {
    en: 'Item {item} has no usual supplier to order from.',
    it: "L'articolo {item} non ha un fornitore abituale a cui ordinare.",
  },
  payload_too_large: { en: 'The request body is larger than {limit}.', it: 'Il corpo della richiesta supera {limit}.' },
  alexa_not_configured: {
    en: 'The Alexa skill is not enabled on this server (set ALEXA_SKILL_ID, docs/voice.md).',
    it: 'La skill Alexa non è attiva su questo server (imposta ALEXA_SKILL_ID, docs/voice.md).',
  },
  alexa_not_a_request: {
    en: 'The body is not an Alexa skill request.',
    it: 'Il corpo non è una richiesta di una skill Alexa.',
  },
  alexa_stale: {
    en: "The Alexa request's timestamp is more than {seconds} seconds away from the server's clock.",
    it: "L'orario della richiesta Alexa si discosta di più di {seconds} secondi dall'orologio del server.",
  },
  alexa_wrong_skill: {
    en: 'The request is for another Alexa skill ({skillId}).',
    it: "La richiesta è per un'altra skill Alexa ({skillId}).",
  },
  alexa_bad_signature: {
    en: "The Alexa request's signature could not be verified.",
    it: 'Non è stato possibile verificare la firma della richiesta Alexa.',
  },
  not_a_home: {
    en: "Location {code} is not a patient's home.",
    it: 'Il luogo {code} non è il domicilio di un paziente.',
  },
  parent_kind: {
    en: 'A {kind} cannot be placed under a {parentKind}.',
    it: 'Un luogo di tipo {kind} non può stare sotto un {parentKind}.',
  },
  link_code_invalid: {
    en: 'This link code is unknown, already used or expired: ask for a new one.',
    it: 'Questo codice di collegamento è sconosciuto, già usato o scaduto: chiedine uno nuovo.',
  },
  proposal_not_found: {
    en: 'Proposal {id} does not exist or is not yours to decide: only the person who made it may confirm or cancel it, on the channel where it was made.',
    it: "La proposta {id} non esiste o non spetta a te: solo chi l'ha fatta può confermarla o annullarla, sul canale dove l'ha fatta.",
  },
  proposal_expired: { en: 'This proposal expired: ask again.', it: 'Questa proposta è scaduta: ripeti la richiesta.' },
  proposal_closed: {
    en: 'This proposal was already {status}.',
    it: 'Questa proposta è già stata {status}.',
    labels: { status: 'proposal' },
  },
  recall_still_out: {
    en: 'The recall of lot {lotCode} cannot close: {quantity} units are still out at {holders}.',
    it: 'Il richiamo del lotto {lotCode} non può chiudersi: {quantity} unità sono ancora presso {holders}.',
  },
  nothing_to_return: {
    en: 'Lot {lotCode} has nothing on hand at {location} to return.',
    it: 'Il lotto {lotCode} non ha giacenza presso {location} da restituire.',
  },
  recall_destination: {
    en: 'Stock of lot {lotCode} at {location} is already where recalled stock goes back to.',
    it: 'La giacenza del lotto {lotCode} presso {location} è già dove rientra il materiale richiamato.',
  },
  device_kind_message: {
    en: 'A {deviceKind} may send {allowed}, not {kind}: nothing was applied.',
    it: 'Un dispositivo {deviceKind} può inviare {allowed}, non {kind}: non è stato applicato nulla.',
  },
  unusable_stock_in_cabinet: {
    en: '{quantity} units of lot {lotCode} ({item}, {status}) are on the books of {location} and the cabinet sees more than its usable stock: they are likely still in the bins, take them out.',
    it: "{quantity} unità del lotto {lotCode} ({item}, {status}) risultano in {location} e l'armadio vede più della giacenza utilizzabile: sono probabilmente ancora nei cassetti, vanno tolte.",
    labels: { status: 'lot' },
  },
  device_revoked: {
    en: 'Device {code} is revoked: nothing was applied.',
    it: 'Il dispositivo {code} è revocato: non è stato applicato nulla.',
  },
  message_not_applicable: {
    en: 'This message cannot be applied (the data is not valid for the database): nothing was applied, do not resend it.',
    it: 'Questo messaggio non può essere applicato (dati non validi per il database): non è stato applicato nulla, non reinviarlo.',
  },
  // Devices and the MQTT broker
  device_topic_forbidden: {
    en: 'You may publish only under {root}.',
    it: 'Puoi pubblicare solo sotto {root}.',
  },
  device_not_logged_in: {
    en: 'Not logged in: connect with the device code and its secret first.',
    it: 'Accesso non effettuato: connettiti prima con il codice del dispositivo e il suo segreto.',
  },
  device_packet_too_large: {
    en: 'A packet of {length} bytes is over the limit of {limit}: the connection is closed.',
    it: 'Un pacchetto di {length} byte supera il limite di {limit}: la connessione viene chiusa.',
  },
} as const satisfies Record<string, Entry>;
