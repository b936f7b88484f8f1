import { createRoute, z } from '@hono/zod-openapi';
import { router } from '../http/context.ts';
import { readErrors, UuidParam } from '../http/schemas.ts';
import { exportInventoryFhir } from './export-inventory.ts';
import { exportLotFhir } from './export-lot.ts';

const tags = ['fhir'];
const fhirJson = (name: string, description: string) => ({
  description,
  content: { 'application/fhir+json': { schema: z.object({ resourceType: z.string() }).passthrough().openapi(name) } },
});
const fhir = (body: unknown) =>
  new Response(JSON.stringify(body), {
    status: 200,
    headers: { 'Content-Type': 'application/fhir+json; fhirVersion=5.0' },
  });

/** FHIR R5 export of lots and stock (read-only). */
export function fhirRoutes() {
  const app = router();

  const lot = createRoute({
    method: 'get',
    path: '/fhir/lots/{id}',
    operationId: 'getFhirLot',
    tags,
    summary: 'Lotto in FHIR R5 · Lot as FHIR R5',
    description:
      'Bundle: InventoryReport (giacenze), SupplyDelivery (scarichi e ' +
      'trasferimenti), SupplyRequest (richieste evase con il lotto) · ' +
      'Bundle: InventoryReport, SupplyDelivery per issue/transfer, SupplyRequest per request line.',
    request: { params: UuidParam },
    responses: { 200: fhirJson('FhirBundle', 'A collection Bundle'), ...readErrors },
  });
  app.openapi(
    lot,
    async (c) => fhir(await exportLotFhir({ ctx: c.var.ctx, input: { lotId: c.req.valid('param').id } })) as never,
  );

  const inventory = createRoute({
    method: 'get',
    path: '/fhir/InventoryReport',
    operationId: 'getFhirInventoryReport',
    tags,
    summary: 'Giacenze in FHIR R5 · Stock as FHIR R5 InventoryReport',
    request: { query: z.object({ location: z.uuid() }) },
    responses: {
      200: fhirJson('FhirInventoryReport', 'A snapshot InventoryReport of the location and below'),
      ...readErrors,
    },
  });
  app.openapi(
    inventory,
    async (c) =>
      fhir(
        await exportInventoryFhir({ ctx: c.var.ctx, input: { locationId: c.req.valid('query').location } }),
      ) as never,
  );

  return app;
}
