import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../api/access/tokens.ts';
import { createUser, loadGrants } from '../../api/access/users.ts';
import { createLinkCode } from '../../api/chat/link-codes.ts';
import { createApp } from '../../app/create-app.ts';
import { createItem } from '../../api/catalogue/items.ts';
import { createCategory, createSection } from '../../api/catalogue/reference-data.ts';
import type { Context } from '../../api/core/context.ts';
import { setSupplyPlan } from '../../api/homecare/set-supply-plan.ts';
import { createLocation } from '../../api/locations/locations.ts';
import { quarantineLot } from '../../api/lots/quarantine-lot.ts';
import { recallLot } from '../../api/lots/recall-lot.ts';
import { advancePurchaseOrder } from '../../api/orders/purchase-orders.ts';
import { confirmPickingList } from '../../api/requests/picking-lists.ts';
import { emitRequest } from '../../api/requests/emit-request.ts';
import { evaluateLines } from '../../api/requests/evaluate-lines.ts';
import { fulfilRequest } from '../../api/requests/fulfil-request.ts';
import { issueStock } from '../../api/stock/issue-stock.ts';
import { receiveGoods } from '../../api/stock/receive-goods.ts';
import { purchaseOrderLines } from '../../db/schema/index.ts';
import { drivers, openTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { contextFor, today } from '../helpers/fixture.ts';
import { failsWith } from '../helpers/ledger.ts';
import {
  expectAt,
  expectMove,
  foreign,
  placesOf,
  written,
  type At,
  type Outcome,
  type Place,
  type Who,
} from '../helpers/matrix.ts';
import { buildRequestsHospital, type RequestsHospital } from '../helpers/requests.ts';

/**
 * The permission matrix for every write route that is not a hand ledger write (those are in
 * permission-matrix.test.ts): request processing, issue notes, picking lists, purchase orders, lot status and
 * recalls, home-care plans, the catalogue, locations, users, tokens, organisations. Every role (and an admin's
 * assistant token) × its own place / another place of its organisation / another organisation's, through HTTP
 * with real tokens. The expectation comes from the permission table's data (see helpers/matrix.ts); a refusal is
 * 403 problem+json (404 for another organisation's ids) and writes nothing. The first test fails when a write
 * route exists in /openapi.json that the matrix does not cover.
 */

const who: Who[] = [
  'admin',
  'wardAdmin',
  'warehouse',
  'pharmacist',
  'nurse',
  'homeCare',
  'device',
  'assistant',
  'adminAssistant',
];
type Sent = { method?: string; path: string; body?: unknown };

interface Spec {
  places: At[];
  expect: (who: Who, at: At) => Outcome;
  /** Prepares a fresh target (as the system) for the cell and says what to send. */
  send: (at: At, n: number) => Promise<Sent>;
  /** A read behind a POST: allowed writes nothing either. */
  read?: true;
}

/** Hand ledger writes and `requests.emit`: their matrix is permission-matrix.test.ts. */
const ledgerRoutes = [
  'POST /v1/movements/receipts',
  'POST /v1/movements/issues',
  'POST /v1/movements/transfers',
  'POST /v1/movements/returns',
  'POST /v1/movements/consumptions',
  'POST /v1/movements/adjustments',
  'POST /v1/movements/{id}/reversal',
  'POST /v1/requests',
];

describe.each(drivers)('permission matrix of every other write route on %s', (driver) => {
  let t: TestDatabase;
  let h: RequestsHospital;
  let other: RequestsHospital;
  let app: ReturnType<typeof createApp>;
  const tokens = {} as Record<Who, string>;
  const where = {} as Record<Place, string>;
  let otherHome: string;
  let otherNurseId: string;
  let drug2: string;
  let wardAdminId: string;

  beforeAll(async () => {
    t = await openTestDatabase(driver);
    h = await buildRequestsHospital(t.db, 'MTF');
    other = await buildRequestsHospital(t.db, 'OTF');
    const team = await createLocation({
      ctx: h.sys,
      input: { kind: 'ward', code: 'ADI2', name: 'Assistenza Domiciliare 2' },
    });
    otherHome = (
      await createLocation({
        ctx: h.sys,
        input: { kind: 'home', code: 'DOM-P002', name: 'Domicilio P-002', parentId: team.id, patientCode: 'P-002' },
      })
    ).id;
    // A second pharmacy with its own section and drug: another place of the organisation for the pharmacist.
    const pharmacy2 = await createLocation({
      ctx: h.sys,
      input: { kind: 'pharmacy', code: 'FARM2', name: 'Farmacia Oncologica' },
    });
    const section2 = await createSection({
      ctx: h.sys,
      input: { code: 'FARMACIA2', name: 'Farmacia Oncologica', fulfilledFromId: pharmacy2.id },
    });
    const category2 = await createCategory({
      ctx: h.sys,
      input: { code: 'ONCO', name: 'Oncologici', nameEn: 'Oncology', sectionId: section2.id },
    });
    drug2 = (
      await createItem({
        ctx: h.sys,
        input: {
          code: 'ONCO-1',
          name: 'Farmaco oncologico',
          nameEn: 'Oncology drug',
          categoryId: category2.id,
          unit: 'fl',
        },
      })
    ).id;
    await receiveGoods({
      ctx: h.sys,
      input: {
        locationId: pharmacy2.id,
        lines: [{ itemId: drug2, lotCode: 'ONCO-L1', expiry: '2028-06-30', quantity: 10_000 }],
      },
    });
    Object.assign(where, { ...placesOf(h, other), pharmacy2: pharmacy2.id, otherHome });
    otherNurseId = other.actors.nurse.userId!;
    const wardAdmin = await createUser({
      ctx: h.sys,
      input: {
        username: 'mtf.wardadmin',
        displayName: 'Admin Cardiologia',
        roles: [{ role: 'admin', locationId: h.cardio.id }],
      },
    });
    const assistant = await createUser({
      ctx: h.sys,
      input: { username: 'mtf.assistantrole', displayName: 'assistant role', roles: [{ role: 'assistant' }] },
    });
    wardAdminId = wardAdmin.id;
    const ids = {
      ...Object.fromEntries(Object.entries(h.actors).map(([k, a]) => [k, a.userId!])),
      adminAssistant: h.actors.admin.userId!,
      wardAdmin: wardAdmin.id,
      assistant: assistant.id,
    } as Record<Who, string>;
    for (const w of who) {
      tokens[w] = (
        await createApiToken({
          ctx: h.sys,
          input: { userId: ids[w], name: `flows ${w}`, kind: w === 'adminAssistant' ? 'assistant' : 'user' },
        })
      ).token;
    }
    app = createApp({ db: t.db, now: () => today });
  }, 240_000);
  afterAll(async () => {
    await t?.close();
  });

  /** The hospital a place belongs to, its system context, and the location id. */
  const of = (at: At) =>
    foreign(at)
      ? { x: other, ctx: other.sys, id: other.cardioStore.id }
      : { x: h, ctx: h.sys, id: at === 'org' || at === 'root' ? h.cardioStore.id : where[at as Place] };
  /**
   * A user whose grants are `at`: the organisation-wide admin, the Cardiology nurse, the Surgery nurse, another
   * organisation's nurse.
   */
  const holderOf = (at: At) =>
    (
      ({ root: h.actors.admin, cardio: h.actors.nurse, surgery: h.actors.otherNurse }) as Record<
        string,
        { userId: string | null }
      >
    )[at]?.userId ?? otherNurseId;
  /** The item a section place fulfils: the warehouse's gloves, each pharmacy's drug (a picking list). */
  const itemFor = (at: At) => (at === 'pharmacy2' ? drug2 : at === 'pharmacy' ? of(at).x.drug.id : of(at).x.gloves.id);
  /** A pharmacy's drug (another organisation's too): fulfilled on a picking list. */
  const drugFor = (at: At) => (at === 'pharmacy2' ? drug2 : of(at).x.drug.id);

  async function emitted(ctx: Context, destinationId: string, itemId: string, quantity = 2) {
    return emitRequest({ ctx, input: { destinationId, lines: [{ itemId, quantity }] } });
  }
  async function approved(ctx: Context, destinationId: string, itemId: string) {
    const request = await emitted(ctx, destinationId, itemId);
    await evaluateLines({
      ctx,
      input: { decisions: request.lines.map((l) => ({ lineId: l.id, decision: 'approve' as const })) },
    });
    return request;
  }
  async function fulfilled(ctx: Context, destinationId: string, itemId: string) {
    const request = await approved(ctx, destinationId, itemId);
    return fulfilRequest({ ctx, input: { requestId: request.id } });
  }
  /** A fresh lot at the warehouse (as received from the supplier). */
  async function freshLot(at: At, n: number) {
    const { x, ctx } = of(at);
    return (
      await receiveGoods({
        ctx,
        input: {
          locationId: x.warehouse.id,
          lines: [{ itemId: x.syringe.id, lotCode: `MTF-${n}`, expiry: '2028-06-30', quantity: 10 }],
        },
      })
    ).movements[0]!.lotId;
  }
  async function orderOf(at: At) {
    const { x, ctx } = of(at);
    return (await fulfilled(ctx, x.cardioStore.id, x.stent.id)).purchaseOrders[0]!;
  }

  const specs: Record<string, Spec> = {
    'POST /v1/requests/evaluations': {
      places: ['warehouse', 'pharmacy', 'pharmacy2', 'otherOrg'],
      expect: (w, at) => expectAt(w, 'requests.process', at),
      send: async (at, n) => {
        const request = await emitted(of(at).ctx, of(at).x.cardioStore.id, itemFor(at));
        const lineId = request.lines[0]!.id;
        const decision = [
          { lineId, decision: 'approve' },
          { lineId, decision: 'reduce', quantity: 1, reason: 'scorta' },
          { lineId, decision: 'reject', reason: 'no' },
        ][n % 3];
        return { path: '/v1/requests/evaluations', body: { decisions: [decision] } };
      },
    },
    'POST /v1/requests/{id}/fulfil': {
      places: ['warehouse', 'pharmacy', 'pharmacy2', 'otherOrg'],
      expect: (w, at) => expectAt(w, 'requests.process', at),
      send: async (at) => ({
        path: `/v1/requests/${(await approved(of(at).ctx, of(at).x.cardioStore.id, itemFor(at))).id}/fulfil`,
        body: {},
      }),
    },
    'POST /v1/picking-lists/{id}/confirm': {
      places: ['pharmacy', 'pharmacy2', 'otherOrg'],
      expect: (w, at) => expectAt(w, 'requests.process', at),
      send: async (at) => ({
        path: `/v1/picking-lists/${(await fulfilled(of(at).ctx, of(at).x.cardioStore.id, drugFor(at))).pickingLists[0]}/confirm`,
        body: {},
      }),
    },
    'POST /v1/picking-lists/{id}/cancel': {
      places: ['pharmacy', 'pharmacy2', 'otherOrg'],
      expect: (w, at) => expectAt(w, 'requests.process', at),
      send: async (at) => ({
        path: `/v1/picking-lists/${(await fulfilled(of(at).ctx, of(at).x.cardioStore.id, drugFor(at))).pickingLists[0]}/cancel`,
        body: { reason: 'annullata' },
      }),
    },
    'POST /v1/issue-notes/{id}/take-in-charge': {
      places: ['cardioStore', 'surgery', 'home', 'otherHome', 'otherOrg'],
      expect: (w, at) => expectAt(w, 'requests.receive', at),
      send: async (at) => ({
        path: `/v1/issue-notes/${(await fulfilled(of(at).ctx, of(at).id, of(at).x.gloves.id)).issueNotes[0]}/take-in-charge`,
        body: {},
      }),
    },
    'POST /v1/issue-notes/{id}/reverse': {
      places: ['warehouse', 'pharmacy', 'pharmacy2', 'otherOrg'],
      expect: (w, at) => expectAt(w, 'requests.process', at),
      send: async (at) => {
        const { ctx, x } = of(at);
        const done = await fulfilled(ctx, x.cardioStore.id, itemFor(at));
        const note =
          at === 'pharmacy' || at === 'pharmacy2'
            ? (await confirmPickingList({ ctx, input: { pickingListId: done.pickingLists[0] } })).issueNoteId
            : done.issueNotes[0];
        return { path: `/v1/issue-notes/${note}/reverse`, body: { reason: 'storno bolla' } };
      },
    },
    /** The ward cancels its own requests; the section staff the lines they process (gloves: the warehouse's). */
    'POST /v1/requests/{id}/cancel': {
      places: ['cardioStore', 'surgery', 'home', 'otherOrg'],
      expect: (w, at) => {
        const ward = expectAt(w, 'requests.receive', at);
        return ward === 'forbidden' && expectAt(w, 'requests.process', 'warehouse') === 'allowed' ? 'allowed' : ward;
      },
      send: async (at) => ({
        path: `/v1/requests/${(await emitted(of(at).ctx, of(at).id, of(at).x.gloves.id)).id}/cancel`,
        body: { reason: 'non serve più' },
      }),
    },
    'POST /v1/purchase-orders/overdue': {
      places: ['org'],
      expect: (w, at) => expectAt(w, 'orders.manage', at),
      send: async () => ({ path: '/v1/purchase-orders/overdue' }),
    },
    /** Orders are managed where they are delivered (the stent's section: the warehouse). */
    'POST /v1/purchase-orders/{id}/transitions': {
      places: ['warehouse', 'otherOrg'],
      expect: (w, at) => expectAt(w, 'orders.manage', at),
      send: async (at) => ({ path: `/v1/purchase-orders/${await orderOf(at)}/transitions`, body: { event: 'firm' } }),
    },
    'POST /v1/purchase-orders/{id}/receipts': {
      places: ['warehouse', 'otherOrg'],
      expect: (w, at) => expectAt(w, 'orders.manage', at),
      send: async (at, n) => {
        const id = await orderOf(at);
        for (const event of ['firm', 'ready', 'release'] as const)
          await advancePurchaseOrder({ ctx: of(at).ctx, input: { purchaseOrderId: id, event } });
        const [line] = await t.db.select().from(purchaseOrderLines).where(eq(purchaseOrderLines.purchaseOrderId, id));
        return {
          path: `/v1/purchase-orders/${id}/receipts`,
          body: {
            documentId: `DDT-MTF-${n}`,
            lines: [
              { purchaseOrderLineId: line!.id, lotCode: `ST-${n}`, expiry: '2029-01-31', quantity: line!.quantity },
            ],
          },
        };
      },
    },
    'PUT /v1/home-care/homes/{locationId}/plans/{itemId}': {
      places: ['home', 'otherHome', 'otherOrg'],
      expect: (w, at) => expectAt(w, 'homecare.plan', at),
      send: async (at, n) => ({
        method: 'PUT',
        path: `/v1/home-care/homes/${foreign(at) ? other.home.id : where[at as Place]}/plans/${of(at).x.gloves.id}`,
        body: { dailyQuantity: n + 1 },
      }),
    },
    'DELETE /v1/home-care/homes/{locationId}/plans/{itemId}': {
      places: ['home', 'otherHome', 'otherOrg'],
      expect: (w, at) => expectAt(w, 'homecare.plan', at),
      send: async (at, n) => {
        const { x, ctx } = of(at);
        const home = foreign(at) ? other.home.id : where[at as Place];
        const item = await createItem({
          ctx,
          input: {
            code: `MTF-PLAN-${n}`,
            name: `Striscia ${n}`,
            nameEn: `Strip ${n}`,
            categoryId: x.category.id,
            unit: 'pz',
          },
        });
        await setSupplyPlan({ ctx, input: { locationId: home, itemId: item.id, dailyQuantity: 2 } });
        return { method: 'DELETE', path: `/v1/home-care/homes/${home}/plans/${item.id}` };
      },
    },
    'POST /v1/lots/{id}/quarantine': {
      places: ['org', 'otherOrg'],
      expect: (w, at) => expectAt(w, 'lots.status', at),
      send: async (at, n) => ({
        path: `/v1/lots/${await freshLot(at, n)}/quarantine`,
        body: { reason: 'Avviso del fornitore' },
      }),
    },
    'POST /v1/lots/{id}/recall': {
      places: ['org', 'otherOrg'],
      expect: (w, at) => expectAt(w, 'lots.status', at),
      send: async (at, n) => ({ path: `/v1/lots/${await freshLot(at, n)}/recall`, body: { reason: 'Richiamo AIFA' } }),
    },
    'POST /v1/lots/{id}/lift-quarantine': {
      places: ['org', 'otherOrg'],
      expect: (w, at) => expectAt(w, 'lots.status', at),
      send: async (at, n) => {
        const lotId = await freshLot(at, n);
        await quarantineLot({ ctx: of(at).ctx, input: { lotId, reason: 'sospetto difetto' } });
        return { path: `/v1/lots/${lotId}/lift-quarantine`, body: { reason: 'verificato' } };
      },
    },
    /** A holder sends a quarantined lot back to the store that received it: a return, judged at both ends. */
    'POST /v1/recalls/{id}/returns': {
      places: ['cardioStore', 'cabinet', 'surgery', 'home', 'otherOrg'],
      expect: (w, at) =>
        foreign(at) ? expectAt(w, 'stock.return', at) : expectMove(w, 'stock.return', at as Place, 'warehouse'),
      send: async (at, n) => {
        const { x, ctx, id } = of(at);
        const lotId = await freshLot(at, n);
        await issueStock({
          ctx,
          input: {
            fromLocationId: x.warehouse.id,
            toLocationId: id,
            lines: [{ itemId: x.syringe.id, lotId, quantity: 3 }],
          },
        });
        const { recall } = await quarantineLot({ ctx, input: { lotId, reason: 'sospetto difetto' } });
        return { path: `/v1/recalls/${recall.id}/returns`, body: { locationId: id } };
      },
    },
    'POST /v1/recalls/{id}/close': {
      places: ['org', 'otherOrg'],
      expect: (w, at) => expectAt(w, 'lots.status', at),
      send: async (at, n) => {
        const { recall } = await recallLot({
          ctx: of(at).ctx,
          input: { lotId: await freshLot(at, n), reason: 'Richiamo AIFA' },
        });
        return { path: `/v1/recalls/${recall.id}/close`, body: { note: 'tutto al magazzino' } };
      },
    },
    'POST /v1/scan': {
      places: ['org'],
      read: true,
      expect: (w, at) => expectAt(w, 'catalogue.read', at),
      send: async () => ({ path: '/v1/scan', body: { code: `(01)${h.gloves.gtin}(17)281231(10)MTF` } }),
    },
    /** A role without a location is granted over the organisation itself; with one, at that subtree. */
    'POST /v1/users': {
      places: ['root', 'cardio', 'surgery', 'otherOrg'],
      expect: (w, at) => expectAt(w, 'users.write', at),
      send: async (at, n) => ({
        path: '/v1/users',
        body: {
          username: `mtf.user${n}`,
          displayName: `Utente ${n}`,
          roles: [{ role: 'admin', ...(at === 'root' ? {} : { locationId: of(at).id }) }],
        },
      }),
    },
    /** A token acts with its user's grants: issuing or revoking one needs users.write over every place they cover. */
    'POST /v1/tokens': {
      places: ['root', 'cardio', 'surgery', 'otherOrg'],
      expect: (w, at) => expectAt(w, 'users.write', at),
      send: async (at, n) => ({ path: '/v1/tokens', body: { userId: holderOf(at), name: `matrice ${n}` } }),
    },
    'DELETE /v1/tokens/{id}': {
      places: ['root', 'cardio', 'surgery', 'otherOrg'],
      expect: (w, at) => expectAt(w, 'users.write', at),
      send: async (at) => {
        const token = await createApiToken({ ctx: of(at).ctx, input: { userId: holderOf(at), name: 'da revocare' } });
        return { method: 'DELETE', path: `/v1/tokens/${token.id}` };
      },
    },
    'POST /v1/organisations': {
      places: ['root'],
      expect: (w, at) => expectAt(w, 'organisations.write', at),
      send: async (_, n) => ({
        path: '/v1/organisations',
        body: { code: `MTFO${n}`, name: `Organizzazione ${n}`, kind: 'hospital_trust' },
      }),
    },
    /** A location at the root (no parent) is the organisation's own; under a parent, that parent's subtree's. */
    'POST /v1/locations': {
      places: ['root', 'cardioStore', 'surgery', 'otherOrg'],
      expect: (w, at) => expectAt(w, 'locations.write', at),
      send: async (at, n) => ({
        path: '/v1/locations',
        body:
          at === 'root'
            ? { kind: 'warehouse', code: `MTF-MAG-${n}`, name: `Magazzino ${n}` }
            : {
                kind: at === 'surgery' ? 'ward_store' : 'cabinet',
                code: `MTF-ARM-${n}`,
                name: `Armadio ${n}`,
                parentId: of(at).id,
              },
      }),
    },
    'POST /v1/items': {
      places: ['org', 'otherOrg'],
      expect: (w, at) => expectAt(w, 'catalogue.write', at),
      send: async (at, n) => ({
        path: '/v1/items',
        body: {
          code: `MTF-IT-${n}`,
          name: `Articolo ${n}`,
          nameEn: `Item ${n}`,
          categoryId: of(at).x.category.id,
          unit: 'pz',
        },
      }),
    },
    'POST /v1/categories': {
      places: ['org', 'otherOrg'],
      expect: (w, at) => expectAt(w, 'catalogue.write', at),
      send: async (at, n) => ({
        path: '/v1/categories',
        body: { code: `MTF-CAT-${n}`, name: `Categoria ${n}`, sectionId: of(at).x.section.id },
      }),
    },
    'POST /v1/sections': {
      places: ['org', 'otherOrg'],
      expect: (w, at) => expectAt(w, 'catalogue.write', at),
      send: async (at, n) => ({
        path: '/v1/sections',
        body: { code: `MTF-SEZ-${n}`, name: `Sezione ${n}`, fulfilledFromId: of(at).x.warehouse.id },
      }),
    },
    'POST /v1/suppliers': {
      places: ['org'],
      expect: (w, at) => expectAt(w, 'catalogue.write', at),
      send: async (_, n) => ({ path: '/v1/suppliers', body: { code: `MTF-SUP-${n}`, name: `Fornitore ${n}` } }),
    },
  };

  /**
   * Channel endpoints in the document whose writes are not a route's own: each runs core actions that the
   * matrices above already cover, behind its own credential check, tested where named.
   */
  const channelEndpoints: Record<string, string> = {
    'POST /mcp':
      'every MCP write tool proposes; confirm_proposal runs the core action: the MCP cells of permission-matrix.test.ts',
    'POST /mqtt/auth': 'an external broker asks whether a device may connect (hook secret): iot-broker-hooks.test.ts',
    'POST /mqtt/acl':
      'an external broker asks whether a device may publish or subscribe (hook secret): iot-broker-hooks.test.ts',
    'POST /mqtt/superuser': 'always no: no device is a superuser: iot-broker-hooks.test.ts',
    'POST /voice/ask':
      "the conversation proposes, a confirmation runs the core action as the token's user: voice.test.ts",
    'POST /voice/alexa': 'Alexa-signed requests of a linked account, the same conversation: voice.test.ts',
  };

  it('covers every write operation of /openapi.json (a new write route fails here until the matrix covers it)', async () => {
    const doc = (await (await app.request('/openapi.json')).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    const writes = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops)
        .filter((m) => ['post', 'put', 'patch', 'delete'].includes(m))
        .map((m) => `${m.toUpperCase()} ${path}`),
    );
    expect(writes.length).toBeGreaterThan(30);
    expect(writes.sort()).toEqual([...ledgerRoutes, ...Object.keys(specs), ...Object.keys(channelEndpoints)].sort());
  });

  it('a chat link code for another user (no route: Slack and the CLI) needs users.write wherever that user’s grants reach', async () => {
    const ctx = contextFor(t.db, {
      userId: wardAdminId,
      organisationId: h.org.id,
      grants: await loadGrants({ db: t.db }, wardAdminId),
      channel: 'http',
      via: 'user',
    });
    const before = await written(t.db);
    await failsWith(createLinkCode({ ctx, input: { userId: h.actors.admin.userId! } }), { code: 'forbidden' });
    await failsWith(createLinkCode({ ctx, input: { userId: h.actors.otherNurse.userId! } }), { code: 'forbidden' });
    expect(await written(t.db)).toEqual(before);
    expect(await createLinkCode({ ctx, input: { userId: h.actors.nurse.userId! } })).toMatchObject({
      userId: h.actors.nurse.userId,
    });
    expect(await createLinkCode({ ctx, input: {} })).toMatchObject({ userId: wardAdminId });
  });

  let n = 0;
  it.each(Object.keys(specs))(
    '%s: every role × own place / another place / another organisation',
    async (route) => {
      const spec = specs[route]!;
      const table = who.flatMap((w) => spec.places.map((at) => ({ w, at, expected: spec.expect(w, at) })));
      // Not vacuous: every route has a role that may and one that may not (organisations: a platform operation,
      // nobody).
      if (route !== 'POST /v1/organisations')
        expect(
          table.some((c) => c.expected === 'allowed'),
          route,
        ).toBe(true);
      if (!spec.read)
        expect(
          table.some((c) => c.expected !== 'allowed'),
          route,
        ).toBe(true);
      for (const { w, at, expected } of table) {
        const label = `${w} ${route} at ${at}`;
        const sent = await spec.send(at, n++);
        const before = await written(t.db);
        const res = await app.request(sent.path, {
          method: sent.method ?? 'POST',
          headers: {
            authorization: `Bearer ${tokens[w]}`,
            ...(sent.body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          ...(sent.body === undefined ? {} : { body: JSON.stringify(sent.body) }),
        });
        const text = await res.text();
        const after = await written(t.db);
        if (expected === 'allowed') {
          expect(res.status, `${label}: ${text}`).toBeGreaterThanOrEqual(200);
          expect(res.status, `${label}: ${text}`).toBeLessThan(300);
          if (spec.read) expect(after, `${label}: a read writes nothing`).toEqual(before);
          else if (route !== 'POST /v1/purchase-orders/overdue') expect(after, `${label}: wrote`).not.toEqual(before);
          continue;
        }
        const statuses = expected === 'not_found' ? [404] : expected === 'refused' ? [403, 404] : [403];
        expect(statuses, `${label}: ${res.status} ${text}`).toContain(res.status);
        expect(res.headers.get('content-type'), label).toContain('application/problem+json');
        if (res.status === 403)
          expect(JSON.parse(text).type, label).toMatch(/^https:\/\/scorta\.dev\/problems\/forbidden/);
        expect(after, `${label}: wrote nothing`).toEqual(before);
      }
    },
    240_000,
  );
});
