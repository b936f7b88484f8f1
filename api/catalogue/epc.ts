import { gtinCheckDigit } from './gtin.ts';
import { formatGs1, gs1Error, parseGs1, type Gs1Error } from './gs1.ts';

/**
 * RFID tags: an SGTIN-96 EPC (EPC Tag Data Standard) names a trade item (GTIN) and one serial, but no lot
 * or expiry; tags whose user memory carries a GS1 element string name those too. `readTag` takes either.
 */

/** SGTIN-96 partitions (EPC Tag Data Standard): company prefix digits and bits, item reference digits and bits. */
const partitions = [
  [12, 40, 1, 4],
  [11, 37, 2, 7],
  [10, 34, 3, 10],
  [9, 30, 4, 14],
  [8, 27, 5, 17],
  [7, 24, 6, 20],
  [6, 20, 7, 24],
] as const;
const sgtin96Header = 0x30;
const serialBits = 38n;

/** A decoded SGTIN-96: the GTIN-14 (check digit computed) and the serial of one tagged pack. */
export interface Sgtin96 {
  filter: number;
  partition: number;
  companyPrefix: string;
  itemReference: string;
  serial: string;
  gtin: string;
}

export type Sgtin96Result = { ok: true; data: Sgtin96 } | { ok: false; error: Gs1Error };

/** Decodes an SGTIN-96 EPC (24 hex digits, header 0x30) into GTIN-14 and serial. */
export function decodeSgtin96(hex: string): Sgtin96Result {
  const h = hex.trim();
  const notEpc: Sgtin96Result = { ok: false, error: gs1Error('not_epc', null) };
  const bad = (): Sgtin96Result => ({ ok: false, error: gs1Error('bad_epc', null, { value: h.toUpperCase() }) });
  if (!/^[0-9A-Fa-f]{24}$/.test(h)) return notEpc;
  const bits = BigInt(`0x${h}`);
  const field = (offset: number, width: number) =>
    Number((bits >> BigInt(96 - offset - width)) & ((1n << BigInt(width)) - 1n));
  const big = (offset: number, width: number) => (bits >> BigInt(96 - offset - width)) & ((1n << BigInt(width)) - 1n);
  if (field(0, 8) !== sgtin96Header) return notEpc;
  const partition = field(11, 3);
  const row = partitions[partition];
  if (!row) return bad();
  const [cpDigits, cpBits, irDigits, irBits] = row;
  const cp = big(14, cpBits);
  const ir = big(14 + cpBits, irBits);
  if (cp >= 10n ** BigInt(cpDigits)) return bad();
  if (ir >= 10n ** BigInt(irDigits)) return bad();
  const companyPrefix = cp.toString().padStart(cpDigits, '0');
  const itemReference = ir.toString().padStart(irDigits, '0');
  // The item reference carries the GTIN's indicator digit first.
  const body = itemReference[0] + companyPrefix + itemReference.slice(1);
  return {
    ok: true,
    data: {
      filter: field(8, 3),
      partition,
      companyPrefix,
      itemReference,
      serial: big(58, 38).toString(),
      gtin: body + gtinCheckDigit(body),
    },
  };
}

/**
 * Encodes a GTIN-14 and a numeric serial as an SGTIN-96 EPC (24 upper-case hex digits), for device
 * simulators and tests. The company prefix length (6–12) is not in the GTIN: the caller knows it.
 * Throws a RangeError on input a tag cannot carry.
 */
export function encodeSgtin96(input: {
  gtin: string;
  companyPrefixLength: number;
  serial: string | number;
  filter?: number;
}): string {
  const { gtin, companyPrefixLength: cpDigits, filter = 1 } = input;
  const partition = partitions.findIndex((p) => p[0] === cpDigits);
  const serial = BigInt(input.serial);
  if (!/^\d{14}$/.test(gtin) || gtinCheckDigit(gtin.slice(0, -1)) !== Number(gtin[13]))
    throw new RangeError(`not a valid GTIN-14: ${gtin}`);
  if (partition < 0) throw new RangeError(`company prefix length ${cpDigits} is not between 6 and 12`);
  if (
    serial < 0n ||
    serial >= 1n << serialBits ||
    (String(input.serial).startsWith('0') && String(input.serial) !== '0')
  )
    throw new RangeError(`serial ${input.serial} does not fit SGTIN-96`);
  if (!Number.isInteger(filter) || filter < 0 || filter > 7) throw new RangeError(`filter ${filter} is not 0–7`);
  const [, cpBits, , irBits] = partitions[partition]!;
  const companyPrefix = BigInt(gtin.slice(1, 1 + cpDigits));
  const itemReference = BigInt(gtin[0] + gtin.slice(1 + cpDigits, 13));
  let bits = BigInt(sgtin96Header);
  for (const [value, width] of [
    [BigInt(filter), 3],
    [BigInt(partition), 3],
    [companyPrefix, cpBits],
    [itemReference, irBits],
    [serial, 38],
  ] as const) {
    bits = (bits << BigInt(width)) | value;
  }
  return bits.toString(16).toUpperCase().padStart(24, '0');
}

/** What one tag says about its pack: always a GTIN; lot, expiry and count only from a GS1 element string. */
export interface TagData {
  /** The tag normalised: upper-case EPC hex, or the GS1 human-readable form in AI order. */
  tag: string;
  source: 'epc' | 'gs1';
  gtin: string;
  lot: string | null;
  expiry: string | null;
  serial: string | null;
  count: number | null;
}

export type TagResult = { ok: true; data: TagData } | { ok: false; error: Gs1Error };

/**
 * Reads an RFID tag or a scanned code: 24 hex digits starting 30 are an SGTIN-96 EPC, anything else a GS1
 * element string, which must carry a GTIN (01).
 */
export function readTag(raw: string, reference: Date): TagResult {
  const s = raw.trim();
  if (/^30[0-9A-Fa-f]{22}$/.test(s)) {
    const epc = decodeSgtin96(s);
    if (!epc.ok) return epc;
    return {
      ok: true,
      data: {
        tag: s.toUpperCase(),
        source: 'epc',
        gtin: epc.data.gtin,
        lot: null,
        expiry: null,
        serial: epc.data.serial,
        count: null,
      },
    };
  }
  const parsed = parseGs1(s, reference);
  if (!parsed.ok) return parsed;
  const d = parsed.data;
  if (!d.gtin) return { ok: false, error: gs1Error('no_gtin', null) };
  return {
    ok: true,
    data: {
      tag: formatGs1(d.elements),
      source: 'gs1',
      gtin: d.gtin,
      lot: d.lot ?? null,
      expiry: d.expiry ?? null,
      serial: d.serial ?? null,
      count: d.count ?? null,
    },
  };
}
