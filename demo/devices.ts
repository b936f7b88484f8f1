import { chmodSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Context } from '../api/core/context.ts';
import { registerDevice } from '../api/devices/register-device.ts';
import { stockTotals } from '../api/stock/get-stock.ts';
import { issueStock, transferStock } from '../api/stock/issue-stock.ts';
import { demoHomeProfile, type DemoOrganisation } from './catalogue.ts';
import { deviceConsumptionRules, type DeviceKind } from '../db/schema/index.ts';

type Lookup = (code: string) => string | undefined;

/** A demo device's MQTT credentials and what the simulator needs to play it (`npm run simulate`). */
export interface DemoDevice {
  organisation: string;
  id: string;
  code: string;
  kind: DeviceKind;
  name: string;
  /** Location code (a cabinet, a patient's home) and id. */
  location: string;
  locationId: string;
  /** The MQTT password, returned once by `registerDevice`; Scorta keeps only its hash. */
  password: string;
  expectedIntervalSeconds: number;
  /**
   * A cabinet's bins with what they held at registration (the book stock); a weighed bin would give its unit weight.
   */
  bins?: { bin: string; item: string; count: number; unitWeightGrams?: number }[];
  /** Item id → code of the items this device's messages touch, to print replies readably. */
  items: Record<string, string>;
}

/**
 * What an event of a device kind consumes, per organisation. A glucose measurement uses one strip and one
 * lancet. An insulin pump's cartridge change would use a cartridge and an infusion set, but the demo
 * catalogue has neither (insulin comes in pens, counted in units), so there is no pump rule and no pump. An
 * oxygen concentrator's `oxygen_level` has no rule on purpose: levels are informational.
 */
const demoRules: { deviceKind: DeviceKind; event: string; lines: { item: string; quantity: number }[] }[] = [
  {
    deviceKind: 'glucometer',
    event: 'glucose',
    lines: [
      { item: 'DIAG-STR-GLI', quantity: 1 },
      { item: 'DIAG-LAN-28G', quantity: 1 },
    ],
  },
];

/**
 * The ICU smart cabinet's bins, all counted. (A weighed bin needs the item's unit weight in the catalogue,
 * which items cannot be given through `createItem` yet.)
 */
const cabinetBins = [
  { bin: 'A1', item: 'DM-SIR-010' },
  { bin: 'A2', item: 'DM-AGO-23G' },
  { bin: 'B1', item: 'FARM-MOR-10' },
  { bin: 'C1', item: 'FARM-GLU5-500' },
];

/** Below this a device's location gets goods first (a few days of use), so its first readings have stock to consume. */
const minimumOnHand = 20;

/**
 * Registers the demo devices of one organisation through the core — AOPD: the ICU smart cabinet on
 * TI-ARM1; ULSS6: a glucometer per diabetic patient and an oxygen concentrator per patient on home
 * oxygen — and the organisation's device consumption rules, making sure their locations hold the items
 * the devices consume (an issue from the warehouse or a transfer from the ward store when not). Runs inside
 * the demo loader's transaction; returns the credentials, which exist nowhere else.
 */
