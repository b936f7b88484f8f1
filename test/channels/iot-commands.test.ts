import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerDevice } from '../../api/devices/register-device.ts';
import { deviceTopic } from '../../iot/topics.ts';
import { liftQuarantine } from '../../api/lots/lift-quarantine.ts';
import { quarantineLot } from '../../api/lots/quarantine-lot.ts';
import { startBroker, type DeviceBroker } from '../../iot/broker.ts';
import { startOutboxDispatcher } from '../../server/dispatcher.ts';
import { openTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { buildHospital, type Hospital } from '../helpers/fixture.ts';
import { lotByCode } from '../helpers/ledger.ts';
import { receiveLots, stockCabinet } from '../helpers/device-stock.ts';
import { connectDevice, nextMessage } from '../helpers/mqtt.ts';

const quiet = { info: () => {}, warn: () => {}, error: () => {} };

describe('recall commands to smart cabinets over MQTT (embedded broker, real client)', () => {
  let t: TestDatabase;
  let h: Hospital;
  let broker: DeviceBroker;
  let cabinet: MqttClient;
  let code: string;

  beforeAll(async () => {
    t = await openTestDatabase('pglite');
    h = await buildHospital(t.db);
    await receiveLots(h, [{ itemId: h.gloves.id, lotCode: 'G-SUSPECT', expiry: '2028-01-31', quantity: 50 }]);
    await stockCabinet(h, h.gloves.id, { toStore: 30, toCabinet: 10 });
    const device = await registerDevice({
      ctx: h.sys,
      input: { code: 'CARD-ARM1-01', kind: 'smart_cabinet', name: 'Armadio Cardiologia', locationId: h.cabinet.id },
    });
    code = device.code;
    broker = await startBroker({ db: t.db, port: 0, log: quiet });
    cabinet = await connectDevice(broker.port, device.code, device.password);
    await cabinet.subscribeAsync(deviceTopic(code, 'commands'), { qos: 1 });
  });
  afterAll(async () => {
    await cabinet?.endAsync();
    await broker?.close();
    await t?.close();
  });

  it('tells the cabinet holding a quarantined lot to lock its bins, once, and to unlock them when it is lifted', async () => {
    const dispatcher = startOutboxDispatcher({
      db: t.db,
      publish: (topic, payload) =>
        broker.aedes.publish(
          { cmd: 'publish', topic, payload: Buffer.from(payload), qos: 1, retain: false, dup: false },
          () => {},
        ),
      log: quiet,
    });
    const lot = await lotByCode(t.db, h.gloves.id, 'G-SUSPECT');
    const lock = nextMessage(cabinet, deviceTopic(code, 'commands'));
    await quarantineLot({
      ctx: h.sys,
      input: { lotId: lot.id, reason: 'Sospetto difetto di fabbricazione', reference: 'NC-2026-17' },
    });
    await dispatcher.run();
    expect(await lock).toMatchObject({ command: 'lock_bins', lotCode: 'G-SUSPECT' });

    // Delivered rows are not sent again.
    let again = false;
    cabinet.once('message', () => (again = true));
    await dispatcher.run();
    await new Promise((r) => setTimeout(r, 200));
    expect(again).toBe(false);

    const unlock = nextMessage(cabinet, deviceTopic(code, 'commands'));
    await liftQuarantine({ ctx: h.sys, input: { lotId: lot.id, reason: 'Verifica negativa' } });
    await dispatcher.run();
    expect(await unlock).toMatchObject({ command: 'unlock_bins', lotCode: 'G-SUSPECT' });
    dispatcher.stop();
  });
});
