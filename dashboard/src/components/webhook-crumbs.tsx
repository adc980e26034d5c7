import type { Project, Route } from '../api/api-types';
import { useResource } from '../hooks/use-resource';
import { paths } from '../router/paths';
import { useSession } from '../session/session-context';
import { Breadcrumbs, type Crumb } from './breadcrumbs';

/** Projects › project › route › webhook (› what follows), read from the API as the ids lead. */
export function WebhookCrumbs(props: { routeId: string; webhook: { id: string; name: string }; more?: Crumb[] }) {
  const { api, session } = useSession();
  const route = useResource(() => api.get<Route>(`/v1/routes/${props.routeId}`), [props.routeId]);
  const projectId = route.data?.project_id;
  const project = useResource(
    () => (projectId ? api.get<Project>(`/v1/projects/${projectId}`) : Promise.resolve(undefined)),
    [projectId],
  );
  const crumbs: Crumb[] = [
    // A portal session has no list of projects to go back to.
    ...(session.kind === 'portal' ? [] : [{ label: 'Projects', href: paths.projects() }]),
    { label: project.data?.name ?? 'Project', href: projectId ? paths.project(projectId) : undefined },
    { label: route.data?.name ?? 'Route', href: paths.route(props.routeId) },
    { label: props.webhook.name, href: paths.webhook(props.webhook.id) },
    ...(props.more ?? []),
  ];
  return <Breadcrumbs crumbs={crumbs} />;
}
