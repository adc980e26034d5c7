import { z } from 'zod';
import { validationErrorSchema } from '../schemas/error-schemas';
import { apiOperations, RESOURCE_SCHEMAS, type ApiOperation, type NamedSchema } from '../operations/api-operations';

type JsonObject = Record<string, unknown>;

const ERROR_RESPONSES = {
  401: { ref: 'Unauthorized', description: 'No token, or an unknown one.', schema: 'Message' },
  403: { ref: 'Forbidden', description: 'The token lacks the scope this endpoint needs.', schema: 'Message' },
  404: { ref: 'NotFound', description: 'No such resource in your team.', schema: 'Message' },
  409: { ref: 'Conflict', description: "The request clashes with the resource's state.", schema: 'Conflict' },
  422: { ref: 'ValidationFailed', description: 'Invalid input: every message by field.', schema: 'ValidationError' },
} as const;

/**
 * The OpenAPI 3.1 document of the API, generated from the zod schemas the routers validate with (request bodies
 * and query parameters in their input form, answers in their output form).
 */
export function buildOpenApiDocument(): JsonObject {
  const operations = apiOperations();
  const responseSchemas = componentSchemas('output', [
    ...RESOURCE_SCHEMAS,
    { name: 'ValidationError', schema: validationErrorSchema },
    ...operations.flatMap((op) => (op.alternativeResponse ? [op.response, op.alternativeResponse] : [op.response])),
  ]);
  const requestSchemas = componentSchemas(
    'input',
    operations.flatMap((op) => (op.body ? [op.body] : [])),
  );

  const paths: Record<string, JsonObject> = {};
  for (const op of operations) (paths[op.path] ??= {})[op.method] = operation(op);

  return {
    openapi: '3.1.0',
    info: {
      title: 'Tidehook API',
      version: '1',
      description:
        "Webhook delivery orchestrator on Temporal, compatible with Lettermint's webhooks API. Authenticate with " +
        '`Authorization: Bearer <token>`; `trigger` tokens may only post events. Lists are cursor pages: follow ' +
        '`next_page_url` / `prev_page_url`.',
    },
    servers: [{ url: '/' }],
    security: [{ bearerAuth: [] }],
    tags: ['Events', 'Projects', 'Routes', 'Webhooks', 'Deliveries', 'Replays', 'Tokens', 'Portal sessions'].map(
      (name) => ({ name }),
    ),
    paths,
    components: {
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', description: 'An API token (`th_...`).' } },
      schemas: { ...responseSchemas, ...requestSchemas },
      responses: Object.fromEntries(
        Object.values(ERROR_RESPONSES).map((r) => [
          r.ref,
          { description: r.description, content: { 'application/json': { schema: ref(r.schema) } } },
        ]),
      ),
    },
  };
}

function operation(op: ApiOperation): JsonObject {
  const errors = [401, ...(op.scope === 'manage' ? [403] : []), ...op.errors] as Array<keyof typeof ERROR_RESPONSES>;
  return {
    operationId: op.operationId,
    tags: [op.tag],
    summary: op.summary,
    ...(op.description && { description: op.description }),
    'x-token-scope': op.scope,
    parameters: [...pathParameters(op.path), ...(op.query ? queryParameters(op.query) : [])],
    ...(op.body && {
      requestBody: { required: op.body.required, content: { 'application/json': { schema: ref(op.body.name) } } },
    }),
    responses: {
      ...Object.fromEntries(
        [op.response, ...(op.alternativeResponse ? [op.alternativeResponse] : [])].map((r) => [
          r.status,
          { description: r.description, content: { 'application/json': { schema: ref(r.name) } } },
        ]),
      ),
      ...Object.fromEntries(
        errors.map((status) => [status, { $ref: `#/components/responses/${ERROR_RESPONSES[status].ref}` }]),
      ),
    },
  };
}

/** Registered together, so that one schema nested in another becomes a `$ref` instead of a copy. */
function componentSchemas(io: 'input' | 'output', named: NamedSchema[]): Record<string, JsonObject> {
  const registry = z.registry<{ id: string }>();
  const seen = new Map<string, z.ZodType>();
  for (const { name, schema } of named) {
    const earlier = seen.get(name);
    if (earlier && earlier !== schema) throw new Error(`two different schemas are both named ${name}`);
    if (earlier) continue;
    seen.set(name, schema);
    registry.add(schema, { id: name });
  }
  const { schemas } = z.toJSONSchema(registry, {
    io,
    uri: (id) => `#/components/schemas/${id}`,
    unrepresentable: 'any',
  });
  return Object.fromEntries(
    Object.entries(schemas).map(([name, { $schema: _s, $id: _i, ...schema }]) => [name, schema as JsonObject]),
  );
}

function pathParameters(path: string): JsonObject[] {
  return [...path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({
    name,
    in: 'path',
    required: true,
    schema: { type: 'string', format: 'uuid' },
  }));
}

/** `page[size]`, `filter[status]`, `sort`: nested query objects become bracketed names, as the API reads them. */
function queryParameters(schema: z.ZodType): JsonObject[] {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as {
    properties?: Record<string, JsonObject>;
  };
  const parameters: JsonObject[] = [];
  for (const [name, property] of Object.entries(json.properties ?? {})) {
    const nested =
      property.type === 'object' ? (property.properties as Record<string, JsonObject> | undefined) : undefined;
    const leaves = nested
      ? Object.entries(nested).map(([key, value]) => [`${name}[${key}]`, value] as const)
      : [[name, property] as const];
    for (const [leafName, { description, ...leafSchema }] of leaves) {
      parameters.push({
        name: leafName,
        in: 'query',
        required: false,
        ...(description !== undefined && { description }),
        schema: leafSchema,
      });
    }
  }
  return parameters;
}

function ref(name: string): JsonObject {
  return { $ref: `#/components/schemas/${name}` };
}
