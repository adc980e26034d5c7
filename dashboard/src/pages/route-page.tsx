import { useState } from 'preact/hooks';
import type { CursorPage, Project, Route, Webhook } from '../api/api-types';
import { queryString } from '../api/query-string';
import { Breadcrumbs } from '../components/breadcrumbs';
import { CreateWebhookDialog } from '../components/create-webhook-dialog';
import { LoadingState } from '../components/loading-state';
import { PageTitle } from '../components/page-title';
import { Pager } from '../components/pager';
import { ExactTime } from '../components/time-ago';
import { WebhooksTable } from '../components/webhooks-table';
import { useResource } from '../hooks/use-resource';
import { Link } from '../router/link';
import { paths } from '../router/paths';
import { useSession } from '../session/session-context';

/** A route, with Lettermint's Webhooks tab (the list and Create webhook) and a Settings tab. */
export function RoutePage({ routeId, tab }: { routeId: string; tab: 'webhooks' | 'settings' }) {
  const { api } = useSession();
  const route = useResource(() => api.get<Route>(`/v1/routes/${routeId}`), [routeId]);
  const projectId = route.data?.project_id;
  const project = useResource(
    () => (projectId ? api.get<Project>(`/v1/projects/${projectId}`) : Promise.resolve(undefined)),
    [projectId],
  );
  if (!route.data) return <LoadingState error={route.error} what="route" />;
  return (
    <>
      <Breadcrumbs
        crumbs={[
          { label: 'Projects', href: paths.projects() },
          { label: project.data?.name ?? 'Project', href: paths.project(route.data.project_id) },
          { label: route.data.name },
        ]}
      />
      <PageTitle title={route.data.name} />
      <nav class="tabs" aria-label="Route">
        <Link href={paths.route(routeId)} aria-current={tab === 'webhooks' ? 'page' : undefined}>
          Webhooks
        </Link>
        <Link href={paths.routeSettings(routeId)} aria-current={tab === 'settings' ? 'page' : undefined}>
          Settings
        </Link>
      </nav>
      {tab === 'webhooks' ? <RouteWebhooks routeId={routeId} /> : <RouteSettings route={route.data} />}
    </>
  );
}

function RouteWebhooks({ routeId }: { routeId: string }) {
  const { api } = useSession();
  const [creating, setCreating] = useState(false);
  const [cursor, setCursor] = useState('');
  const webhooks = useResource(
    () =>
      api.get<CursorPage<Webhook>>(
        `/v1/webhooks${queryString({ 'filter[route_id]': routeId, 'page[size]': 50, 'page[cursor]': cursor })}`,
      ),
    [routeId, cursor],
  );
  return (
    <section class="panel" aria-labelledby="webhooks-heading">
      <div class="panel-header">
        <h2 id="webhooks-heading">Webhooks</h2>
        <button type="button" class="button button-primary" onClick={() => setCreating(true)}>
          Create webhook
        </button>
      </div>
      {!webhooks.data ? (
        <LoadingState error={webhooks.error} what="webhooks" />
      ) : webhooks.data.data.length === 0 ? (
        <p class="empty">No webhooks on this route yet. Create one to receive its events.</p>
      ) : (
        <div class="table-scroll">
          <WebhooksTable webhooks={webhooks.data.data} />
        </div>
      )}
      {webhooks.data && (
        <Pager
          label="Webhooks pages"
          prevCursor={webhooks.data.prev_cursor}
          nextCursor={webhooks.data.next_cursor}
          onPage={setCursor}
        />
      )}
      {creating && (
        <CreateWebhookDialog routeId={routeId} onClose={() => setCreating(false)} onCreated={webhooks.reload} />
      )}
    </section>
  );
}

function RouteSettings({ route }: { route: Route }) {
  return (
    <section class="panel" aria-labelledby="settings-heading">
      <h2 id="settings-heading">Settings</h2>
      <dl class="facts">
        <dt>Type</dt>
        <dd>{route.route_type}</dd>
        <dt>Slug</dt>
        <dd>
          <code>{route.slug}</code>
        </dd>
        <dt>Route id</dt>
        <dd>
          <code>{route.id}</code>
        </dd>
        <dt>Default route</dt>
        <dd>{route.is_default ? 'Yes' : 'No'}</dd>
        <dt>Created</dt>
        <dd>
          <ExactTime iso={route.created_at} />
        </dd>
      </dl>
    </section>
  );
}
