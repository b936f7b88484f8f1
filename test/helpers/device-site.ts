import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { rows } from './ledger.ts';
import { deviceConsumptionRules } from '../../db/schema/index.ts';
import { createItem } from '../../api/catalogue/items.ts';
import { createCategory, createSection } from '../../api/catalogue/reference-data.ts';
import { systemActor, type Context } from '../../api/core/context.ts';
import { registerDevice } from '../../api/devices/register-device.ts';
import { createLocation } from '../../api/locations/locations.ts';
import { createOrganisation } from '../../api/organisations/organisations.ts';
import { issueStock } from '../../api/stock/issue-stock.ts';
import { receiveGoods } from '../../api/stock/receive-goods.ts';

/**
 * A home-care site built with the core actions: a warehouse, a home-care ward, and per patient a home
 * stocked with `strips` glucose strips (a number, or one per patient n = 1, 2, …) and `lancets` lancets and a
 * glucometer whose glucose reading
 * consumes one of each. Returns the devices' MQTT credentials and the ids a check needs.
 */
export async function buildGlucometerSite(
  db: Database,
  options: {
    devices: number;
    strips: number | ((n: number) => number);
    lancets: number;
    code?: string;
    log?: (line: string) => void;
  },
) {
  const stripsAt = (n: number) => (typeof options.strips === 'number' ? options.strips : options.strips(n));
  let totalStrips = 0;
  for (let n = 1; n <= options.devices; n++) totalStrips += stripsAt(n);
  const boot: Context = { db, actor: systemActor('00000000-0000-0000-0000-000000000000'), now: () => new Date() };
  const code = options.code ?? 'ULSSDEV';
  const org = await createOrganisation({ ctx: boot, input: { code, name: `ULSS ${code}`, kind: 'local_health_unit' } });
  const ctx: Context = { db, actor: systemActor(org.id), now: () => new Date() };
  const warehouse = await createLocation({ ctx, input: { kind: 'warehouse', code: 'MAG', name: 'Magazzino' } });
  const adi = await createLocation({ ctx, input: { kind: 'ward', code: 'ADI', name: 'Assistenza Domiciliare' } });
  const section = await createSection({
    ctx,
    input: { code: 'MAG', name: 'Magazzino', fulfilledFromId: warehouse.id },
  });
  const category = await createCategory({ ctx, input: { code: 'DIAG', name: 'Diagnostici', sectionId: section.id } });
  const strips = await createItem({
    ctx,
    input: {
      code: 'DIAG-STR',
      name: 'Strisce glicemia',
      nameEn: 'Glucose strips',
      categoryId: category.id,
      unit: 'pz',
      packSize: 1,
    },
  });
  const lancets = await createItem({
    ctx,
    input: { code: 'DIAG-LAN', name: 'Lancette', nameEn: 'Lancets', categoryId: category.id, unit: 'pz', packSize: 1 },
  });
  await receiveGoods({
    ctx,
    input: {
      locationId: warehouse.id,
      lines: [
        { itemId: strips.id, lotCode: 'S1', expiry: '2029-12-31', quantity: totalStrips },
        { itemId: lancets.id, lotCode: 'L1', expiry: '2029-12-31', quantity: options.devices * options.lancets },
      ],
    },
  });
  await db.insert(deviceConsumptionRules).values(
    [strips, lancets].map((i) => ({
      organisationId: org.id,
      deviceKind: 'glucometer' as const,
      event: 'glucose',
      itemId: i.id,
      quantity: 1,
    })),
  );
  const devices: { code: string; password: string; homeId: string }[] = [];
  for (let n = 1; n <= options.devices; n++) {
    const patient = `P-${String(n).padStart(5, '0')}`;
    const home = await createLocation({
      ctx,
      input: {
        kind: 'home',
        code: `DOM-${patient}`,
        name: `Domicilio ${patient}`,
        parentId: adi.id,
        patientCode: patient,
      },
    });
    await issueStock({
      ctx,
      input: {
        fromLocationId: warehouse.id,
        toLocationId: home.id,
        lines: [
          { itemId: strips.id, quantity: stripsAt(n) },
          { itemId: lancets.id, quantity: options.lancets },
        ],
      },
    });
    const device = await registerDevice({
      ctx,
      input: { code: `GLU-${code}-${patient}`, kind: 'glucometer', name: `Glucometro ${patient}`, locationId: home.id },
    });
    devices.push({ code: device.code, password: device.password, homeId: home.id });
    if (n % 200 === 0) options.log?.(`  site: ${n} homes and glucometers`);
  }
  return { organisationId: org.id, strips, lancets, devices };
}

/** What a glucometer site booked: messages stored (and accepted), strips and lancets consumed. */
export async function siteReadingCounts(db: Database, site: { strips: { id: string }; lancets: { id: string } }) {
  const [counts] = await rows<{ messages: number; accepted: number; strips: number; lancets: number }>(
    db,
    sql`
    select (select count(*)::int from device_messages) as messages,
           (select count(*)::int from device_messages where outcome = 'accepted') as accepted,
           (select coalesce(sum(quantity), 0)::int from movements where kind = 'consumption' and item_id = ${site.strips.id}) as strips,
           (select coalesce(sum(quantity), 0)::int from movements where kind = 'consumption' and item_id = ${site.lancets.id}) as lancets`,
  );
  return counts!;
}
