/**
 * The `context` every envelope carries (SPEC §4): where the event belongs. Receivers written for Lettermint read it
 * and some reject an envelope without it. It lives in the stored body like the rest of the envelope, so no workflow
 * input or Temporal history grows.
 */
export interface EnvelopeContext {
  scope: 'route';
  team_id: string;
  project_id: string;
  route_id: string;
}

export function routeContext(route: { id: string; teamId: string; projectId: string }): EnvelopeContext {
  return { scope: 'route', team_id: route.teamId, project_id: route.projectId, route_id: route.id };
}
