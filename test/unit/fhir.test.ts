import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { bundle, inventoryItem, inventoryReport, supplyDelivery, supplyRequest } from '../../api/fhir/resources.ts';

// Hand-written shapes of the FHIR R5 resources (required elements, cardinalities, value sets), from
// hl7.org/fhir/R5: inventoryreport.html, inventoryitem.html, supplydelivery.html, supplyrequest.html.
const Coding = z.object({ system: z.string().url(), code: z.string().min(1), display: z.string().optional() }).strict();
const CodeableConcept = z.object({ coding: z.array(Coding).min(1).optional(), text: z.string().optional() }).strict();
const Reference = z
  .object({
    reference: z
      .string()
      .regex(/^(#[\w-]+|[A-Z][A-Za-z]+\/[\w-]+)$/)
      .optional(),
    display: z.string().optional(),
    identifier: z.object({ system: z.string(), value: z.string() }).optional(),
  })
  .strict();
const Quantity = z
  .object({
    value: z.number(),
    unit: z.string().optional(),
    system: z.string().url().optional(),
    code: z.string().optional(),
  })
  .strict();
const Identifier = z.object({ system: z.string().url(), value: z.string().min(1) }).strict();
const CodeableReference = z
  .object({ concept: CodeableConcept.optional(), reference: Reference.optional() })
  .strict()
  .refine((v) => v.concept || v.reference, 'concept or reference');
const dateTime = z.string().regex(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2}))?$/);
const Extension = z.object({ url: z.string().url(), valueCode: z.string() }).strict();

