import type { Route } from '../api/api-types';
import { Link } from '../router/link';
import { paths } from '../router/paths';

/** A project's routes, each leading to its Webhooks tab. */
export function RoutesList({ routes }: { routes: Route[] }) {
  if (routes.length === 0) return <p class="empty">No routes yet.</p>;
  return (
    <ul class="routes-list">
      {routes.map((route) => (
        <li key={route.id}>
          <Link href={paths.route(route.id)}>{route.name}</Link>{' '}
          <span class="muted">
            {route.route_type} · {route.webhooks_count} webhook{route.webhooks_count === 1 ? '' : 's'}
            {route.is_default && ' · default'}
          </span>
        </li>
      ))}
    </ul>
  );
}
