import { z } from 'zod';

export const WEBHOOK_SCOPES = ['team', 'project', 'route'] as const;

/** Lettermint's scope fields, as a route-scoped webhook (the only kind Tidehook has) takes them. */
export const webhookScopeFields = {
  route_id: z
    .uuid()
    .nullish()
    .meta({ description: 'The route; or give it as `route_ids` (one element). Null is taken as not given.' }),
  route_ids: z
    .array(z.uuid())
    .optional()
    .meta({ description: "Lettermint's newer spelling of `route_id`: exactly one route (the webhook's scope)." }),
  scope: z.enum(WEBHOOK_SCOPES).optional().meta({
    description: 'Only `route`: team- and project-scoped webhooks are not supported.',
  }),
  project_ids: z.array(z.uuid()).optional().meta({ description: "If given, must contain the route's project." }),
};

/**
 * The rules between the scope fields. Run even when other fields failed (`when`), so that they are reported
 * together; the value may then be anything, hence the checks on each field's type.
 */
export function checkScopeFields(input: unknown, ctx: z.RefinementCtx, options: { routeRequired: boolean }): void {
  const value = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
  const routeId = value.route_id ?? undefined;
  const routeIds = value.route_ids;
  if (value.scope !== undefined && value.scope !== 'route' && WEBHOOK_SCOPES.includes(value.scope as never)) {
    ctx.addIssue({
      code: 'custom',
      path: ['scope'],
      message: 'Only route-scoped webhooks are supported: team and project scopes are not.',
    });
  }
  if (Array.isArray(routeIds) && routeIds.length !== 1) {
    ctx.addIssue({ code: 'custom', path: ['route_ids'], message: 'The route ids field must name exactly one route.' });
  } else if (Array.isArray(routeIds) && routeId !== undefined && routeIds[0] !== routeId) {
    ctx.addIssue({ code: 'custom', path: ['route_ids'], message: 'The route ids field must match route_id.' });
  }
  if (options.routeRequired && routeId === undefined && routeIds === undefined) {
    ctx.addIssue({ code: 'custom', path: ['route_id'], message: 'The route id field is required.' });
  }
}

/** The route the scope fields name, if they name one. */
export function routeNamedBy(input: { route_id?: string | null; route_ids?: string[] }): string | undefined {
  return input.route_id ?? input.route_ids?.[0];
}
