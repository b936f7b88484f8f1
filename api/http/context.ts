import { OpenAPIHono } from '@hono/zod-openapi';
import type { Database } from '../../db/client.ts';
import type { Actor, Context } from '../core/context.ts';
import { validationHook } from './problem.ts';

/** What the HTTP adapters (the API under `/v1`, MCP) need from the composition root: the database and the clock. */
export interface ApiDeps {
  db: Database;
  now?: () => Date;
}

/** Hono variables of an authenticated request: the core context every action receives. */
export interface AppEnv {
  Variables: { ctx: Context };
}

/** The core context of one request: the database, the token's actor, the clock. */
export function buildContext(deps: ApiDeps, actor: Actor): Context {
  return { db: deps.db, actor, now: deps.now ?? (() => new Date()) };
}

/** A sub-app for one domain's routes; its validation failures become problem+json. */
export const router = () => new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
