import type { RequestHandler, Router } from 'express';
import type { z } from 'zod';
import { requireScope } from '../authenticate';
import type { TokenScope } from '../../tenancy/api-token';
import { deletedSchema } from '../schemas/error-schemas';

/** A schema under the name it gets in `components.schemas`. */
export interface NamedSchema {
  name: string;
  schema: z.ZodType;
}

export type OperationResponse = NamedSchema & { status: number; description: string };

/**
 * One endpoint, declared once: the router mounts its handler by it (`route`) and the OpenAPI document describes it
 * from it; the schemas are the ones the handlers validate with.
 */
export interface ApiOperation {
  method: 'get' | 'post' | 'put' | 'delete';
  /** OpenAPI style: `/v1/webhooks/{id}`. Every path parameter is a UUID. */
  path: string;
  operationId: string;
  tag: string;
  summary: string;
  description?: string;
  scope: TokenScope;
  query?: z.ZodType;
  body?: NamedSchema & { required: boolean };
  response: OperationResponse;
  /** Another success answer of the same operation (a dry run, say). */
  alternativeResponse?: OperationResponse;
  /** Error statuses besides 401 (and 403, added for every operation a trigger token cannot use). */
  errors: Array<404 | 409 | 422>;
}

/** What every delete answers: `{message}`. */
export function deletedResponse(what: string): OperationResponse {
  return { name: 'Deleted', schema: deletedSchema, status: 200, description: `${what} deleted.` };
}

/**
 * Mounts the handler of one declared operation: its method, path (under the /v1 router) and scope come from the
 * declaration, which the OpenAPI document is built from too, so the two cannot drift apart.
 */
export function route(router: Router, operation: ApiOperation, ...handlers: RequestHandler[]): void {
  const expressPath = operation.path.replace(/^\/v1(?=\/)/, '').replace(/\{(\w+)\}/g, ':$1');
  router[operation.method](expressPath, requireScope(operation.scope), ...handlers);
}
