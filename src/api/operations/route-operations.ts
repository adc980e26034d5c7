import { cursorPageSchema } from '../schemas/page-schemas';
import { dataWithMessage } from '../schemas/common-fields';
import { routeCreateSchema, routeListQuerySchema, routeSchema, routeUpdateSchema } from '../schemas/route-schemas';
import { deletedResponse, type ApiOperation } from './api-operation';

const routeWritten = dataWithMessage(routeSchema);

export const routeOperations = {
  listRoutes: {
    method: 'get',
    path: '/v1/projects/{id}/routes',
    operationId: 'listRoutes',
    tag: 'Routes',
    scope: 'manage',
    summary: "List a project's routes",
    query: routeListQuerySchema,
    response: {
      name: 'RoutePage',
      schema: cursorPageSchema(routeSchema),
      status: 200,
      description: 'A page of routes.',
    },
    errors: [404, 422],
  },
  createRoute: {
    method: 'post',
    path: '/v1/projects/{id}/routes',
    operationId: 'createRoute',
    tag: 'Routes',
    scope: 'manage',
    summary: 'Create a route',
    body: { name: 'RouteCreate', schema: routeCreateSchema, required: true },
    response: { name: 'RouteWritten', schema: routeWritten, status: 201, description: 'Created.' },
    errors: [404, 422],
  },
  showRoute: {
    method: 'get',
    path: '/v1/routes/{id}',
    operationId: 'showRoute',
    tag: 'Routes',
    scope: 'manage',
    summary: 'Show a route',
    response: { name: 'Route', schema: routeSchema, status: 200, description: 'The route.' },
    errors: [404],
  },
  updateRoute: {
    method: 'put',
    path: '/v1/routes/{id}',
    operationId: 'updateRoute',
    tag: 'Routes',
    scope: 'manage',
    summary: 'Update a route',
    body: { name: 'RouteUpdate', schema: routeUpdateSchema, required: true },
    response: { name: 'RouteWritten', schema: routeWritten, status: 200, description: 'Updated.' },
    errors: [404, 422],
  },
  deleteRoute: {
    method: 'delete',
    path: '/v1/routes/{id}',
    operationId: 'deleteRoute',
    tag: 'Routes',
    scope: 'manage',
    summary: 'Delete a route',
    description: 'Deletes its webhooks too, and stops their pending deliveries.',
    response: deletedResponse('Route'),
    errors: [404],
  },
} satisfies Record<string, ApiOperation>;
