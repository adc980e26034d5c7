import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Expectation, SchemaNode } from './arbitraries';
import { createRoute, createTenant, createWebhookRow } from '../system/fixtures';
import { createStores } from '../../../src/store/create-stores';
import type { TestSystem } from '../system/test-system';

/** An operation of the served OpenAPI document, its `$ref`s resolved. */
export interface DocumentedOperation {
  operationId: string;
  method: string;
  /** OpenAPI style: `/v1/webhooks/{id}`. */
  path: string;
  scope: string;
  pathParams: string[];
  queryParams: Array<{ name: string; schema: SchemaNode }>;
  body?: SchemaNode;
}

/** Every operation of the document, as the generators walk them. */
export function documentedOperations(document: any): DocumentedOperation[] {
  const resolve = (node: unknown): any => {
    if (Array.isArray(node)) return node.map(resolve);
    if (!node || typeof node !== 'object') return node;
    const ref = (node as { $ref?: unknown }).$ref;
    if (typeof ref === 'string')
      return resolve(
        ref
          .replace('#/', '')
          .split('/')
          .reduce((at: any, key) => at[key], document),
      );
    return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, resolve(value)]));
  };
  return Object.entries(document.paths as Record<string, Record<string, any>>).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => {
      const parameters: any[] = op.parameters ?? [];
      return {
        operationId: op.operationId,
        method: method.toUpperCase(),
        path,
        scope: op['x-token-scope'],
        pathParams: parameters.filter((p) => p.in === 'path').map((p) => p.name),
        queryParams: parameters
          .filter((p) => p.in === 'query')
          .map((p) => ({ name: p.name, schema: resolve(p.schema) })),
        body: op.requestBody ? resolve(op.requestBody.content['application/json'].schema) : undefined,
      };
    }),
  );
}

/** A request as it goes on the wire, with what it must get. */
export interface GeneratedRequest {
  method: string;
  /** Path and query, already encoded. */
  url: string;
  /** An `Authorization` header value; none when absent. */
  authorization?: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array | ReadableStream<Uint8Array>;
  expect: Expectation;
}

export interface Answer {
  status: number;
  contentType: string;
  text: string;
}

/** Requests sent in this mocha run, over every file. */
let sentInRun = 0;

/**
 * The team, resources and tokens generated requests are aimed at: one project with a route that has a webhook (for
 * the management calls) and a route without any (so that accepted events start no deliveries), and a second team.
 */
export class GeneratedInputTarget {
  sent = 0;
  serverErrors = 0;
  /** How many answers had each status: a property that only ever got 404s tested less than it seems. */
  readonly statuses = new Map<number, number>();
  operations: DocumentedOperation[] = [];
  manageToken = '';
  triggerToken = '';
  /** Real ids by collection (`webhooks`, `routes`, `projects`), and another team's. */
  readonly ids = { projects: '', routes: '', webhooks: '', eventRoute: '', outsiderProject: '', outsiderRoute: '' };
  /** A UUID that names nothing, fixed so a failure replays the same request. */
  readonly nothing = randomUUID();

  /** `system` answers the file's test system, which exists only once the file's `before` hooks ran. */
  constructor(private readonly systemOf: () => TestSystem) {}

  /** The test system the requests go to. */
  get system(): TestSystem {
    return this.systemOf();
  }

  async prepare(): Promise<void> {
    const { db } = this.system.database;
    const tenant = await createTenant(db);
    const outsider = await createTenant(db);
    this.manageToken = tenant.token;
    this.triggerToken = await createStores(db).teams.createToken(tenant.teamId, 'generated input', ['trigger']);
    // Port 9 on loopback: nothing answers there, and no generated request reaches the internet.
    const webhook = await createWebhookRow(db, {
      teamId: tenant.teamId,
      routeId: tenant.routeId,
      url: 'http://127.0.0.1:9/hook',
      events: ['message.sent'],
    });
    Object.assign(this.ids, {
      projects: tenant.projectId,
      routes: tenant.routeId,
      webhooks: webhook.id,
      eventRoute: await createRoute(db, tenant.teamId, tenant.projectId),
      outsiderProject: outsider.projectId,
      outsiderRoute: outsider.routeId,
    });
    const document = await this.system.api('GET', '/v1/openapi.json');
    assert.equal(document.status, 200);
    this.operations = documentedOperations(document.body);
    assert.ok(this.operations.length >= 20, 'the document lists the operations');
  }

