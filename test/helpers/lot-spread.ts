import { createLocation } from '../../api/locations/locations.ts';
import { issueStock, transferStock } from '../../api/stock/issue-stock.ts';
import { receiveGoods } from '../../api/stock/receive-goods.ts';
import { recordConsumption } from '../../api/stock/record-consumption.ts';
import type { Database } from '../../db/client.ts';
import { contextFor, type Hospital } from './fixture.ts';
import { lotByCode } from './ledger.ts';

/**
 * Lot SPREAD-1 of gloves, received at the warehouse (100) and sent to two wards: Cardiology's store (30; 10 on to
 * its cabinet, 4 used there, by the Cardiology nurse) and Surgery (20; 8 on to Surgery's cabinet, 5 used there,
 * by the Surgery nurse). Seven movements, each by the actor a ward would see.
 */
export async function spreadLot(db: Database, h: Hospital) {
  const as = (actor: Hospital['actors'][keyof Hospital['actors']]) => contextFor(db, actor);
  const surgeryCabinet = await createLocation({
    ctx: h.sys,
    input: { kind: 'cabinet', code: 'CHIR-ARM1', name: 'Armadio Chirurgia', parentId: h.surgery.id },
  });
  await receiveGoods({
    ctx: as(h.actors.warehouse),
    input: {
      locationId: h.warehouse.id,
      supplierId: h.supplier.id,
      documentType: 'ddt',
      documentId: 'DDT-SPREAD',
      lines: [{ itemId: h.gloves.id, lotCode: 'SPREAD-1', expiry: '2027-12-31', quantity: 100, unitPrice: 0.05 }],
    },
  });
  const lot = await lotByCode(db, h.gloves.id, 'SPREAD-1');
  const line = (quantity: number) => [{ itemId: h.gloves.id, lotId: lot.id, quantity }];
  await issueStock({
    ctx: as(h.actors.warehouse),
    input: { fromLocationId: h.warehouse.id, toLocationId: h.cardioStore.id, lines: line(30) },
  });
  await issueStock({
    ctx: as(h.actors.warehouse),
    input: { fromLocationId: h.warehouse.id, toLocationId: h.surgery.id, lines: line(20) },
  });
  await transferStock({
    ctx: as(h.actors.nurse),
    input: { fromLocationId: h.cardioStore.id, toLocationId: h.cabinet.id, lines: line(10) },
  });
  await recordConsumption({ ctx: as(h.actors.nurse), input: { locationId: h.cabinet.id, lines: line(4) } });
  await transferStock({
    ctx: as(h.actors.otherNurse),
    input: { fromLocationId: h.surgery.id, toLocationId: surgeryCabinet.id, lines: line(8) },
  });
  await recordConsumption({ ctx: as(h.actors.otherNurse), input: { locationId: surgeryCabinet.id, lines: line(5) } });
  return { lot, surgeryCabinet };
}
