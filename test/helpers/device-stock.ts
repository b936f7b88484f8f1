import { registerDevice } from '../../api/devices/register-device.ts';
import { issueStock, transferStock } from '../../api/stock/issue-stock.ts';
import { receiveGoods } from '../../api/stock/receive-goods.ts';
import { deviceConsumptionRules } from '../../db/schema/index.ts';
import type { Hospital } from './fixture.ts';

/** Makes each glucose reading of a glucometer in the hospital's organisation consume one of `itemId`. */
export async function glucoseConsumes(h: Hospital, itemId: string) {
  await h.sys.db.insert(deviceConsumptionRules).values({
    organisationId: h.org.id,
    deviceKind: 'glucometer',
    event: 'glucose',
    itemId,
    quantity: 1,
  });
}

/** Receives the lots (item, lot code, expiry, quantity) into the hospital's warehouse, in one receipt. */
export async function receiveLots(
  h: Hospital,
  lines: { itemId: string; lotCode: string; expiry: string; quantity: number }[],
) {
  await receiveGoods({ ctx: h.sys, input: { locationId: h.warehouse.id, lines } });
}

/**
 * A glucometer registered at the patient's home: `received` syringes (lot S1) come into the warehouse, `atHome` of
 * them go to the home, and each glucose reading consumes one. Returns the device (id, code, MQTT password).
 */
export async function glucometerAtHome(
  h: Hospital,
  device: { code: string; name: string },
  stock: { received: number; atHome: number },
) {
  await receiveLots(h, [{ itemId: h.syringe.id, lotCode: 'S1', expiry: '2028-01-31', quantity: stock.received }]);
  const lines = [{ itemId: h.syringe.id, quantity: stock.atHome }];
  await issueStock({ ctx: h.sys, input: { fromLocationId: h.warehouse.id, toLocationId: h.home.id, lines } });
  await glucoseConsumes(h, h.syringe.id);
  return registerDevice({ ctx: h.sys, input: { ...device, kind: 'glucometer', locationId: h.home.id } });
}

/** Issues `toStore` of the item from the warehouse to Cardiology's store and moves `toCabinet` on to its cabinet. */
export async function stockCabinet(h: Hospital, itemId: string, quantities: { toStore: number; toCabinet: number }) {
  const { warehouse, cardioStore, cabinet } = h;
  const toStore = [{ itemId, quantity: quantities.toStore }];
  await issueStock({
    ctx: h.sys,
    input: { fromLocationId: warehouse.id, toLocationId: cardioStore.id, lines: toStore },
  });
  const toCabinet = [{ itemId, quantity: quantities.toCabinet }];
  await transferStock({
    ctx: h.sys,
    input: { fromLocationId: cardioStore.id, toLocationId: cabinet.id, lines: toCabinet },
  });
}
