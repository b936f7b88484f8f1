import type { MiddlewareHandler } from 'hono';
import { authenticateToken } from '../access/tokens.ts';
import { DomainError } from '../core/errors.ts';
import { buildContext, type ApiDeps, type AppEnv } from './context.ts';

const bearer = /^Bearer[ ]+(\S+)[ ]*$/i;

/** Requires `Authorization: Bearer <token>`; puts the token's actor, as a core context, on the request. */
export function requireToken(deps: ApiDeps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const token = bearer.exec(c.req.header('authorization') ?? '')?.[1];
    const actor = token ? await authenticateToken({ db: deps.db }, token, 'http') : null;
    if (!actor)
      throw new DomainError('unauthorized', 'unauthorized', {
        context: { reason: token ? 'invalid_token' : 'missing_token' },
      });
    c.set('ctx', buildContext(deps, actor));
    await next();
  };
}
