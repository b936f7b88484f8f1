import { Hono, type Context as HonoContext } from 'hono';
import { z } from 'zod';
import type { Database } from '../db/client.ts';
import { sha256Hex } from '../api/core/idempotency.ts';
import { text } from '../api/core/text.ts';
import { decideConnect, decideTopic, type BrokerAction, type BrokerDecision, type BrokerService } from './acl.ts';

export interface BrokerHookOptions {
  db: Database;
  /**
   * Shared with the broker: sent as `X-Scorta-Broker-Secret` (EMQX `headers`) or `?secret=` (mosquitto-go-auth URIs).
   */
  secret: string;
  /** Scorta's own broker account, when its bridge logs in through these hooks too. */
  service?: BrokerService;
}

const Text = z.union([text(), z.number()]).transform(String).optional();
const AuthBody = z.object({ clientid: Text, username: Text, password: Text });
// EMQX sends `action` (publish | subscribe); mosquitto-go-auth sends `acc` (1 read, 2 write, 3 both, 4 subscribe).
const AclBody = z.object({
  username: Text,
  clientid: Text,
  topic: Text,
  action: z.enum(['publish', 'subscribe']).optional(),
  acc: z.coerce.number().int().optional(),
});
const accActions: Record<number, BrokerAction[]> = {
  1: ['read'],
  2: ['publish'],
  3: ['read', 'publish'],
  4: ['subscribe'],
};

/** The request's fields, from a JSON or form body and the query string (GET hooks). */
async function fields(c: HonoContext): Promise<Record<string, unknown>> {
  const query = c.req.query();
  if (c.req.method === 'GET') return query;
  const type = c.req.header('content-type') ?? '';
  const body = type.includes('json') ? await c.req.json().catch(() => ({})) : await c.req.parseBody().catch(() => ({}));
  return { ...query, ...(typeof body === 'object' && body ? body : {}) };
}

/**
 * One answer both brokers read: EMQX 5 takes `result` (and `is_superuser`), mosquitto-go-auth in
 * `response_mode json` takes `ok` and `error`. Always 200: EMQX treats any other status as "ignore", and
 * an ignoring authorizer can end in "allow" — a refusal must be a refusal.
 */
const answer = (c: HonoContext, decision: BrokerDecision) =>
  c.json(
    {
      result: decision.allow ? 'allow' : 'deny',
      is_superuser: false,
      ok: decision.allow,
      ...(decision.allow ? {} : { error: decision.reason }),
    },
    200,
  );

/**
 * HTTP authentication and authorization hooks for an external broker (EMQX HTTP authn/authz,
 * mosquitto-go-auth's HTTP backend), so the rules of the embedded broker — device credentials and topic
 * ACL — govern it too. `POST /auth` {clientid, username, password}; `POST /acl` {username, topic,
 * action | acc}. Mount under `/mqtt`, outside `/v1` (no bearer token: the broker holds the shared secret).
 */
export function brokerHookRoutes(options: BrokerHookOptions) {
  const app = new Hono();
  const expected = sha256Hex(options.secret);
  app.use('*', async (c, next) => {
    const given = c.req.header('x-scorta-broker-secret') ?? c.req.query('secret') ?? '';
    if ((await sha256Hex(given)) !== (await expected))
      return answer(c, { allow: false, reason: 'wrong or missing broker secret' });
    await next();
  });

  app.on(['GET', 'POST'], '/auth', async (c) => {
    const input = AuthBody.safeParse(await fields(c));
    if (!input.success) return answer(c, { allow: false, reason: 'malformed request' });
    return answer(c, await decideConnect({ db: options.db }, input.data, options.service));
  });

  app.on(['GET', 'POST'], '/acl', async (c) => {
    const input = AclBody.safeParse(await fields(c));
    const actions = input.success
      ? input.data.action
        ? [input.data.action]
        : accActions[input.data.acc ?? 0]
      : undefined;
    if (!input.success || !actions) return answer(c, { allow: false, reason: 'malformed request' });
    const decisions = actions.map((action) => decideTopic({ ...input.data, action }, options.service));
    return answer(c, decisions.find((d) => !d.allow) ?? decisions[0]!);
  });

  // mosquitto-go-auth's optional superuser check: nobody is a superuser.
  app.on(['GET', 'POST'], '/superuser', (c) => answer(c, { allow: false, reason: 'no superusers' }));
  return app;
}
