import { nluItem } from '../../bot/nlu/catalogue.ts';
import type { NluCatalogue } from '../../bot/nlu/types.ts';
import { demoItems, demoOrganisations } from '../../demo/catalogue.ts';

/**
 * The evaluation catalogue: the live demo's items (demo/catalogue.ts, the source demo/prepare-demo.ts loads) and
 * locations — the hospital trust's whole tree plus the ULSS home-care ward and its patients' homes (the
 * ULSS warehouse is left out: one organisation never sees two "magazzino"). Ids are the codes.
 */
export function demoNluCatalogue(): NluCatalogue {
  const [hospital, ulss] = demoOrganisations;
  const locations = [...hospital!.locations, ...ulss!.locations.filter((l) => l.kind !== 'warehouse')];
  return {
    items: demoItems.map((i) => nluItem(i.code, i)),
    locations: locations.map((l) => ({
      id: l.code,
      code: l.code,
      name: l.name,
      nameEn: l.nameEn ?? null,
      aliases: l.aliases ?? [],
      kind: l.kind,
      patientCode: l.patientCode ?? null,
    })),
    lots: [
      // Lot codes shaped as the demo loader makes them (last three code characters + a sequence number).
      { lotCode: 'ANM00077', itemId: 'DPI-GUA-NM' },
      { lotCode: '01000412', itemId: 'DM-SIR-010' },
    ],
  };
}
