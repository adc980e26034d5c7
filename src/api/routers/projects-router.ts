import { Router } from 'express';
import type { DeliveryCanceller } from '../../deliveries/delivery-canceller';
import { NotFoundError } from '../../errors/not-found-error';
import type { Stores } from '../../store/create-stores';
import { projectOperations } from '../operations/project-operations';
import { route } from '../operations/api-operation';
import { toPageRequest } from '../page-request';
import { parseInput } from '../parse-input';
import { parseResourceId } from '../parse-resource-id';
import { pageJson } from '../presenters/page-json';
import { projectJson } from '../presenters/project-json';
import {
  PROJECT_SORT_COLUMNS,
  projectCreateSchema,
  projectListQuerySchema,
  projectUpdateSchema,
} from '../schemas/project-schemas';

export interface ProjectsRouterDependencies {
  stores: Pick<Stores, 'projects'>;
  canceller: DeliveryCanceller;
  publicBaseUrl: string | undefined;
}

/** `/v1/projects`: create, list, show, update and delete (which takes its routes and webhooks with it). */
export function projectsRouter(deps: ProjectsRouterDependencies): Router {
  const router = Router();
  const { projects } = deps.stores;

  route(router, projectOperations.listProjects, async (req, res) => {
    const params = parseInput(projectListQuerySchema, req.query);
    const page = await projects.listPage(res.locals.principal.teamId, toPageRequest(params, PROJECT_SORT_COLUMNS));
    res.json(pageJson(req, deps.publicBaseUrl, params.sort, page, projectJson));
  });

  route(router, projectOperations.createProject, async (req, res) => {
    const input = parseInput(projectCreateSchema, req.body ?? {});
    const project = await projects.create(res.locals.principal.teamId, input.name);
    res.status(201).json({ data: projectJson(project), message: 'Project created successfully.' });
  });

  route(router, projectOperations.showProject, async (req, res) => {
    const project = await projects.findById(res.locals.principal.teamId, parseResourceId(req.params.id, 'Project'));
    if (!project) throw new NotFoundError('Project');
    res.json(projectJson(project));
  });

  route(router, projectOperations.updateProject, async (req, res) => {
    const id = parseResourceId(req.params.id, 'Project');
    const input = parseInput(projectUpdateSchema, req.body ?? {});
    const project = await projects.update(res.locals.principal.teamId, id, input);
    if (!project) throw new NotFoundError('Project');
    res.json({ data: projectJson(project), message: 'Project updated successfully.' });
  });

  route(router, projectOperations.deleteProject, async (req, res) => {
    const deleted = await projects.softDelete(res.locals.principal.teamId, parseResourceId(req.params.id, 'Project'));
    if (!deleted) throw new NotFoundError('Project');
    const cancelled = await deps.canceller.cancelPendingForWebhooks(deleted.webhookIds, 'project deleted');
    res.json({ message: 'Project deleted successfully.', cancelled_deliveries: cancelled });
  });

  return router;
}
