import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { Context } from '../../api/core/context.ts';
import { listAlerts, ListAlertsInput } from '../../api/devices/alerts.ts';
import { loadLocation, loadLocations } from '../../api/locations/load-location.ts';
import { listNotifications } from '../../api/notifications/notification-outbox.ts';
import { deviceAlertKinds } from '../../api/core/vocabularies.ts';
import { coreInput, run } from '../errors.ts';
import { nextPage, pageSize, readOnly } from '../schemas.ts';
import { toolArgs } from '../tool-args.ts';

const Place = z.looseObject({ id: z.string(), code: z.string(), name: z.string(), kind: z.string() });
const AlertPage = z.object({
  data: z.array(
    z.looseObject({
      id: z.string(),
      kind: z.enum(deviceAlertKinds),
      subject: z.string(),
      raisedAt: z.string(),
      resolvedAt: z.string().nullable(),
      open: z.boolean(),
      device: z.looseObject({ code: z.string(), name: z.string() }),
      location: Place,
    }),
  ),
  nextCursor: z.string().nullable(),
  notifications: z
    .array(
      z.looseObject({
        id: z.string(),
        kind: z.string(),
        locationId: z.string(),
        locationCode: z.string().nullable(),
        recallId: z.string().nullable(),
        createdAt: z.string(),
      }),
    )
    .describe('Recall and quarantine alerts on the dashboards of the same locations (first page only)'),
});

/** `list_alerts`: device alerts for a location (and below), with the recall / quarantine dashboard alerts there. */
export function register(server: McpServer, ctx: Context) {
  server.registerTool(
    'list_alerts',
    {
      title: 'List alerts · Allarmi',
      description:
        'Alerts at a location and the locations below it (a ward, a cabinet, a home-care team, a home), ' +
        "newest first; the token's whole scope without location_id. data: device alerts (silent devices, " +
        'recalled lots in a cabinet, unknown tags) with the device and where it is; notifications: recall and ' +
        "quarantine alerts shown on those locations' dashboards. open: true for alerts still applying only.",
      inputSchema: toolArgs(ListAlertsInput, {
        describe: {
          locationId: "A location's id: its alerts and those below it",
          open: 'true: only alerts still open; false: only resolved ones; both when omitted',
          kind:
            'Only device alerts of this kind (silent: a device stopped reporting; ' +
            'recalled_lot: a recalled lot in a cabinet; unknown_tag: an unknown RFID tag)',
          limit: pageSize,
          cursor: nextPage,
        },
      }),
      outputSchema: AlertPage,
      annotations: readOnly,
    },
    async (args) =>
      run(async () => {
        const page = await listAlerts({ ctx, input: coreInput(args) });
        if (args.cursor) return { ...page, notifications: [] };
        const { data } = await listNotifications({
          ctx,
          input: { target: 'dashboard', open: args.open === true ? true : undefined },
        });
        if (!args.location_id) return { ...page, notifications: data };
        const root = await loadLocation(ctx, args.location_id);
        const places = await loadLocations(ctx, [...new Set(data.map((n) => n.locationId))]);
        return { ...page, notifications: data.filter((n) => places.get(n.locationId)?.path.startsWith(root.path)) };
      }),
  );
}
