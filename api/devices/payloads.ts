import { z } from 'zod';
import { text } from '../core/text.ts';

/** Every message carries the device's sequence number (redeliveries repeat it) and when it was taken. */
const Envelope = {
  seq: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  ts: z.iso.datetime({ offset: true }),
};

/** Item by Scorta code or by GTIN (8–14 digits). */
const ItemRef = text().trim().min(1).max(40);

/** A cabinet or shelf: what each bin holds now, counted or weighed (weight ÷ the item's unit weight). */
export const LevelsPayload = z.object({
  ...Envelope,
  bins: z
    .array(
      z
        .object({
          bin: text().trim().min(1).max(40),
          item: ItemRef,
          count: z.number().int().nonnegative().max(1_000_000).optional(),
          weightGrams: z.number().nonnegative().max(1_000_000).optional(),
        })
        .refine((b) => (b.count === undefined) !== (b.weightGrams === undefined), {
          message: 'give either count or weightGrams',
        }),
    )
    .min(1)
    .max(500),
});
export type LevelsPayload = z.infer<typeof LevelsPayload>;

export const readingTypes = [
  'glucose',
  'insulin_dose',
  'cartridge_change',
  'reservoir',
  'oxygen_level',
  'measurement',
] as const;

/** A wearable or telehealth reading: a glucose measurement, an insulin pump event, an oxygen level… */
export const ReadingPayload = z.object({
  ...Envelope,
  type: z.enum(readingTypes),
  value: z.number().finite().optional(),
  unit: text().trim().min(1).max(20).optional(),
});
export type ReadingPayload = z.infer<typeof ReadingPayload>;

/**
 * An RFID cabinet's snapshot: every tag in it now (an SGTIN-96 EPC in hex, or a GS1 element string with
 * GTIN, lot and expiry). The complete set, not a change: Scorta compares it with the previous snapshot.
 */
export const RfidPayload = z.object({ ...Envelope, tags: z.array(text().trim().min(1).max(200)).max(5000) });
export type RfidPayload = z.infer<typeof RfidPayload>;

export const HeartbeatPayload = z.object({ ...Envelope, battery: z.number().min(0).max(100).optional() });

/** Online / offline, as published by the device on connect and by the broker as its last will. */
export const StatusPayload = z.object({
  state: z.enum(['online', 'offline']),
  ts: z.iso.datetime({ offset: true }).optional(),
});
