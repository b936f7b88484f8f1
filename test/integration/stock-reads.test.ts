import { beforeAll, describe, expect, it } from 'vitest';
import { createItem, searchItems } from '../../api/catalogue/items.ts';
import type { Actor } from '../../api/core/context.ts';
import { lotHistory } from '../../api/lots/lot-history.ts';
import { getStock, stockTotals } from '../../api/stock/get-stock.ts';
import { issueStock, returnStock, transferStock } from '../../api/stock/issue-stock.ts';
import { listMovements } from '../../api/stock/list-movements.ts';
import { recordConsumption } from '../../api/stock/record-consumption.ts';
import type { LotStatus } from '../../db/schema/index.ts';
import { buildHospital, type Hospital } from '../helpers/fixture.ts';
import { failsWith, lotByCode } from '../helpers/ledger.ts';
import { describeStockActions, type Who } from '../helpers/stock-suite.ts';

describeStockActions((s) => {
  const { as, stockUp, newItem, ledgerOf } = s;

  describe('reads', () => {
    let h: Hospital;
    let item: Awaited<ReturnType<typeof newItem>>;
    /** Movement ids in the order they were written: receipts, issues, a transfer and consumptions. */
    const m: Record<string, number> = {};
    beforeAll(async () => {
      h = await buildHospital(s.db, 'READ');
      item = await newItem(h, 'READ-1');
      const receive = async (
        key: string,
        locationId: string,
        lotCode: string,
        quantity: number,
        expiry: string,
        status?: LotStatus,
      ) => {
        const lot = await stockUp(h, locationId, item.id, lotCode, quantity, expiry, status);
        m[key] = (await ledgerOf(lot.id)).at(-1)!.id;
        return lot;
      };
      const wh = as(h.actors.warehouse);
      await receive('receiptW', h.warehouse.id, 'W-AV', 100, '2027-06-30');
      await receive('receiptS', h.cardioStore.id, 'S-AV', 10, '2027-06-30');
      await receive('receiptQ', h.cardioStore.id, 'S-QU', 4, '2027-06-30', 'quarantined');
      await receive('receiptR', h.cardioStore.id, 'S-RC', 3, '2027-06-30', 'recalled');
      await receive('receiptE', h.cardioStore.id, 'S-EX', 2, '2026-11-20');
      await receive('receiptC', h.cabinet.id, 'C-AV', 5, '2028-01-31');
      await receive('receiptP', h.pharmacy.id, 'P-AV', 6, '2027-06-30');
      const lotW = await lotByCode(s.db, item.id, 'W-AV');
      const go = async (key: string, run: Promise<{ movements: Array<{ id: number }> }>) => {
        m[key] = (await run).movements[0]!.id;
      };
      const lines = (quantity: number) => [{ itemId: item.id, lotId: lotW.id, quantity }];
      const route = (from: { id: string }, to: { id: string }, quantity: number) => ({
        fromLocationId: from.id,
        toLocationId: to.id,
        lines: lines(quantity),
      });
      const nurse = as(h.actors.nurse);
      await go('issueCardio', issueStock({ ctx: wh, input: route(h.warehouse, h.cardioStore, 10) }));
      await go('issueSurgery', issueStock({ ctx: wh, input: route(h.warehouse, h.surgery, 8) }));
      await go('transferCabinet', transferStock({ ctx: nurse, input: route(h.cardioStore, h.cabinet, 4) }));
      await go(
        'consumeCabinet',
        recordConsumption({ ctx: as(h.actors.device), input: { locationId: h.cabinet.id, lines: lines(1) } }),
      );
      await go(
        'consumeSurgery',
        recordConsumption({ ctx: as(h.actors.otherNurse), input: { locationId: h.surgery.id, lines: lines(2) } }),
      );
      await go(
        'returnCardio',
        returnStock({ ctx: nurse, input: { ...route(h.cardioStore, h.warehouse, 1), reason: 'eccedenza' } }),
      );
      await go('issueHome', issueStock({ ctx: wh, input: route(h.warehouse, h.home, 3) }));
    });
    const ids = (...keys: string[]) => keys.map((k) => m[k]!);
    /** The movements of lot W-AV after its receipt, in order. */
    const movesOfW = [
      'issueCardio',
      'issueSurgery',
      'transferCabinet',
      'consumeCabinet',
      'consumeSurgery',
      'returnCardio',
      'issueHome',
    ];

    describe('getStock', () => {
      it('splits stock on hand into available, quarantined, recalled and expired', async () => {
        const stock = await getStock({
          ctx: as(h.actors.nurse),
          input: { locationId: h.cardioStore.id, itemId: item.id, includeDescendants: false },
        });
        expect(stock.totals).toEqual([
          { itemId: item.id, itemCode: 'READ-1', onHand: 24, available: 15, quarantined: 4, recalled: 3, expired: 2 },
        ]);
        expect(stock.data.map((r) => [r.lotCode, r.status, r.onHand, r.available])).toEqual([
          ['S-EX', 'expired', 2, 0],
          ['S-AV', 'available', 10, 10],
          ['S-QU', 'quarantined', 4, 0],
          ['S-RC', 'recalled', 3, 0],
          ['W-AV', 'available', 5, 5],
        ]);
        expect(stock.nextCursor).toBeNull();
      });

      it('includes the locations below by default', async () => {
        const stock = await getStock({ ctx: as(h.actors.nurse), input: { locationId: h.cardio.id, itemId: item.id } });
        expect(stock.totals[0]).toMatchObject({ onHand: 24 + 5 + 3, available: 15 + 5 + 3 });
        expect(new Set(stock.data.map((r) => r.locationCode))).toEqual(new Set(['CARD-MR', 'CARD-ARM1']));
      });

      it('gives each item on the page its totals over the whole selection, and summaries of named items', async () => {
        const first = await getStock({ ctx: as(h.actors.nurse), input: { locationId: h.cardio.id, limit: 1 } });
        expect(first.data).toHaveLength(1);
        expect(first.totals).toEqual([
          expect.objectContaining({ itemId: item.id, onHand: 24 + 5 + 3, available: 15 + 5 + 3, expired: 2 }),
        ]);
        expect(first.nextCursor).not.toBeNull();
        const summary = await stockTotals({
          ctx: as(h.actors.nurse),
          input: { locationId: h.cardio.id, itemIds: [item.id] },
        });
        expect(summary).toEqual(first.totals);
        await failsWith(
          stockTotals({ ctx: as(h.actors.nurse), input: { locationId: h.surgery.id, itemIds: [item.id] } }),
          { code: 'forbidden' },
        );
      });

      it('lets a ward nurse read the warehouse and pharmacy, but not another ward', async () => {
        const warehouse = await getStock({
          ctx: as(h.actors.nurse),
          input: { locationId: h.warehouse.id, itemId: item.id },
        });
        expect(warehouse.data.map((r) => [r.lotCode, r.onHand])).toEqual([['W-AV', 100 - 10 - 8 + 1 - 3]]);
        await failsWith(getStock({ ctx: as(h.actors.nurse), input: { locationId: h.surgery.id } }), {
          code: 'forbidden',
        });
        await failsWith(getStock({ ctx: as(h.actors.nurse), input: { locationId: h.home.id } }), { code: 'forbidden' });
        await failsWith(getStock({ ctx: as(s.other.actors.admin), input: { locationId: h.warehouse.id } }), {
          code: 'not_found',
        });
      });

      it.each<[Who | 'otherAdmin', string[]]>([
        ['nurse', ['CARD-ARM1', 'CARD-MR', 'FARM', 'MAG']],
        ['otherNurse', ['CHIR', 'FARM', 'MAG']],
        ['homeCare', ['DOM-P001', 'FARM', 'MAG']],
        ['warehouse', ['FARM', 'MAG']],
        ['admin', ['CARD-ARM1', 'CARD-MR', 'CHIR', 'DOM-P001', 'FARM', 'MAG']],
        ['otherAdmin', []],
      ])(
        'without a location, shows the %s its own subtrees plus the open warehouse and pharmacy',
        async (who, codes) => {
          const actor = who === 'otherAdmin' ? s.other.actors.admin : h.actors[who];
          const stock = await getStock({ ctx: as(actor), input: { itemId: item.id } });
          expect([...new Set(stock.data.map((r) => r.locationCode))].sort()).toEqual(codes);
        },
      );

      it('pages with an opaque cursor', async () => {
        const all = await getStock({ ctx: as(h.actors.admin), input: { itemId: item.id } });
        const pages = [];
        let cursor: string | undefined;
        do {
          const page = await getStock({ ctx: as(h.actors.admin), input: { itemId: item.id, limit: 3, cursor } });
          pages.push(...page.data);
          cursor = page.nextCursor ?? undefined;
        } while (cursor);
        expect(pages).toEqual(all.data);
        expect(all.data.length).toBeGreaterThan(3);
      });

      it.each([
        [{ locationId: 'CARD' }, 'locationId'],
        [{ limit: 0 }, 'limit'],
        [{ limit: 501 }, 'limit'],
      ])('refuses %j', async (input, field) => {
        await failsWith(getStock({ ctx: as(h.actors.admin), input: input as never }), { code: 'validation', field });
      });
    });

    describe('lotHistory', () => {
      it('returns every movement of a lot to a store, oldest first, page by page', async () => {
        const lot = await lotByCode(s.db, item.id, 'W-AV');
        const expected = ids('receiptW', ...movesOfW);
        const first = await lotHistory({ ctx: as(h.actors.pharmacist), input: { lotId: lot.id, limit: 5 } });
        expect(first.lot).toMatchObject({
          id: lot.id,
          lotCode: 'W-AV',
          status: 'available',
          item: { code: 'READ-1', name: 'Articolo READ-1', nameEn: 'Item READ-1' },
        });
        expect(first.data.map((r) => r.id)).toEqual(expected.slice(0, 5));
        expect(first.nextCursor).not.toBeNull();
        const second = await lotHistory({
          ctx: as(h.actors.pharmacist),
          input: { lotId: lot.id, limit: 5, cursor: first.nextCursor! },
        });
        expect(second.data.map((r) => r.id)).toEqual(expected.slice(5));
        expect(second.nextCursor).toBeNull();
        expect([...first.data, ...second.data].map((r) => r.kind)).toEqual([
          'receipt',
          'issue',
          'issue',
          'transfer',
          'consumption',
          'consumption',
          'return',
          'issue',
        ]);
      });

      it('shows a ward nurse the movements at the places she may read, and the other ward only as totals', async () => {
        const lot = await lotByCode(s.db, item.id, 'W-AV');
        const seen = await lotHistory({ ctx: as(h.actors.nurse), input: { lotId: lot.id, limit: 50 } });
        // Everything but the surgery ward's own consumption: the warehouse's movements are open to every member.
        expect(seen.data.map((r) => r.id)).toEqual(
          ids(
            'receiptW',
            'issueCardio',
            'issueSurgery',
            'transferCabinet',
            'consumeCabinet',
            'returnCardio',
            'issueHome',
          ),
        );
        expect(seen.others.map((o) => o.location.id)).toContain(h.surgery.id);
        expect(JSON.stringify(seen.others)).not.toContain(h.actors.otherNurse.userId!);
      });

      it('shows a lot past its expiry as expired', async () => {
        const lot = await lotByCode(s.db, item.id, 'S-EX');
        expect((await lotHistory({ ctx: as(h.actors.nurse), input: { lotId: lot.id } })).lot.status).toBe('expired');
      });

      it('is closed to devices and to other organisations', async () => {
        const lot = await lotByCode(s.db, item.id, 'W-AV');
        await failsWith(lotHistory({ ctx: as(h.actors.device), input: { lotId: lot.id } }), { code: 'forbidden' });
        await failsWith(lotHistory({ ctx: as(s.other.actors.admin), input: { lotId: lot.id } }), { code: 'not_found' });
        await failsWith(lotHistory({ ctx: as(h.actors.nurse), input: { lotId: 'W-AV' } }), {
          code: 'validation',
          field: 'lotId',
        });
      });
    });

    describe('listMovements', () => {
      const receipts = ['receiptW', 'receiptS', 'receiptQ', 'receiptR', 'receiptE', 'receiptC', 'receiptP'];
      const newestFirst = (keys: string[]) => ids(...keys).sort((a, b) => b - a);
      const list = async (actor: Actor, input: Record<string, unknown> = {}) =>
        (await listMovements({ ctx: as(actor), input: { itemId: item.id, ...input } })).data.map((r) => r.id);

      it.each<[Who | 'otherAdmin', string[]]>([
        [
          'nurse',
          [
            'receiptS',
            'receiptQ',
            'receiptR',
            'receiptE',
            'receiptC',
            'issueCardio',
            'transferCabinet',
            'consumeCabinet',
            'returnCardio',
          ],
        ],
        ['otherNurse', ['issueSurgery', 'consumeSurgery']],
        ['homeCare', ['issueHome']],
        ['warehouse', ['receiptW', 'issueCardio', 'issueSurgery', 'returnCardio', 'issueHome']],
        ['device', []],
        ['admin', [...receipts, ...movesOfW]],
        ['otherAdmin', []],
      ])('shows the %s the movements touching its subtrees, newest first', async (who, keys) => {
        const actor = who === 'otherAdmin' ? s.other.actors.admin : h.actors[who];
        expect(await list(actor)).toEqual(newestFirst(keys));
      });

      it('at one location: the movements in and out of it, if the actor may read it', async () => {
        expect(await list(h.actors.nurse, { locationId: h.cabinet.id })).toEqual(
          newestFirst(['receiptC', 'transferCabinet', 'consumeCabinet']),
        );
        expect(await list(h.actors.nurse, { locationId: h.warehouse.id })).toEqual(
          newestFirst(['receiptW', 'issueCardio', 'issueSurgery', 'returnCardio', 'issueHome']),
        );
        await failsWith(listMovements({ ctx: as(h.actors.nurse), input: { locationId: h.surgery.id } }), {
          code: 'forbidden',
        });
        await failsWith(listMovements({ ctx: as(s.other.actors.admin), input: { locationId: h.warehouse.id } }), {
          code: 'not_found',
        });
      });

      it('filters by kind and pages newest first', async () => {
        expect(await list(h.actors.admin, { kind: 'issue' })).toEqual(
          newestFirst(['issueCardio', 'issueSurgery', 'issueHome']),
        );
        const seen: number[] = [];
        let cursor: string | undefined;
        do {
          const page = await listMovements({ ctx: as(h.actors.admin), input: { itemId: item.id, limit: 4, cursor } });
          seen.push(...page.data.map((r) => r.id));
          cursor = page.nextCursor ?? undefined;
        } while (cursor);
        expect(seen).toEqual(await list(h.actors.admin));
        await failsWith(listMovements({ ctx: as(h.actors.admin), input: { kind: 'gift' as never } }), {
          code: 'validation',
          field: 'kind',
        });
      });
    });

    describe('searchItems', () => {
      let catheter: { id: string };
      let upc: { id: string };
      let lookalike: { id: string };
      beforeAll(async () => {
        const add = (input: Record<string, unknown>) =>
          createItem({ ctx: h.sys, input: { categoryId: h.category.id, unit: 'pz', ...input } });
        catheter = await add({
          code: 'DM-CAT-PED',
          name: 'Catetere venoso – Età pediatrica',
          nameEn: 'Paediatric venous catheter',
          synonyms: ['CVC pediatrico'],
          gtin: '96385074',
        });
        upc = await add({
          code: 'DM-GARZA',
          name: 'Garza sterile 10x10',
          nameEn: 'Sterile gauze 10x10',
          gtin: '036000291452',
        });
        lookalike = await add({
          code: 'DM-SIR-10-LL',
          name: 'Siringa 10 ml Luer-Lock',
          nameEn: 'Luer-lock syringe 10 ml',
        });
      });
      const search = async (q: string, actor: Actor = h.actors.nurse) =>
        (await searchItems({ ctx: as(actor), input: { q } })).data.map((r) => r.id);

      it.each<[string, (h: Hospital) => string[]]>([
        ['guanti', (h) => [h.gloves.id]], // Italian name
        ['nitrile gloves', (h) => [h.gloves.id]], // English name
        ['gloves medium', (h) => [h.gloves.id]], // synonym
        ['siringhe', (h) => [h.syringe.id]], // synonym
        ['disposable syringe', (h) => [h.syringe.id]],
        ['GUANTI Nitrile', (h) => [h.gloves.id]], // case
        ['dm-gua-m', (h) => [h.gloves.id]], // code
        ['8012345000012', (h) => [h.gloves.id]], // GTIN-13
        ['08012345000012', (h) => [h.gloves.id]], // GTIN-14
        ['guanti siringa', () => []], // every word must match
        ['nothing like this', () => []],
      ])('finds %j', async (q, expected) => {
        expect(await search(q)).toEqual(expected(h));
      });

      it.each(['96385074', '00000096385074', 'età pediatrica', 'ETA PEDIATRICA', 'Catétere', 'cvc', 'paediatric'])(
        'finds the catheter by %j (GTIN-8, accents and case ignored)',
        async (q) => {
          expect(await search(q)).toEqual([catheter.id]);
        },
      );

      it('finds a GTIN-12 item by its code as printed', async () => {
        expect(await search('036000291452')).toEqual([upc.id]);
        expect(await search('00036000291452')).toEqual([upc.id]);
      });

      it('ranks an exact code first', async () => {
        expect(await search('DM-SIR-10')).toEqual([h.syringe.id, lookalike.id]);
        expect(await search('DM-SIR-10-LL')).toEqual([lookalike.id]);
        // A name that starts with the words ranks before one that merely contains them.
        expect(await search('siringa 10')).toEqual([lookalike.id, h.syringe.id]);
      });

      it('matches words at word starts and ranks a whole synonym first ("guanti M" is not "monouso")', async () => {
        expect(await search('guanti M')).toEqual([h.gloves.id]);
        expect(await search('siringhe da 10')).toEqual([h.syringe.id]);
        expect(await search('ringa')).toEqual([]);
      });

      it('searches the actor’s own catalogue only, and does not expose the search text', async () => {
        const found = await searchItems({ ctx: as(h.actors.device), input: { q: 'guanti' } });
        expect(found.data).toEqual([
          expect.objectContaining({ id: h.gloves.id, organisationId: h.org.id, gtin: '08012345000012' }),
        ]);
        expect(found.data[0]).not.toHaveProperty('searchText');
        expect(await search('guanti', s.other.actors.nurse)).toEqual([s.other.gloves.id]);
      });
    });
  });
});
