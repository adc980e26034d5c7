import { Router } from 'express';
import { ConflictError } from '../../errors/conflict-error';
import { NotFoundError } from '../../errors/not-found-error';
import type { Stores } from '../../store/create-stores';
import type { TokenScope } from '../../tenancy/api-token';
import { route } from '../operations/api-operation';
import { tokenOperations } from '../operations/token-operations';
import { toPageRequest } from '../page-request';
import { parseInput } from '../parse-input';
import { parseResourceId } from '../parse-resource-id';
import { pageJson } from '../presenters/page-json';
import { tokenJson } from '../presenters/token-json';
import { TOKEN_SORT_COLUMNS, tokenCreateSchema, tokenListQuerySchema } from '../schemas/token-schemas';

export interface TokensRouterDependencies {
  stores: Pick<Stores, 'teams'>;
  publicBaseUrl: string | undefined;
}

/** `/v1/tokens`: the team's API tokens, listed, created (shown once) and revoked. */
export function tokensRouter(deps: TokensRouterDependencies): Router {
  const router = Router();
  const { teams } = deps.stores;

  route(router, tokenOperations.listTokens, async (req, res) => {
    const params = parseInput(tokenListQuerySchema, req.query);
    const page = await teams.listTokensPage(res.locals.principal.teamId, toPageRequest(params, TOKEN_SORT_COLUMNS));
    res.json(pageJson(req, deps.publicBaseUrl, params.sort, page, tokenJson));
  });

  route(router, tokenOperations.createToken, async (req, res) => {
    const input = parseInput(tokenCreateSchema, req.body ?? {});
    // `manage` is the whole API, posting events included: it carries both scopes, as the CLI's tokens do.
    const scopes: TokenScope[] = input.scopes.includes('manage') ? ['manage', 'trigger'] : ['trigger'];
    const { token, info } = await teams.createTokenRecord(res.locals.principal.teamId, input.name, scopes);
    res.status(201).json({
      data: { ...tokenJson(info), token },
      message: 'Token created. Keep it now: it is never shown again.',
    });
  });

  route(router, tokenOperations.revokeToken, async (req, res) => {
    const id = parseResourceId(req.params.id, 'Token');
    const outcome = await teams.revokeToken(res.locals.principal.teamId, id, { keepLastManageToken: true });
    if (outcome.kind === 'not_found') throw new NotFoundError('Token');
    if (outcome.kind === 'last_manage_token') {
      throw new ConflictError(
        "This is the team's last live manage token: create another one first (or revoke it with the CLI).",
      );
    }
    res.json({ data: tokenJson(outcome.token), message: 'Token revoked.' });
  });

  return router;
}
