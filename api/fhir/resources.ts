/**
 * Pure mappers from Scorta's ledger facts to FHIR R5 supply resources: InventoryReport (stock on hand,
 * a snapshot per location), InventoryItem (a lot: item code, GTIN, lot number, expiry; contained in the
 * resources that name it), SupplyDelivery (an issue or transfer of a lot), SupplyRequest (a ward request
 * line). No I/O: the actions in this folder read the ledger and call these.
 */
export const scortaSystem = 'https://scorta.dev/fhir';
const gtinSystem = 'https://www.gs1.org/gtin';
const ucum = 'http://unitsofmeasure.org';

export interface FhirItem {
  id: string;
  code: string;
  name: string;
  gtin: string | null;
  unit: string;
}
export interface FhirLot {
  id: string;
  lotCode: string;
  expiry: string | null;
}
export interface FhirPlace {
  id: string;
  code: string;
  name: string;
}

const ref = (type: string, p: FhirPlace | { id: string; display?: string }) => ({
  reference: `${type}/${'id' in p ? p.id : ''}`,
  display: 'name' in p ? p.name : (p as { display?: string }).display,
});
const quantity = (value: number, unit: string) => ({
  value,
  unit,
  system: ucum,
  code: unit === 'pz' || unit === 'cpr' ? '{unit}' : unit,
});
const itemConcept = (item: FhirItem) => ({
  coding: [
    { system: `${scortaSystem}/items`, code: item.code, display: item.name },
    ...(item.gtin ? [{ system: gtinSystem, code: item.gtin }] : []),
  ],
  text: item.name,
});

/** A lot as an R5 InventoryItem (to be contained): the item's codes, the lot number and its expiry. */
export function inventoryItem(item: FhirItem, lot: FhirLot, status: 'active' | 'inactive' = 'active') {
  return {
    resourceType: 'InventoryItem' as const,
    id: `lot-${lot.id}`,
    status,
    code: [itemConcept(item)],
    name: [
      {
        nameType: { system: 'http://hl7.org/fhir/inventoryitem-nametype', code: 'trade-name' },
        language: 'it',
        name: item.name,
      },
    ],
    instance: {
      identifier: [{ system: `${scortaSystem}/lots`, value: lot.id }],
      lotNumber: lot.lotCode,
      ...(lot.expiry ? { expiry: lot.expiry } : {}),
    },
  };
}

/** Stock on hand as an R5 InventoryReport: a snapshot, one listing per location, one line per lot. */
export function inventoryReport(input: {
  id: string;
  reportedAt: string;
  listings: { location: FhirPlace; lines: { item: FhirItem; lot: FhirLot; quantity: number; status?: string }[] }[];
}) {
  const lots = new Map<string, ReturnType<typeof inventoryItem>>();
  for (const l of input.listings)
    for (const line of l.lines)
      lots.set(
        line.lot.id,
        inventoryItem(line.item, line.lot, line.status && line.status !== 'available' ? 'inactive' : 'active'),
      );
  return {
    resourceType: 'InventoryReport' as const,
    id: input.id,
    ...(lots.size ? { contained: [...lots.values()] } : {}),
    status: 'active' as const,
    countType: 'snapshot' as const,
    reportedDateTime: input.reportedAt,
    inventoryListing: input.listings.map((l) => ({
      location: ref('Location', l.location),
      countingDateTime: input.reportedAt,
      item: l.lines.map((line) => ({
        ...(line.status && line.status !== 'available'
          ? { category: { coding: [{ system: `${scortaSystem}/lot-status`, code: line.status }] } }
          : {}),
        quantity: quantity(line.quantity, line.item.unit),
        item: { reference: { reference: `#lot-${line.lot.id}`, display: `${line.item.name} · ${line.lot.lotCode}` } },
      })),
    })),
  };
}

/** An issue or transfer of a lot as an R5 SupplyDelivery (completed; entered-in-error once reversed). */
export function supplyDelivery(input: {
  movementId: number;
  kind: string;
  reversed: boolean;
  quantity: number;
  occurredAt: string;
  item: FhirItem;
  lot: FhirLot;
  from: FhirPlace | null;
  to: FhirPlace | null;
  requestId?: string | null;
}) {
  return {
    resourceType: 'SupplyDelivery' as const,
    id: `movement-${input.movementId}`,
    contained: [inventoryItem(input.item, input.lot)],
    identifier: [{ system: `${scortaSystem}/movements`, value: String(input.movementId) }],
    ...(input.requestId ? { basedOn: [{ reference: `SupplyRequest/${input.requestId}` }] } : {}),
    status: input.reversed ? ('entered-in-error' as const) : ('completed' as const),
    type: {
      coding: [
        {
          system: 'http://hl7.org/fhir/supplydelivery-supplyitemtype',
          code: /farmaco|drug/i.test(input.item.name) ? 'medication' : 'device',
        },
      ],
    },
    suppliedItem: [
      {
        quantity: quantity(input.quantity, input.item.unit),
        itemReference: { reference: `#lot-${input.lot.id}`, display: input.item.name },
      },
    ],
    occurrenceDateTime: input.occurredAt,
    ...(input.from
      ? {
          supplier: {
            identifier: { system: `${scortaSystem}/locations`, value: input.from.code },
            display: input.from.name,
          },
        }
      : {}),
    ...(input.to ? { destination: ref('Location', input.to) } : {}),
    extension: [{ url: `${scortaSystem}/StructureDefinition/movement-kind`, valueCode: input.kind }],
  };
}

const priorities = { normal: 'routine', urgent: 'urgent', emergency: 'stat' } as const;
const requestStatuses = {
  submitted: 'active',
  in_progress: 'active',
  completed: 'completed',
  cancelled: 'cancelled',
} as const;

/** A ward request line as an R5 SupplyRequest (normal → routine, urgent → urgent, emergency → stat). */
export function supplyRequest(input: {
  lineId: string;
  requestNumber: string;
  status: keyof typeof requestStatuses;
  lineStatus: string;
  urgency: keyof typeof priorities;
  item: FhirItem;
  quantity: number;
  authoredOn: string;
  neededBy: string | null;
  deliverTo: FhirPlace;
  deliverFrom: FhirPlace | null;
}) {
  return {
    resourceType: 'SupplyRequest' as const,
    id: input.lineId,
    identifier: [{ system: `${scortaSystem}/requests`, value: input.requestNumber }],
    status:
      input.lineStatus === 'cancelled' || input.lineStatus === 'rejected'
        ? ('cancelled' as const)
        : input.lineStatus === 'issued'
          ? ('completed' as const)
          : requestStatuses[input.status],
    priority: priorities[input.urgency],
    item: { concept: itemConcept(input.item) },
    quantity: quantity(input.quantity, input.item.unit),
    ...(input.neededBy ? { occurrenceDateTime: input.neededBy } : {}),
    authoredOn: input.authoredOn,
    ...(input.deliverFrom ? { deliverFrom: ref('Location', input.deliverFrom) } : {}),
    deliverTo: ref('Location', input.deliverTo),
  };
}

/** A collection Bundle of resources, each with its full URL. */
export function bundle(id: string, timestamp: string, resources: { resourceType: string; id: string }[]) {
  return {
    resourceType: 'Bundle' as const,
    id,
    type: 'collection' as const,
    timestamp,
    entry: resources.map((resource) => ({
      fullUrl: `${scortaSystem}/${resource.resourceType}/${resource.id}`,
      resource,
    })),
  };
}