  /** A valid body for every operation that takes one, so that a single change decides the answer. */
  baseBody(op: DocumentedOperation): unknown {
    const event = { route_id: this.ids.eventRoute, event: 'message.sent', data: { n: 1 } };
    const bodies: Record<string, unknown> = {
      triggerEvent: event,
      triggerEvents: { events: [event] },
      createProject: { name: 'Generated' },
      updateProject: { name: 'Generated' },
      createRoute: { name: 'Generated', route_type: 'transactional' },
      updateRoute: { name: 'Generated' },
      createWebhook: {
        route_id: this.ids.routes,
        name: 'Generated',
        // Never contacted (no event reaches it); an allowed port, so that the body is valid under the port policy.
        url: 'http://127.0.0.1:8080/generated',
        events: ['message.sent'],
      },
      updateWebhook: { name: 'Generated' },
      regenerateWebhookSecret: { grace_period_seconds: 0 },
      // A dry run: valid replays start nothing.
      startBulkReplay: { from: '2026-01-01T00:00:00Z', to: '2027-01-01T00:00:00Z', dry_run: true },
      createToken: { name: 'Generated', scopes: ['trigger'] },
      createPortalSession: { route_id: this.ids.routes, lifetime_seconds: 600 },
    };
    if (!op.body) return undefined;
    assert.ok(
      op.operationId in bodies,
      `no valid body for ${op.operationId}: add one to GeneratedInputTarget.baseBody`,
    );
    return bodies[op.operationId];
  }

  /** The path with each parameter replaced: given raw segments first, then this team's resource of that kind. */
  path(op: DocumentedOperation, segments: Record<string, string> | 'nothing' = {}): string {
    return op.path.replace(/\{(\w+)\}/g, (_m, param: string) => {
      if (segments === 'nothing') return this.nothing;
      if (segments[param] !== undefined) return segments[param];
      const collection = param === 'id' ? /^\/v1\/([\w-]+)\//.exec(op.path)![1]! : 'none';
      return (this.ids as Record<string, string>)[collection] ?? this.nothing;
    });
  }

  async send(request: GeneratedRequest): Promise<Answer> {
    const headers: Record<string, string> = { ...request.headers };
    if (request.authorization !== undefined) headers.authorization = request.authorization;
    const init: RequestInit & { duplex?: 'half' } = { method: request.method, headers, body: request.body };
    if (request.body instanceof ReadableStream) init.duplex = 'half';
    const response = await fetch(`${this.system.baseUrl}${request.url}`, init);
    this.sent++;
    sentInRun++;
    if (response.status >= 500) this.serverErrors++;
    this.statuses.set(response.status, (this.statuses.get(response.status) ?? 0) + 1);
    return {
      status: response.status,
      contentType: response.headers.get('content-type') ?? '',
      text: await response.text(),
    };
  }

  /** Sends the request and checks the answer: never a 5xx, always JSON, and the expected class of error. */
  async check(request: GeneratedRequest): Promise<Answer> {
    const answer = await this.send(request);
    assertAnswer(request, answer);
    return answer;
  }

  summary(): string {
    const byStatus = [...this.statuses].sort(([a], [b]) => a - b).map(([status, count]) => `${status}: ${count}`);
    const run = `${sentInRun} in this run so far; ${byStatus.join(', ')}`;
    return `generated requests: ${this.sent}, 5xx: ${this.serverErrors} (${run})`;
  }
}

export function assertAnswer(request: GeneratedRequest, answer: Answer): void {
  const shown = (text: string) => (text.length > 400 ? `${text.slice(0, 400)}... (${text.length} chars)` : text);
  const where = `${request.method} ${shown(request.url)} answered ${answer.status} ${shown(answer.text)}`;
  assert.ok(answer.status < 500, `server error: ${where}`);
  assert.ok(
    (answer.status >= 200 && answer.status < 300) || (answer.status >= 400 && answer.status < 500),
    `unexpected status: ${where}`,
  );
  assert.match(answer.contentType, /^application\/json\b/, `not JSON: ${where}`);
  let body: any;
  assert.doesNotThrow(() => (body = JSON.parse(answer.text)), `unparsable JSON: ${where}`);
  const { statuses, field } = request.expect;
  if (statuses) assert.ok(statuses.includes(answer.status), `expected ${statuses.join(' or ')}: ${where}`);
  if (answer.status < 400) return;
  assert.equal(typeof body?.message, 'string', `an error without a string message: ${where}`);
  if (answer.status === 422) {
    const errors: Record<string, unknown> = body.errors;
    assert.ok(errors && typeof errors === 'object' && Object.keys(errors).length > 0, `a 422 without errors: ${where}`);
    for (const messages of Object.values(errors))
      assert.ok(Array.isArray(messages) && messages.every((m) => typeof m === 'string'), where);
    if (field !== undefined) {
      const named = Object.keys(errors).some((key) => key === field || key.startsWith(`${field}.`));
      assert.ok(named, `the 422 does not name ${JSON.stringify(field)}: ${where}`);
    }
  } else if (answer.status === 400) {
    // `error` repeats the message: Lettermint's Node SDK reads it on a 400.
    assert.deepEqual(body, { message: body.message, error: body.message }, `a 400 is {message, error}: ${where}`);
  } else if (answer.status !== 409) {
    assert.deepEqual(Object.keys(body), ['message'], `a ${answer.status} is {message} only: ${where}`);
  }
}

/** What to log before a property runs, so that a failure can be replayed: `FC_SEED=<seed>` overrides it. */
export function propertySeed(name: string, fallback: number): number {
  const seed = process.env.FC_SEED ? Number(process.env.FC_SEED) : fallback;
  console.log(`      property "${name}": seed ${seed}`);
  return seed;
}
