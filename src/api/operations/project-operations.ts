import { cursorPageSchema } from '../schemas/page-schemas';
import { dataWithMessage } from '../schemas/common-fields';
import {
  projectCreateSchema,
  projectListQuerySchema,
  projectSchema,
  projectUpdateSchema,
} from '../schemas/project-schemas';
import { deletedResponse, type ApiOperation } from './api-operation';

const projectWritten = dataWithMessage(projectSchema);

export const projectOperations = {
  listProjects: {
    method: 'get',
    path: '/v1/projects',
    operationId: 'listProjects',
    tag: 'Projects',
    scope: 'manage',
    summary: 'List projects',
    query: projectListQuerySchema,
    response: {
      name: 'ProjectPage',
      schema: cursorPageSchema(projectSchema),
      status: 200,
      description: 'A page of projects.',
    },
    errors: [422],
  },
  createProject: {
    method: 'post',
    path: '/v1/projects',
    operationId: 'createProject',
    tag: 'Projects',
    scope: 'manage',
    summary: 'Create a project',
    body: { name: 'ProjectCreate', schema: projectCreateSchema, required: true },
    response: { name: 'ProjectWritten', schema: projectWritten, status: 201, description: 'Created.' },
    errors: [422],
  },
  showProject: {
    method: 'get',
    path: '/v1/projects/{id}',
    operationId: 'showProject',
    tag: 'Projects',
    scope: 'manage',
    summary: 'Show a project',
    response: { name: 'Project', schema: projectSchema, status: 200, description: 'The project.' },
    errors: [404],
  },
  updateProject: {
    method: 'put',
    path: '/v1/projects/{id}',
    operationId: 'updateProject',
    tag: 'Projects',
    scope: 'manage',
    summary: 'Update a project',
    body: { name: 'ProjectUpdate', schema: projectUpdateSchema, required: true },
    response: { name: 'ProjectWritten', schema: projectWritten, status: 200, description: 'Updated.' },
    errors: [404, 422],
  },
  deleteProject: {
    method: 'delete',
    path: '/v1/projects/{id}',
    operationId: 'deleteProject',
    tag: 'Projects',
    scope: 'manage',
    summary: 'Delete a project',
    description: 'Deletes its routes and their webhooks too, and stops their pending deliveries.',
    response: deletedResponse('Project'),
    errors: [404],
  },
} satisfies Record<string, ApiOperation>;
