import { Router } from 'express';
import type { DeliveryCanceller } from '../../deliveries/delivery-canceller';
import { NotFoundError } from '../../errors/not-found-error';
import { ValidationError } from '../../errors/validation-error';
import type { Stores } from '../../store/create-stores';
import type { RouteWriteResult } from '../../store/route-store';
import { routeOperations } from '../operations/route-operations';
import { route } from '../operations/api-operation';
import { deriveSlug } from '../derive-slug';
import { toPageRequest } from '../page-request';
import { parseInput } from '../parse-input';
import { parseResourceId } from '../parse-resource-id';
import { pageJson } from '../presenters/page-json';
import { routeJson } from '../presenters/route-json';
import {
  ROUTE_SORT_COLUMNS,
  routeCreateSchema,
  routeListQuerySchema,
  routeUpdateSchema,
} from '../schemas/route-schemas';

export interface RoutesRouterDependencies {
  stores: Pick<Stores, 'projects' | 'routes'>;
  canceller: DeliveryCanceller;
  publicBaseUrl: string | undefined;
}

/** A project's routes (`/v1/projects/{id}/routes`) and each route by id (`/v1/routes/{id}`). */
export function routesRouter(deps: RoutesRouterDependencies): Router {
  const router = Router();
  const { routes, projects } = deps.stores;

  /** The route written, or the 422 of a slug another live route of the project has. */
  function written(result: Exclude<RouteWriteResult, { kind: 'not_found' }>, slugWasDerived: boolean) {
    if (result.kind === 'slug_taken') {
      const hint = slugWasDerived ? ' Give the route another name or an explicit slug.' : '';
      throw ValidationError.field('slug', `The slug has already been taken.${hint}`);
    }
    return routeJson(result.route);
  }

  route(router, routeOperations.listRoutes, async (req, res) => {
    const { teamId } = res.locals.principal;
    const projectId = parseResourceId(req.params.id, 'Project');
    const params = parseInput(routeListQuerySchema, req.query);
    if (!(await projects.findById(teamId, projectId))) throw new NotFoundError('Project');
    const page = await routes.listPage(teamId, projectId, toPageRequest(params, ROUTE_SORT_COLUMNS));
    res.json(pageJson(req, deps.publicBaseUrl, params.sort, page, routeJson));
  });

  route(router, routeOperations.createRoute, async (req, res) => {
    const projectId = parseResourceId(req.params.id, 'Project');
    const input = parseInput(routeCreateSchema, req.body ?? {});
    const result = await routes.create({
      teamId: res.locals.principal.teamId,
      projectId,
      name: input.name,
      routeType: input.route_type,
      slug: input.slug ?? deriveSlug(input.name),
    });
    if (result.kind === 'not_found') throw new NotFoundError('Project');
    res.status(201).json({ data: written(result, input.slug === undefined), message: 'Route created successfully.' });
  });

  route(router, routeOperations.showRoute, async (req, res) => {
    const route = await routes.findWithCount(res.locals.principal.teamId, parseResourceId(req.params.id, 'Route'));
    if (!route) throw new NotFoundError('Route');
    res.json(routeJson(route));
  });

  route(router, routeOperations.updateRoute, async (req, res) => {
    const id = parseResourceId(req.params.id, 'Route');
    const input = parseInput(routeUpdateSchema, req.body ?? {});
    const result = await routes.update(res.locals.principal.teamId, id, input);
    if (result.kind === 'not_found') throw new NotFoundError('Route');
    res.json({ data: written(result, false), message: 'Route updated successfully.' });
  });

  route(router, routeOperations.deleteRoute, async (req, res) => {
    const deleted = await routes.softDelete(res.locals.principal.teamId, parseResourceId(req.params.id, 'Route'));
    if (!deleted) throw new NotFoundError('Route');
    const cancelled = await deps.canceller.cancelPendingForWebhooks(deleted.webhookIds, 'route deleted');
    res.json({ message: 'Route deleted successfully.', cancelled_deliveries: cancelled });
  });

  return router;
}
