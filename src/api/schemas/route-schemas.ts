import { z } from 'zod';
import type { SortableColumns } from '../page-request';
import { ROUTE_TYPES } from '../../store/route-store';
import { pageQuerySchema } from './page-schemas';
import { nameField, timestampField } from './common-fields';

const routeTypeField = z.enum(ROUTE_TYPES);

/** Lowercase letters and digits in dash-separated words, as `deriveSlug` makes them. */
const slugField = z
  .string()
  .trim()
  .min(1)
  .max(255)
  .regex(
    /^[a-z0-9]+(?:-[a-z0-9]+)*$/,
    'The slug field must contain only lowercase letters, digits and single dashes between them.',
  );

export const routeCreateSchema = z
  .object({
    name: nameField,
    route_type: routeTypeField,
    slug: slugField.optional().meta({ description: 'Unique within the project; derived from the name when absent.' }),
  })
  .strict();

/** The type of a route is fixed at creation: its events and webhooks are made for it. */
export const routeUpdateSchema = z.object({ name: nameField.optional(), slug: slugField.optional() }).strict();

export const routeListQuerySchema = pageQuerySchema;

export const routeSchema = z
  .object({
    id: z.uuid(),
    project_id: z.uuid(),
    slug: z.string(),
    name: z.string(),
    route_type: routeTypeField,
    is_default: z.boolean().meta({ description: "True for the project's first route." }),
    webhooks_count: z.number().int(),
    created_at: timestampField,
    updated_at: timestampField,
  })
  .strict();

/** What the list's `sort` may name, and the column each key stands for. */
export const ROUTE_SORT_COLUMNS: SortableColumns = { created_at: { column: 'r.created_at', kind: 'timestamp' } };
