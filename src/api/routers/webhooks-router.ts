import { Router } from 'express';
import type { DeliveryCanceller } from '../../deliveries/delivery-canceller';
import { NotFoundError } from '../../errors/not-found-error';
import { ValidationError } from '../../errors/validation-error';
import type { WebhookTestSender } from '../../events/webhook-test-sender';
import { generateWebhookSecret } from '../../signature/sign-payload';
import type { Stores } from '../../store/create-stores';
import type { Webhook } from '../../store/webhook';
import type { HostResolver } from '../../targets/resolve-host';
import { checkWebhookUrl, type TargetPolicy } from '../../targets/target-policy';
import { webhookOperations } from '../operations/webhook-operations';
import { route } from '../operations/api-operation';
import { toPageRequest } from '../page-request';
import { parseInput } from '../parse-input';
import { parseResourceId } from '../parse-resource-id';
import { pageJson } from '../presenters/page-json';
import { webhookJson, webhookListItemJson } from '../presenters/webhook-json';
import {
  regenerateSecretSchema,
  WEBHOOK_SORT_COLUMNS,
  webhookCreateSchema,
  webhookListQuerySchema,
  webhookUpdateSchema,
} from '../schemas/webhook-schemas';
import { routeNamedBy } from '../schemas/webhook-scope-fields';

export interface WebhooksRouterDependencies {
  stores: Pick<Stores, 'webhooks' | 'webhookSecrets' | 'routes' | 'transaction'>;
  canceller: DeliveryCanceller;
  testSender: WebhookTestSender;
  /** Read at request time: the target policy is the operator's, and tests switch it. */
  targets: TargetPolicy;
  /** @default resolveHost, the process's shared resolver */
  resolveHost?: HostResolver;
  publicBaseUrl: string | undefined;
}

