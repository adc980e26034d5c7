import { Router } from 'express';
import { ForbiddenError } from '../../errors/forbidden-error';
import { NotFoundError } from '../../errors/not-found-error';
import { ValidationError } from '../../errors/validation-error';
import type { Stores } from '../../store/create-stores';
import { portalSessionOperations } from '../operations/portal-session-operations';
import { route } from '../operations/api-operation';
import { parseInput } from '../parse-input';
import { parseResourceId } from '../parse-resource-id';
import { portalSessionJson } from '../presenters/portal-session-json';
import { portalSessionCreateSchema } from '../schemas/portal-session-schemas';

export interface PortalSessionsRouterDependencies {
  stores: Pick<Stores, 'portalSessions' | 'projects' | 'routes'>;
  publicBaseUrl: string | undefined;
}

/** `/v1/portal-sessions`: one-time links into the dashboard for a platform's customers, and their revocation. */
export function portalSessionsRouter(deps: PortalSessionsRouterDependencies): Router {
  const router = Router();
  const { portalSessions, projects, routes } = deps.stores;

  route(router, portalSessionOperations.createPortalSession, async (req, res) => {
    const { teamId, tokenId, portal } = res.locals.principal;
    // A portal's own session cannot mint a wider one (the scope guard refuses it too).
    if (portal) throw new ForbiddenError('A portal session may not do that.');
    const input = parseInput(portalSessionCreateSchema, req.body ?? {});
    let projectId = input.project_id;
    if (input.route_id) {
      const found = await routes.findById(teamId, input.route_id);
      if (!found) throw ValidationError.field('route_id', 'The selected route id is invalid.');
      projectId = found.projectId;
    } else if (!projectId || !(await projects.findById(teamId, projectId))) {
      throw ValidationError.field('project_id', 'The selected project id is invalid.');
    }
    const { linkToken, session } = await portalSessions.create({
      teamId,
      tokenId,
      projectId: projectId!,
      routeId: input.route_id ?? null,
      lifetimeSeconds: input.lifetime_seconds,
    });
    const base = deps.publicBaseUrl?.replace(/\/$/, '') ?? `${req.protocol}://${req.get('host')}`;
    // In the fragment: browsers send it to no server (no access log, no Referer), and a link scanner that only
    // fetches the page cannot spend it; the page trades it for the cookie.
    const url = `${base}/dashboard/portal#token=${linkToken}`;
    res.status(201).json({
      data: { ...portalSessionJson(session), url },
      message: 'Portal link created. It works once, until it expires.',
    });
  });

  route(router, portalSessionOperations.revokePortalSession, async (req, res) => {
    const id = parseResourceId(req.params.id, 'Portal session');
    const revoked = await portalSessions.revoke(res.locals.principal.teamId, id);
    if (!revoked) throw new NotFoundError('Portal session');
    res.json({ data: portalSessionJson(revoked), message: 'Portal session revoked.' });
  });

  return router;
}
