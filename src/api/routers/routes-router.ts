import { Router } from 'express';
import { ProjectStore } from '../../store/project-store';
import { RouteStore, toRouteWithCount, type RouteRowWithCount, type RouteWriteResult } from '../../store/route-store';
import { requireScope } from '../authenticate';
import type { AppDependencies } from '../create-app';
import { cursorPageJson, fetchCursorPage } from '../cursor-page';
import { deriveSlug } from '../derive-slug';
import { NotFoundError } from '../../errors/not-found-error';
import { ValidationError } from '../../errors/validation-error';
import { parseInput } from '../parse-input';
import { parseResourceId } from '../parse-resource-id';
import { routeJson } from '../presenters/route-json';
import { routeCreateSchema, routeListQuerySchema, routeUpdateSchema } from '../schemas/route-schemas';

/** A project's routes (`/v1/projects/{id}/routes`) and each route by id (`/v1/routes/{id}`). */
export function routesRouter(deps: Pick<AppDependencies, 'db' | 'canceller' | 'publicBaseUrl'>): Router {
  const router = Router();
  const manage = requireScope('manage');
  const routes = new RouteStore(deps.db);

  /** The route written, or the 422 of a slug another live route of the project has. */
  function written(result: Exclude<RouteWriteResult, { kind: 'not_found' }>, slugWasDerived: boolean) {
    if (result.kind === 'slug_taken') {
      const hint = slugWasDerived ? ' Give the route another name or an explicit slug.' : '';
      throw ValidationError.field('slug', `The slug has already been taken.${hint}`);
    }
    return routeJson(result.route);
  }

  router.get('/projects/:id/routes', manage, async (req, res) => {
    const { teamId } = res.locals.principal;
    const projectId = parseResourceId(req.params.id, 'Project');
    const params = parseInput(routeListQuerySchema, req.query);
    if (!(await new ProjectStore(deps.db).findById(teamId, projectId))) throw new NotFoundError('Project');
    const page = await fetchCursorPage<RouteRowWithCount>(deps.db, routes.listQuery(teamId, projectId), params, {
      createdAt: 'r.created_at',
      id: 'r.id',
    });
    res.json(cursorPageJson(req, deps.publicBaseUrl, page, (row) => routeJson(toRouteWithCount(row))));
  });

  router.post('/projects/:id/routes', manage, async (req, res) => {
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

  router.get('/routes/:id', manage, async (req, res) => {
    const route = await routes.findWithCount(res.locals.principal.teamId, parseResourceId(req.params.id, 'Route'));
    if (!route) throw new NotFoundError('Route');
    res.json(routeJson(route));
  });

  router.put('/routes/:id', manage, async (req, res) => {
    const id = parseResourceId(req.params.id, 'Route');
    const input = parseInput(routeUpdateSchema, req.body ?? {});
    const result = await routes.update(res.locals.principal.teamId, id, input);
    if (result.kind === 'not_found') throw new NotFoundError('Route');
    res.json({ data: written(result, false), message: 'Route updated successfully.' });
  });

  router.delete('/routes/:id', manage, async (req, res) => {
    const deleted = await routes.softDelete(res.locals.principal.teamId, parseResourceId(req.params.id, 'Route'));
    if (!deleted) throw new NotFoundError('Route');
    await deps.canceller.cancelPendingForWebhooks(deleted.webhookIds, 'route deleted');
    res.json({ message: 'Route deleted successfully.' });
  });

  return router;
}
