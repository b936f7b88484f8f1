import { OpenAPIHono } from '@hono/zod-openapi';
import type { Database } from '../../db/client.ts';
import type { Actor, Context } from '../core/context.ts';
import type { BrokerService } from '../../iot/acl.ts';
import type { AlexaOptions } from '../../bot/voice/verify.ts';
import { validationHook } from './problem.ts';

/** What the HTTP adapter needs from its entry point (Node server, Worker, tests). */
export interface AppDeps {
  db: Database;
  now?: () => Date;
  /** Authentication and ACL hooks for an external MQTT broker (EMQX, mosquitto-go-auth) at `/mqtt`; off when absent. */
  brokerHooks?: { secret: string; service?: BrokerService };
  /** The Alexa custom-skill endpoint at `/voice/alexa`: skill id and signature check; off (404) when absent. */
  alexa?: AlexaOptions;
}

/** Hono variables of an authenticated request: the core context every action receives. */
export interface AppEnv {
  Variables: { ctx: Context };
}

/** The core context of one request: the database, the token's actor, the clock. */
export function buildContext(deps: AppDeps, actor: Actor): Context {
  return { db: deps.db, actor, now: deps.now ?? (() => new Date()) };
}

/** A sub-app for one domain's routes; its validation failures become problem+json. */
export const router = () => new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
