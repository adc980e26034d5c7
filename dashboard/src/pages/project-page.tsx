import type { CursorPage, Project, Route } from '../api/api-types';
import { queryString } from '../api/query-string';
import { Breadcrumbs } from '../components/breadcrumbs';
import { CreateRouteForm } from '../components/create-route-form';
import { LoadingState } from '../components/loading-state';
import { PageTitle } from '../components/page-title';
import { RoutesList } from '../components/routes-list';
import { useResource } from '../hooks/use-resource';
import { navigate } from '../router/navigation';
import { paths } from '../router/paths';
import { useSession } from '../session/session-context';

/** One project: its routes, and a form for another. */
export function ProjectPage({ projectId }: { projectId: string }) {
  const { api } = useSession();
  const project = useResource(() => api.get<Project>(`/v1/projects/${projectId}`), [projectId]);
  const routes = useResource(
    () => api.get<CursorPage<Route>>(`/v1/projects/${projectId}/routes${queryString({ 'page[size]': 100 })}`),
    [projectId],
  );
  if (!project.data) return <LoadingState error={project.error} what="project" />;
  return (
    <>
      <Breadcrumbs crumbs={[{ label: 'Projects', href: paths.projects() }, { label: project.data.name }]} />
      <PageTitle title={project.data.name} />
      <section class="panel" aria-labelledby="routes-heading">
        <h2 id="routes-heading">Routes</h2>
        {routes.data ? <RoutesList routes={routes.data.data} /> : <LoadingState error={routes.error} what="routes" />}
        <CreateRouteForm projectId={projectId} onCreated={(route) => navigate(paths.route(route.id))} />
      </section>
    </>
  );
}