export async function demoDevices(
  ctx: Context,
  org: DemoOrganisation,
  location: Lookup,
  item: Lookup,
): Promise<DemoDevice[]> {
  for (const rule of demoRules) {
    const ids = rule.lines.map((l) => item(l.item));
    if (ids.some((id) => !id)) continue; // only where the organisation stocks the items
    await ctx.db.insert(deviceConsumptionRules).values(
      rule.lines.map((l, i) => ({
        organisationId: ctx.actor.organisationId,
        deviceKind: rule.deviceKind,
        event: rule.event,
        itemId: ids[i]!,
        quantity: l.quantity,
      })),
    );
  }
  const itemCodes = (codes: string[]) => Object.fromEntries(codes.flatMap((c) => (item(c) ? [[item(c)!, c]] : [])));
  const warehouse = org.locations.find((l) => l.kind === 'warehouse')?.code;
  const devices: DemoDevice[] = [];
  const register = async (spec: {
    code: string;
    kind: DeviceKind;
    name: string;
    location: string;
    expectedIntervalSeconds: number;
    consumes: string[];
    bins?: DemoDevice['bins'];
  }) => {
    const device = await registerDevice({
      ctx,
      input: {
        code: spec.code,
        kind: spec.kind,
        name: spec.name,
        locationId: location(spec.location),
        expectedIntervalSeconds: spec.expectedIntervalSeconds,
      },
    });
    devices.push({
      organisation: org.code,
      id: device.id,
      code: device.code,
      kind: spec.kind,
      name: spec.name,
      location: spec.location,
      locationId: device.locationId,
      password: device.password,
      expectedIntervalSeconds: spec.expectedIntervalSeconds,
      ...(spec.bins ? { bins: spec.bins } : {}),
      items: itemCodes(spec.consumes),
    });
  };

  const cabinet = location('TI-ARM1');
  const wardStore = location('TI-MR');
  if (cabinet && wardStore) {
    const bins = cabinetBins.filter((b) => item(b.item));
    const binItems = bins.map((b) => item(b.item)!);
    await topUp(ctx, { to: cabinet, from: wardStore, itemIds: binItems, move: 'transfer' });
    const held = await onHand(ctx, cabinet, binItems);
    await register({
      code: 'TI-ARM1-01',
      kind: 'smart_cabinet',
      name: 'Armadio intelligente Terapia Intensiva 1',
      location: 'TI-ARM1',
      expectedIntervalSeconds: 300,
      consumes: bins.map((b) => b.item),
      bins: bins
        .filter((b) => (held.get(item(b.item)!) ?? 0) > 0)
        .map((b) => ({ bin: b.bin, item: b.item, count: held.get(item(b.item)!)! })),
    });
  }

  for (const home of org.locations.filter((l) => l.kind === 'home' && l.patientCode)) {
    const profile = demoHomeProfile[home.patientCode as keyof typeof demoHomeProfile] ?? [];
    const patient = home.patientCode!.replace('-', '');
    if (profile.some((p) => p.itemCode === 'DIAG-STR-GLI')) {
      const glucometerRule = demoRules.find((r) => r.deviceKind === 'glucometer')!;
      const consumes = glucometerRule.lines.map((l) => l.item);
      if (warehouse && location(warehouse))
        await topUp(ctx, {
          to: location(home.code)!,
          from: location(warehouse)!,
          itemIds: consumes.flatMap((c) => item(c) ?? []),
          move: 'issue',
        });
      await register({
        code: `GLU-${patient}`,
        kind: 'glucometer',
        name: `Glucometro paziente ${home.patientCode}`,
        location: home.code,
        expectedIntervalSeconds: 6 * 3600,
        consumes,
      });
    }
    if (profile.some((p) => p.itemCode === 'GAS-O2-LIQ')) {
      await register({
        code: `O2-${patient}`,
        kind: 'oxygen_concentrator',
        name: `Concentratore di ossigeno paziente ${home.patientCode}`,
        location: home.code,
        expectedIntervalSeconds: 3600,
        consumes: [],
      });
    }
  }
  return devices;
}

/** Usable stock of some items at exactly one location. */
async function onHand(ctx: Context, locationId: string, itemIds: string[]): Promise<Map<string, number>> {
  const totals = await stockTotals({ ctx, input: { locationId, itemIds, includeDescendants: false } });
  return new Map(totals.map((t) => [t.itemId, t.available]));
}

/**
 * Brings each item at `to` up to the minimum from `from`, as far as `from` holds it, through an issue or a transfer.
 */
async function topUp(ctx: Context, move: { to: string; from: string; itemIds: string[]; move: 'issue' | 'transfer' }) {
  const [there, source] = [await onHand(ctx, move.to, move.itemIds), await onHand(ctx, move.from, move.itemIds)];
  const lines = move.itemIds
    .map((itemId) => ({
      itemId,
      quantity: Math.min(minimumOnHand - (there.get(itemId) ?? 0), source.get(itemId) ?? 0),
    }))
    .filter((l) => l.quantity > 0);
  if (lines.length === 0) return;
  const input = { fromLocationId: move.from, toLocationId: move.to, lines, reason: 'Dotazione per i dispositivi demo' };
  await (move.move === 'issue'
    ? issueStock({ ctx, input: { ...input, documentType: 'BOLLA', documentId: `BS-DEV-${move.to.slice(0, 8)}` } })
    : transferStock({ ctx, input }));
}

/**
 * Writes the demo devices' credentials for `npm run simulate`: a local development file, readable by its
 * owner only (0600), written whole or not at all.
 */
export function writeDemoDevices(file: string, devices: DemoDevice[]) {
  mkdirSync(dirname(file), { recursive: true });
  const body = {
    warning:
      'MQTT secrets of the demo devices, shown once at registration. Local development only: do not share or commit.',
    createdAt: new Date().toISOString(),
    devices,
  };
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(body, null, 2)}\n`, { mode: 0o600 });
  chmodSync(temporary, 0o600);
  renameSync(temporary, file);
}
