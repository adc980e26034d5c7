import type { DashboardSession } from '../api/api-types';
import { paths } from '../router/paths';

/** The first screen of a session: an operator's projects, a portal's route or project. */
export function homeOf(session: DashboardSession): string {
  if (session.kind === 'operator') return paths.projects();
  return session.route_id ? paths.route(session.route_id) : paths.project(session.project_id);
}
