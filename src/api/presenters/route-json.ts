import type { RouteWithCount } from '../../store/route-store';

export function routeJson(route: RouteWithCount) {
  return {
    id: route.id,
    project_id: route.projectId,
    slug: route.slug,
    name: route.name,
    route_type: route.routeType,
    is_default: route.isDefault,
    webhooks_count: route.webhooksCount,
    created_at: route.createdAt.toISOString(),
    updated_at: route.updatedAt.toISOString(),
  };
}
