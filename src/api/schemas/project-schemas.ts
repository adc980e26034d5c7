import { z } from 'zod';
import type { SortableColumns } from '../page-request';
import { pageQuerySchema } from './page-schemas';
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

/** What the list's `sort` may name, and the column each key stands for. */
export const PROJECT_SORT_COLUMNS: SortableColumns = { created_at: { column: 'p.created_at', kind: 'timestamp' } };
