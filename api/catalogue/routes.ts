import { createRoute } from '@hono/zod-openapi';
import { router } from '../http/context.ts';
import { json, jsonBody, page, readErrors, UuidParam, writeErrors } from '../http/schemas.ts';
import { Category, Item, Section, Supplier } from './views.ts';
import { createItem, CreateItemInput, getItem, searchItems, SearchItemsInput } from './items.ts';
import {
  createCategory,
  CreateCategoryInput,
  createSection,
  CreateSectionInput,
  createSupplier,
  CreateSupplierInput,
  listCategories,
  listSections,
  listSuppliers,
} from './reference-data.ts';

const tags = ['catalogue'];

/** The item master and its reference data: categories, procurement sections, suppliers. */
export function catalogueRoutes() {
  const app = router();

  const search = createRoute({
    method: 'get',
    path: '/items',
    operationId: 'searchItems',
    tags,
    summary: 'Cerca articoli · Search items',
    description:
      'Per codice, GTIN, nome o sinonimo in italiano o inglese · By code, GTIN, name or synonym in Italian or English.',
    request: { query: SearchItemsInput },
    responses: { 200: json(page(Item), 'A page of items, exact code or GTIN matches first'), ...readErrors },
  });
  app.openapi(search, async (c) => c.json(await searchItems({ ctx: c.var.ctx, input: c.req.valid('query') }), 200));

  const get = createRoute({
    method: 'get',
    path: '/items/{id}',
    operationId: 'getItem',
    tags,
    summary: 'Un articolo · One item',
    request: { params: UuidParam },
    responses: { 200: json(Item, 'The item'), ...readErrors },
  });
  app.openapi(get, async (c) => c.json(await getItem({ ctx: c.var.ctx, id: c.req.valid('param').id }), 200));

  const create = createRoute({
    method: 'post',
    path: '/items',
    operationId: 'createItem',
    tags,
    summary: 'Crea un articolo · Create an item',
    request: { body: jsonBody(CreateItemInput) },
    responses: { 201: json(Item, 'Created'), ...writeErrors },
  });
  app.openapi(create, async (c) => c.json(await createItem({ ctx: c.var.ctx, input: c.req.valid('json') }), 201));

  const categories = createRoute({
    method: 'get',
    path: '/categories',
    operationId: 'listCategories',
    tags,
    summary: 'Categorie · Categories',
    responses: { 200: json(page(Category), 'Every category'), ...readErrors },
  });
  app.openapi(categories, async (c) =>
    c.json({ data: await listCategories({ ctx: c.var.ctx }), nextCursor: null }, 200),
  );

  const addCategory = createRoute({
    method: 'post',
    path: '/categories',
    operationId: 'createCategory',
    tags,
    summary: 'Crea una categoria · Create a category',
    request: { body: jsonBody(CreateCategoryInput) },
    responses: { 201: json(Category, 'Created'), ...writeErrors },
  });
  app.openapi(addCategory, async (c) =>
    c.json(await createCategory({ ctx: c.var.ctx, input: c.req.valid('json') }), 201),
  );

  const sections = createRoute({
    method: 'get',
    path: '/sections',
    operationId: 'listSections',
    tags,
    summary: 'Sezioni ordinanti · Procurement sections',
    responses: { 200: json(page(Section), 'Every section'), ...readErrors },
  });
  app.openapi(sections, async (c) => c.json({ data: await listSections({ ctx: c.var.ctx }), nextCursor: null }, 200));

  const addSection = createRoute({
    method: 'post',
    path: '/sections',
    operationId: 'createSection',
    tags,
    summary: 'Crea una sezione · Create a section',
    request: { body: jsonBody(CreateSectionInput) },
    responses: { 201: json(Section, 'Created'), ...writeErrors },
  });
  app.openapi(addSection, async (c) =>
    c.json(await createSection({ ctx: c.var.ctx, input: c.req.valid('json') }), 201),
  );

  const suppliers = createRoute({
    method: 'get',
    path: '/suppliers',
    operationId: 'listSuppliers',
    tags,
    summary: 'Fornitori · Suppliers',
    responses: { 200: json(page(Supplier), 'Every supplier'), ...readErrors },
  });
  app.openapi(suppliers, async (c) => c.json({ data: await listSuppliers({ ctx: c.var.ctx }), nextCursor: null }, 200));

  const addSupplier = createRoute({
    method: 'post',
    path: '/suppliers',
    operationId: 'registerSupplier',
    tags,
    summary: 'Registra un fornitore · Register a supplier',
    request: { body: jsonBody(CreateSupplierInput) },
    responses: { 201: json(Supplier, 'Created'), ...writeErrors },
  });
  app.openapi(addSupplier, async (c) =>
    c.json(await createSupplier({ ctx: c.var.ctx, input: c.req.valid('json') }), 201),
  );

  return app;
}
