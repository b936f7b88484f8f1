/** The catalogue the parser resolves names against: a plain in-memory snapshot loaded once by the adapter. */
export interface NluItem {
  id: string;
  code: string;
  name: string;
  nameEn: string;
  synonyms: readonly string[];
  gtin: string | null;
  unit: string;
  packSize: number;
}

export interface NluLocation {
  id: string;
  code: string;
  name: string;
  nameEn: string | null;
  aliases: readonly string[];
  kind: string;
  patientCode?: string | null;
}

export interface NluLot {
  lotCode: string;
  itemId: string;
}

export interface NluCatalogue {
  items: readonly NluItem[];
  locations: readonly NluLocation[];
  lots?: readonly NluLot[];
}

export const intents = [
  'stock_query',
  'request_items',
  'trace_lot',
  'request_status',
  'expiring',
  'recall_lot',
  'quarantine_lot',
  'patient_supplies',
  'help',
  'out_of_scope',
] as const;
export type Intent = (typeof intents)[number];

/** Intents that would change data: the adapter must show them as a proposal and ask for confirmation. */
export const writeIntents: readonly Intent[] = ['request_items', 'recall_lot', 'quarantine_lot'];

export type Language = 'it' | 'en';
/**
 * `pack`: purchase packs (scatole, confezioni, boxes); `unit`: the item's own stock unit (pz, fiale, sacche, pairs).
 */
export type QuantityUnit = 'pack' | 'unit';
export type Urgency = 'normal' | 'urgent' | 'emergency';

export interface ItemCandidate {
  id: string;
  code: string;
  name: string;
  nameEn: string;
  score: number;
}

export interface Gs1Slot {
  gtin?: string;
  lot?: string;
  expiry?: string;
  serial?: string;
}

export interface Slots {
  /** The item, when one candidate stands out; otherwise see `itemCandidates` and `ambiguities`. */
  item?: ItemCandidate;
  /** Best item candidates, best first (at most five). */
  itemCandidates?: ItemCandidate[];
  quantity?: number;
  unit?: QuantityUnit;
  location?: { id: string; code: string; name: string; kind: string };
  urgency?: Urgency;
  lotCode?: string;
  gs1?: Gs1Slot;
  requestNumber?: string;
  horizonDays?: number;
  patientCode?: string;
}

export type SlotName = 'item' | 'quantity' | 'location' | 'lotCode' | 'patientCode';

export interface Ambiguity {
  slot: 'item';
  candidates: ItemCandidate[];
}

/** Why a value the user gave cannot be used as it is; the adapter tells the user, in their language. */
export interface SlotIssue {
  slot: 'quantity';
  code: 'not_positive' | 'not_integer' | 'too_large' | 'several_lines';
  message: { it: string; en: string };
}

export interface ParseResult {
  intent: Intent;
  language: Language;
  slots: Slots;
  /** Slots the intent needs and the text did not give: ask for them. */
  missing: SlotName[];
  ambiguities: Ambiguity[];
  issues: SlotIssue[];
  /** True for write intents: the parser only proposes; nothing is written before the user confirms. */
  requiresConfirmation: boolean;
  /** Set when the text looked like an attempt to steer the assistant (it is then out of scope). */
  injection?: boolean;
  /** Set when the text asks for clinical work about a patient (book an exam, vital signs): out of scope. */
  clinical?: boolean;
}
