import type { RequestHandler } from 'express';
import { ForbiddenError } from '../errors/forbidden-error';
import type { AppError } from '../errors/app-error';
import { NotFoundError } from '../errors/not-found-error';
import { ValidationError } from '../errors/validation-error';
import type { Stores } from '../store/create-stores';
import type { PortalScope } from '../store/team-store';

type GuardStores = Pick<Stores, 'routes' | 'webhooks' | 'deliveries'>;

/** Says whether one request of a portal session stays inside its scope, from the ids its path or input names. */
type Check = (input: { ids: string[]; query: unknown; body: unknown }) => Promise<boolean>;

const UUID = '([0-9a-fA-F-]{36})';

/**
 * What a portal session may call, and nothing else: its project (or route), that scope's webhooks, their
 * attempts and deliveries. Mounted after authentication on `/v1`, so every endpoint, those added later too, is
 * refused to a portal session (403) until it is listed here. A resource outside the scope is answered 404, as
 * another team's is: the session cannot even learn that it exists.
 */
export function portalScopeGuard(stores: GuardStores): RequestHandler {
  const routeInScope = async (scope: PortalScope, teamId: string, routeId: unknown): Promise<boolean> => {
    if (typeof routeId !== 'string') return false;
    if (scope.routeId !== null) return routeId === scope.routeId;
    const route = /^[0-9a-fA-F-]{36}$/.test(routeId) ? await stores.routes.findById(teamId, routeId) : undefined;
    return route?.projectId === scope.projectId;
  };

  const rules = (scope: PortalScope, teamId: string): Array<[string, RegExp, Check, () => AppError]> => {
    const project = () => new NotFoundError('Project');
    const route = () => new NotFoundError('Route');
    const webhook = () => new NotFoundError('Webhook');
    const delivery = () => new NotFoundError('Delivery');
    const listFilter = () =>
      ValidationError.field('filter.route_id', 'A portal session lists the webhooks of one of its routes at a time.');
    // As the API answers another team's route.
    const routeField = () => ValidationError.field('route_id', 'The selected route id is invalid.');
    const webhookInScope: Check = async ({ ids }) => {
      const webhook = await stores.webhooks.findById(teamId, ids[0]!);
      return !!webhook && (await routeInScope(scope, teamId, webhook.routeId));
    };
    const deliveryInScope: Check = async ({ ids }) => {
      const delivery = await stores.deliveries.findById(ids[0]!, teamId);
      return !!delivery && (await routeInScope(scope, teamId, delivery.routeId));
    };
    return [
      ['GET', new RegExp(`^/projects/${UUID}$`), async ({ ids }) => ids[0] === scope.projectId, project],
      [
        'GET',
        new RegExp(`^/projects/${UUID}/routes$`),
        async ({ ids }) => ids[0] === scope.projectId && !scope.routeId,
        project,
      ],
      ['GET', new RegExp(`^/routes/${UUID}$`), async ({ ids }) => routeInScope(scope, teamId, ids[0]), route],
      // A portal lists one route's webhooks at a time: the filter is what keeps the list inside the scope.
      ['GET', /^\/webhooks$/, async ({ query }) => routeInScope(scope, teamId, filterRouteId(query)), listFilter],
      [
        'POST',
        /^\/webhooks$/,
        async ({ body }) => routeInScope(scope, teamId, (body as { route_id?: unknown } | undefined)?.route_id),
        routeField,
      ],
      ['GET', new RegExp(`^/webhooks/${UUID}$`), webhookInScope, webhook],
      ['PUT', new RegExp(`^/webhooks/${UUID}$`), webhookInScope, webhook],
      ['DELETE', new RegExp(`^/webhooks/${UUID}$`), webhookInScope, webhook],
      ['POST', new RegExp(`^/webhooks/${UUID}/(?:test|regenerate-secret)$`), webhookInScope, webhook],
      ['GET', new RegExp(`^/webhooks/${UUID}/deliveries(?:/${UUID})?$`), webhookInScope, webhook],
      ['POST', new RegExp(`^/webhooks/${UUID}/deliveries/${UUID}/retry$`), webhookInScope, webhook],
      ['GET', new RegExp(`^/deliveries/${UUID}$`), deliveryInScope, delivery],
      ['POST', new RegExp(`^/deliveries/${UUID}/(?:cancel|replay)$`), deliveryInScope, delivery],
    ];
  };

  return async (req, res, next) => {
    const { principal } = res.locals;
    if (!principal.portal) return next();
    const rule = rules(principal.portal, principal.teamId).find(
      ([method, pattern]) => method === req.method && pattern.test(req.path),
    );
    if (!rule) throw new ForbiddenError('A portal session may not do that.');
    const ids = rule[1]
      .exec(req.path)!
      .slice(1)
      .filter((id): id is string => id !== undefined);
    if (!(await rule[2]({ ids, query: req.query, body: req.body }))) throw rule[3]();
    next();
  };
}

function filterRouteId(query: unknown): unknown {
  const filter = (query as { filter?: unknown } | undefined)?.filter;
  return typeof filter === 'object' && filter !== null ? (filter as { route_id?: unknown }).route_id : undefined;
}
