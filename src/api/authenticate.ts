import type { Request, RequestHandler } from 'express';
import type { TokenScope } from '../tenancy/api-token';
import type { Principal, TeamStore } from '../store/team-store';
import { ForbiddenError } from '../errors/forbidden-error';
import { UnauthorizedError } from '../errors/unauthorized-error';

declare module 'express-serve-static-core' {
  interface Locals {
    principal: Principal;
  }
}

/**
 * Resolves `Authorization: Bearer <token>` to the token's team; every route below it is scoped to that team.
 * A request without that header may be resolved by `withoutBearer` instead (the dashboard's session cookie).
 */
export function authenticate(
  teams: TeamStore,
  withoutBearer?: (req: Request) => Promise<Principal | undefined>,
): RequestHandler {
  return async (req, res, next) => {
    const header = req.get('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const principal = match ? await teams.authenticate(match[1]!) : header ? undefined : await withoutBearer?.(req);
    if (!principal) throw new UnauthorizedError();
    res.locals.principal = principal;
    next();
  };
}

export function requireScope(scope: TokenScope): RequestHandler {
  return (_req, res, next) => {
    const { scopes } = res.locals.principal;
    if (!scopes.includes(scope) && !scopes.includes('manage'))
      throw new ForbiddenError(`This token lacks the "${scope}" scope.`);
    next();
  };
}