const InventoryItem = z
  .object({
    resourceType: z.literal('InventoryItem'),
    id: z.string().regex(/^[A-Za-z0-9\-.]{1,64}$/),
    status: z.enum(['active', 'inactive', 'entered-in-error', 'unknown']),
    code: z.array(CodeableConcept).optional(),
    name: z.array(z.object({ nameType: Coding, language: z.string(), name: z.string() }).strict()).optional(),
    instance: z
      .object({
        identifier: z.array(Identifier).optional(),
        lotNumber: z.string().optional(),
        expiry: dateTime.optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

const InventoryReport = z
  .object({
    resourceType: z.literal('InventoryReport'),
    id: z.string().regex(/^[A-Za-z0-9\-.]{1,64}$/),
    contained: z.array(InventoryItem).optional(),
    status: z.enum(['draft', 'requested', 'active', 'entered-in-error']),
    countType: z.enum(['snapshot', 'difference']),
    reportedDateTime: dateTime,
    inventoryListing: z
      .array(
        z
          .object({
            location: Reference.optional(),
            itemStatus: CodeableConcept.optional(),
            countingDateTime: dateTime.optional(),
            item: z
              .array(
                z
                  .object({ category: CodeableConcept.optional(), quantity: Quantity, item: CodeableReference })
                  .strict(),
              )
              .optional(),
          })
          .strict(),
      )
      .optional(),
  })
  .strict();

const SupplyDelivery = z
  .object({
    resourceType: z.literal('SupplyDelivery'),
    id: z.string().regex(/^[A-Za-z0-9\-.]{1,64}$/),
    contained: z.array(InventoryItem).optional(),
    identifier: z.array(Identifier).optional(),
    basedOn: z.array(Reference).optional(),
    status: z.enum(['in-progress', 'completed', 'abandoned', 'entered-in-error']).optional(),
    type: CodeableConcept.optional(),
    suppliedItem: z
      .array(
        z
          .object({
            quantity: Quantity.optional(),
            itemCodeableConcept: CodeableConcept.optional(),
            itemReference: Reference.optional(),
          })
          .strict()
          .refine((v) => !(v.itemCodeableConcept && v.itemReference), 'one item[x]'),
      )
      .optional(),
    occurrenceDateTime: dateTime.optional(),
    supplier: Reference.optional(),
    destination: Reference.optional(),
    extension: z.array(Extension).optional(),
  })
  .strict();

const SupplyRequest = z
  .object({
    resourceType: z.literal('SupplyRequest'),
    id: z.string().regex(/^[A-Za-z0-9\-.]{1,64}$/),
    identifier: z.array(Identifier).optional(),
    status: z
      .enum(['draft', 'active', 'suspended', 'cancelled', 'completed', 'entered-in-error', 'unknown'])
      .optional(),
    priority: z.enum(['routine', 'urgent', 'asap', 'stat']).optional(),
    item: CodeableReference,
    quantity: Quantity,
    occurrenceDateTime: dateTime.optional(),
    authoredOn: dateTime.optional(),
    deliverFrom: Reference.optional(),
    deliverTo: Reference.optional(),
  })
  .strict();

const Bundle = z.object({
  resourceType: z.literal('Bundle'),
  id: z.string(),
  type: z.literal('collection'),
  timestamp: dateTime,
  entry: z.array(
    z.object({ fullUrl: z.string().url(), resource: z.object({ resourceType: z.string() }).passthrough() }),
  ),
});

const item = {
  id: '1b0e1c1e-0000-4000-8000-000000000001',
  code: 'DM-GUA-M',
  name: 'Guanti in nitrile taglia M',
  gtin: '08012345000012',
  unit: 'pz',
};
const lot = { id: '1b0e1c1e-0000-4000-8000-000000000002', lotCode: 'REC-1', expiry: '2027-12-31' };
const ward = { id: '1b0e1c1e-0000-4000-8000-000000000003', code: 'CARD-MR', name: 'Magazzino Cardiologia' };
const store = { id: '1b0e1c1e-0000-4000-8000-000000000004', code: 'MAG', name: 'Magazzino Generale' };

describe('FHIR R5 mappers', () => {
  it('maps a lot to a contained InventoryItem with lot number and expiry', () => {
    const r = InventoryItem.parse(inventoryItem(item, lot));
    expect(r.instance).toMatchObject({ lotNumber: 'REC-1', expiry: '2027-12-31' });
    expect(r.code![0]!.coding!.map((c) => c.code)).toEqual(['DM-GUA-M', '08012345000012']);
  });

  it('maps stock to an InventoryReport snapshot whose items resolve to contained lots', () => {
    const r = InventoryReport.parse(
      inventoryReport({
        id: 'lot-x',
        reportedAt: '2026-11-23T09:00:00.000Z',
        listings: [{ location: ward, lines: [{ item, lot, quantity: 20, status: 'recalled' }] }],
      }),
    );
    expect(r).toMatchObject({ status: 'active', countType: 'snapshot' });
    const line = r.inventoryListing![0]!.item![0]!;
    expect(line.quantity.value).toBe(20);
    expect(line.category?.coding?.[0]?.code).toBe('recalled');
    expect(r.contained!.map((c) => `#${c.id}`)).toContain(line.item.reference!.reference);
    expect(r.contained![0]!.status).toBe('inactive');
  });

  it('an empty report is still valid (nothing on hand)', () => {
    expect(() =>
      InventoryReport.parse(inventoryReport({ id: 'empty', reportedAt: '2026-11-23T09:00:00.000Z', listings: [] })),
    ).not.toThrow();
  });

  it('maps an issue to a completed SupplyDelivery, and a reversed one to entered-in-error', () => {
    const base = {
      movementId: 42,
      kind: 'issue',
      quantity: 30,
      occurredAt: '2026-11-23T09:00:00.000Z',
      item,
      lot,
      from: store,
      to: ward,
      requestId: '1b0e1c1e-0000-4000-8000-000000000009',
    };
    const done = SupplyDelivery.parse(supplyDelivery({ ...base, reversed: false }));
    expect(done).toMatchObject({
      status: 'completed',
      destination: { reference: `Location/${ward.id}` },
      basedOn: [{ reference: 'SupplyRequest/1b0e1c1e-0000-4000-8000-000000000009' }],
    });
    expect(done.suppliedItem![0]!.quantity!.value).toBe(30);
    expect(SupplyDelivery.parse(supplyDelivery({ ...base, reversed: true })).status).toBe('entered-in-error');
  });

  it.each([
    ['normal', 'routine'],
    ['urgent', 'urgent'],
    ['emergency', 'stat'],
  ] as const)('maps urgency %s to priority %s', (urgency, priority) => {
    const r = SupplyRequest.parse(
      supplyRequest({
        lineId: '1b0e1c1e-0000-4000-8000-000000000010',
        requestNumber: 'RIC-2026-1',
        status: 'submitted',
        lineStatus: 'approved',
        urgency,
        item,
        quantity: 5,
        authoredOn: '2026-11-23T09:00:00.000Z',
        neededBy: null,
        deliverTo: ward,
        deliverFrom: store,
      }),
    );
    expect(r).toMatchObject({ priority, status: 'active', quantity: { value: 5 } });
  });

  it('maps request and line statuses to SupplyRequest.status', () => {
    const make = (status: 'submitted' | 'completed' | 'cancelled', lineStatus: string) =>
      supplyRequest({
        lineId: 'l1',
        requestNumber: 'R',
        status,
        lineStatus,
        urgency: 'normal',
        item,
        quantity: 1,
        authoredOn: '2026-11-23T09:00:00.000Z',
        neededBy: null,
        deliverTo: ward,
        deliverFrom: null,
      }).status;
    expect([
      make('submitted', 'routed'),
      make('completed', 'issued'),
      make('cancelled', 'cancelled'),
      make('submitted', 'rejected'),
    ]).toEqual(['active', 'completed', 'cancelled', 'cancelled']);
  });

  it('wraps resources in a collection Bundle', () => {
    const b = Bundle.parse(
      bundle('lot-x', '2026-11-23T09:00:00.000Z', [
        inventoryReport({ id: 'r', reportedAt: '2026-11-23T09:00:00.000Z', listings: [] }),
      ]),
    );
    expect(b.entry[0]!.fullUrl).toBe('https://scorta.dev/fhir/InventoryReport/r');
  });
});
