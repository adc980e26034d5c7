import { z } from 'zod';
import { pageQuerySchema } from '../cursor-page';
import { nameField, timestampField } from './common-fields';

export const projectCreateSchema = z.object({ name: nameField }).strict();

export const projectUpdateSchema = z.object({ name: nameField.optional() }).strict();

export const projectListQuerySchema = pageQuerySchema;

export const projectSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    created_at: timestampField,
    updated_at: timestampField,
  })
  .strict();
