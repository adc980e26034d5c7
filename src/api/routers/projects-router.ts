import { Router } from 'express';
import { ProjectStore, toProject, type ProjectRow } from '../../store/project-store';
import { requireScope } from '../authenticate';
import type { AppDependencies } from '../create-app';
import { cursorPageJson, fetchCursorPage } from '../cursor-page';
import { NotFoundError } from '../../errors/not-found-error';
import { parseInput } from '../parse-input';
import { parseResourceId } from '../parse-resource-id';
import { projectJson } from '../presenters/project-json';
import { projectCreateSchema, projectListQuerySchema, projectUpdateSchema } from '../schemas/project-schemas';

/** `/v1/projects`: create, list, show, update and delete (which takes its routes and webhooks with it). */
export function projectsRouter(deps: Pick<AppDependencies, 'db' | 'canceller' | 'publicBaseUrl'>): Router {
  const router = Router();
  const manage = requireScope('manage');
  const projects = new ProjectStore(deps.db);

  router.get('/projects', manage, async (req, res) => {
    const params = parseInput(projectListQuerySchema, req.query);
    const page = await fetchCursorPage<ProjectRow>(deps.db, projects.listQuery(res.locals.principal.teamId), params, {
      createdAt: 'p.created_at',
      id: 'p.id',
    });
    res.json(cursorPageJson(req, deps.publicBaseUrl, page, (row) => projectJson(toProject(row))));
  });

  router.post('/projects', manage, async (req, res) => {
    const input = parseInput(projectCreateSchema, req.body ?? {});
    const project = await projects.create(res.locals.principal.teamId, input.name);
    res.status(201).json({ data: projectJson(project), message: 'Project created successfully.' });
  });

  router.get('/projects/:id', manage, async (req, res) => {
    const project = await projects.findById(res.locals.principal.teamId, parseResourceId(req.params.id, 'Project'));
    if (!project) throw new NotFoundError('Project');
    res.json(projectJson(project));
  });

  router.put('/projects/:id', manage, async (req, res) => {
    const id = parseResourceId(req.params.id, 'Project');
    const input = parseInput(projectUpdateSchema, req.body ?? {});
    const project = await projects.update(res.locals.principal.teamId, id, input);
    if (!project) throw new NotFoundError('Project');
    res.json({ data: projectJson(project), message: 'Project updated successfully.' });
  });

  router.delete('/projects/:id', manage, async (req, res) => {
    const deleted = await projects.softDelete(res.locals.principal.teamId, parseResourceId(req.params.id, 'Project'));
    if (!deleted) throw new NotFoundError('Project');
    await deps.canceller.cancelPendingForWebhooks(deleted.webhookIds, 'project deleted');
    res.json({ message: 'Project deleted successfully.' });
  });

  return router;
}