/** `/v1/webhooks`, as Lettermint's API has it: CRUD, a test delivery and secret rotation. */
export function webhooksRouter(deps: WebhooksRouterDependencies): Router {
  const router = Router();
  const { webhooks, webhookSecrets, routes } = deps.stores;

  /** Each route's project, for `project_ids` (a webhook's route is live while the webhook is). */
  async function projectsOf(teamId: string, routeIds: readonly string[]): Promise<Map<string, string>> {
    const found = await routes.findManyByIds(teamId, [...new Set(routeIds)]);
    return new Map(found.map((r) => [r.id, r.projectId]));
  }

  /** `project_ids`, when given, must contain the project of the webhook's route (an unknown route is judged later). */
  async function assertProjectIdsHoldRoute(teamId: string, routeId: string, projectIds: string[] | undefined) {
    if (projectIds === undefined) return;
    const route = await routes.findById(teamId, routeId);
    if (route && !projectIds.includes(route.projectId)) {
      throw ValidationError.field('project_ids', "The project ids field must contain the route's project.");
    }
  }

  async function present(webhook: Webhook, secret?: string) {
    const projects = await projectsOf(webhook.teamId, [webhook.routeId]);
    return webhookJson(webhook, projects.get(webhook.routeId) ?? '', secret);
  }

  route(router, webhookOperations.listWebhooks, async (req, res) => {
    const { filter, ...params } = parseInput(webhookListQuerySchema, req.query);
    const filters = {
      routeId: filter.route_id,
      projectId: filter.project,
      scope: filter.scope,
      enabled: filter.enabled,
      event: filter.event,
      search: filter.search,
    };
    const page = await webhooks.listPage(
      res.locals.principal.teamId,
      filters,
      toPageRequest(params, WEBHOOK_SORT_COLUMNS),
    );
    const projects = await projectsOf(
      res.locals.principal.teamId,
      page.items.map((w) => w.routeId),
    );
    const item = (webhook: Webhook) => webhookListItemJson(webhook, projects.get(webhook.routeId) ?? '');
    res.json(pageJson(req, deps.publicBaseUrl, params.sort, page, item, 'cursor'));
  });

  route(router, webhookOperations.createWebhook, async (req, res) => {
    const input = parseInput(webhookCreateSchema(deps.targets), req.body ?? {});
    await assertResolvesToPublicHost(input.url, deps, res.locals.principal.teamId);
    await assertProjectIdsHoldRoute(res.locals.principal.teamId, input.route_id, input.project_ids);
    const secret = generateWebhookSecret();
    const webhook = await webhookSecrets.createOnLiveRoute({
      teamId: res.locals.principal.teamId,
      routeId: input.route_id,
      name: input.name,
      url: input.url,
      events: input.events,
      enabled: input.enabled,
      includeMachineEvents: input.include_machine_events,
      signatureScheme: input.signature_scheme,
      basicAuth: input.basic_auth ?? null,
      deliveryModeFilter: input.delivery_mode_filter ?? null,
      secret,
    });
    // Another team's route is as unknown as one that never existed.
    if (!webhook) throw ValidationError.field('route_id', 'The selected route id is invalid.');
    res.status(201).json({
      data: await present(webhook, secret),
      message: 'Webhook created successfully. Please save the secret as it will not be shown again.',
    });
  });

  route(router, webhookOperations.showWebhook, async (req, res) => {
    const webhook = await webhooks.findById(res.locals.principal.teamId, parseResourceId(req.params.id, 'Webhook'));
    if (!webhook) throw new NotFoundError('Webhook');
    res.json(await present(webhook));
  });

  route(router, webhookOperations.updateWebhook, async (req, res) => {
    const teamId = res.locals.principal.teamId;
    const id = parseResourceId(req.params.id, 'Webhook');
    const input = parseInput(webhookUpdateSchema(deps.targets), req.body ?? {});
    if (input.url !== undefined) await assertResolvesToPublicHost(input.url, deps, teamId);
    if (routeNamedBy(input) !== undefined || input.project_ids !== undefined) {
      const current = await webhooks.findById(teamId, id);
      if (!current) throw new NotFoundError('Webhook');
      const named = routeNamedBy(input);
      if (named !== undefined && named !== current.routeId) {
        throw ValidationError.field(
          input.route_ids !== undefined ? 'route_ids' : 'route_id',
          'A webhook cannot move to another route: name the route it has.',
        );
      }
      await assertProjectIdsHoldRoute(teamId, current.routeId, input.project_ids);
    }
    if (input.signature_scheme === 'standard_webhooks') {
      const fits = await webhookSecrets.currentSecretFitsStandardWebhooks(teamId, id);
      if (fits === undefined) throw new NotFoundError('Webhook');
      if (!fits) {
        throw ValidationError.field(
          'signature_scheme',
          'The webhook secret predates the whsec_ + base64 format. Regenerate the secret before switching to standard_webhooks.',
        );
      }
    }
    const changes = {
      name: input.name,
      url: input.url,
      events: input.events,
      enabled: input.enabled,
      includeMachineEvents: input.include_machine_events,
      signatureScheme: input.signature_scheme,
      deliveryModeFilter: input.delivery_mode_filter,
    };
    const { basic_auth: basicAuth } = input;
    // Basic Auth is written through the secret store (it encrypts); both writes commit together or not at all.
    const webhook =
      basicAuth === undefined
        ? await webhooks.update(teamId, id, changes)
        : await deps.stores.transaction(
            async (tx) =>
              (await tx.webhookSecrets.setBasicAuth(teamId, id, basicAuth)) && tx.webhooks.update(teamId, id, changes),
          );
    if (!webhook) throw new NotFoundError('Webhook');
    if (input.enabled === false) {
      const cancelled = await deps.canceller.cancelPendingForWebhooks([webhook.id], 'webhook disabled');
      res.json({
        data: await present(webhook),
        message: 'Webhook updated successfully.',
        cancelled_deliveries: cancelled,
      });
      return;
    }
    res.json({ data: await present(webhook), message: 'Webhook updated successfully.' });
  });

  route(router, webhookOperations.deleteWebhook, async (req, res) => {
    const id = parseResourceId(req.params.id, 'Webhook');
    if (!(await webhooks.softDelete(res.locals.principal.teamId, id))) throw new NotFoundError('Webhook');
    const cancelled = await deps.canceller.cancelPendingForWebhooks([id], 'webhook deleted');
    res.json({ message: 'Webhook deleted successfully.', cancelled_deliveries: cancelled });
  });

  route(router, webhookOperations.testWebhook, async (req, res) => {
    const result = await deps.testSender.send(res.locals.principal.teamId, parseResourceId(req.params.id, 'Webhook'));
    if (result.kind === 'not_found') throw new NotFoundError('Webhook');
    if (result.kind === 'disabled') {
      throw ValidationError.field('enabled', 'The webhook is disabled. Enable it before sending a test webhook.');
    }
    res.json({
      message: 'Test webhook dispatched successfully. Check the deliveries endpoint for results.',
      delivery_id: result.attemptId,
    });
  });

  route(router, webhookOperations.regenerateWebhookSecret, async (req, res) => {
    const id = parseResourceId(req.params.id, 'Webhook');
    const input = parseInput(regenerateSecretSchema, req.body ?? {});
    const secret = generateWebhookSecret();
    const webhook = await webhookSecrets.rotateSecret(
      res.locals.principal.teamId,
      id,
      secret,
      input.grace_period_seconds,
    );
    if (!webhook) throw new NotFoundError('Webhook');
    res.json({
      data: await present(webhook, secret),
      message: 'Webhook secret regenerated successfully. Please update your integration.',
    });
  });

  return router;
}

/** The schema judged the URL's text; this judges where its host name points today (DNS, bounded to 3 s). */
async function assertResolvesToPublicHost(
  url: string,
  deps: Pick<WebhooksRouterDependencies, 'targets' | 'resolveHost'>,
  teamId: string,
): Promise<void> {
  const problem = await checkWebhookUrl(url, deps.targets, deps.resolveHost, { teamId });
  if (problem) throw ValidationError.field('url', problem);
}
