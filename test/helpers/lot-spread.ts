import { createLocation } from '../../api/locations/locations.ts';
import { receiveGoods } from '../../api/stock/receive-goods.ts';
import { recordConsumption } from '../../api/stock/record-consumption.ts';
import type { Database } from '../../db/client.ts';
import { contextFor, type Hospital } from './fixture.ts';
import { lotByCode } from './ledger.ts';
import { issueBetween, transferBetween } from './stock-moves.ts';

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
  await issueBetween(as(h.actors.warehouse), h.warehouse.id, h.cardioStore.id, line(30));
  await issueBetween(as(h.actors.warehouse), h.warehouse.id, h.surgery.id, line(20));
  await transferBetween(as(h.actors.nurse), h.cardioStore.id, h.cabinet.id, line(10));
  await recordConsumption({ ctx: as(h.actors.nurse), input: { locationId: h.cabinet.id, lines: line(4) } });
  await transferBetween(as(h.actors.otherNurse), h.surgery.id, surgeryCabinet.id, line(8));
  await recordConsumption({ ctx: as(h.actors.otherNurse), input: { locationId: surgeryCabinet.id, lines: line(5) } });
  return { lot, surgeryCabinet };
}
