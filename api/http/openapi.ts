import type { OpenAPIHono } from '@hono/zod-openapi';

/** Tags in the order the docs show them; descriptions are bilingual headings. */
export const tags = [
  { name: 'stock', description: 'Giacenze · Stock on hand' },
  { name: 'movements', description: 'Movimenti di magazzino · Stock movements' },
  { name: 'lots', description: 'Lotti e tracciabilità · Lots and traceability' },
  { name: 'requests', description: 'Richieste da reparto · Ward requests' },
  { name: 'fulfilment', description: 'Riscontro, evasione e bolle · Evaluation, fulfilment and issue notes' },
  { name: 'orders', description: "Ordini d'acquisto · Purchase orders" },
  { name: 'home-care', description: 'Assistenza domiciliare e allarmi dispositivi · Home care and device alerts' },
  { name: 'catalogue', description: 'Anagrafica articoli · Catalogue' },
  { name: 'locations', description: 'Luoghi · Locations' },
  { name: 'organisations', description: 'Aziende sanitarie · Organisations' },
  { name: 'access', description: 'Utenti e token · Users and tokens' },
  { name: 'system', description: 'Sistema · System' },
];

/** The document served at /openapi.json and rendered at /docs. */
export const documentConfig = {
  openapi: '3.1.0',
  info: {
    title: 'Scorta API',
    version: '1.0.0',
    description:
      'Logistica ospedaliera: giacenze per lotto, movimenti, catalogo, luoghi, richieste da reparto e ordini d\'acquisto. Errori in application/problem+json (RFC 9457), in italiano o inglese secondo Accept-Language. · ' +
      'Hospital logistics: stock by lot, movements, catalogue, locations, ward requests and purchase orders. Errors as application/problem+json (RFC 9457), in Italian or English from Accept-Language.',
  },
  tags,
  security: [{ bearerAuth: [] }],
};

/** Declares the bearer-token scheme every /v1 route requires. */
export function registerSecurity(app: OpenAPIHono<any>): void {
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    description: 'Token API `sct_…` (npm run token) · API token `sct_…` (npm run token)',
  });
}
