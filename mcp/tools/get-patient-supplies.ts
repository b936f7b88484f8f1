import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { Context } from '../../api/core/context.ts';
import { notFound } from '../../api/core/errors.ts';
import { homeCareOverview } from '../../api/homecare/home-care-overview.ts';
import { run } from '../errors.ts';
import { Id, readOnly } from '../schemas.ts';
import { text } from '../../api/core/text.ts';

const Patient = z.looseObject({
  locationId: z.string(),
  code: z.string(),
  patientCode: z.string(),
  daysOfCover: z
    .number()
    .nullable()
    .describe("The shortest cover over the patient's items; null when nothing runs out"),
  runOutDate: z.string().nullable(),
  items: z.array(
    z.looseObject({
      itemId: z.string(),
      itemCode: z.string(),
      itemName: z.string(),
      unit: z.string(),
      available: z.number(),
      onOrder: z.number(),
      daysOfCover: z.number().nullable(),
      runOutDate: z.string().nullable(),
      orderBy: z.string().nullable(),
    }),
  ),
  devices: z.array(z.looseObject({ code: z.string(), online: z.string(), silent: z.boolean() })),
  openRequests: z.array(z.looseObject({ number: z.string(), status: z.string() })),
});
const Overview = z.object({ generatedAt: z.string(), today: z.string(), patients: z.array(Patient) });

/**
 * `get_patient_supplies`: home patients' supplies, days of cover and forecast run-out (the home-care overview,
 * narrowed).
 */
export function register(server: McpServer, ctx: Context) {
  server.registerTool(
    'get_patient_supplies',
    {
      title: 'Home patient supplies · Forniture del paziente a domicilio',
      description:
        "A home-care patient's supplies: per item available at home, on order, plan and real daily " +
        'use, days of cover, forecast run-out date and the date to order by (run-out minus lead time); ' +
        "the home's devices (online, silent, open alerts) and open deliveries. Give patient_code " +
        '(e.g. P-001) and/or location_id (a home, or a home-care team for all its patients, fewest ' +
        "days of cover first); without either, every patient in the token's scope. Home-care staff only.",
      inputSchema: {
        patient_code: text()
          .trim()
          .min(1)
          .max(64)
          .optional()
          .describe("The patient's code as on the home (e.g. P-001)"),
        location_id: Id('home or home-care team location').optional(),
      },
      outputSchema: Overview,
      annotations: readOnly,
    },
    async (args) =>
      run(async () => {
        const overview = await homeCareOverview({ ctx, input: { teamLocationId: args.location_id } });
        if (!args.patient_code) return overview;
        const code = args.patient_code.toLowerCase();
        const patients = overview.patients.filter((p) => p.patientCode.toLowerCase() === code);
        if (patients.length === 0) throw notFound('patient', args.patient_code);
        return { ...overview, patients };
      }),
  );
}
