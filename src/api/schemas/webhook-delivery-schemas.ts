import { z } from 'zod';
import type { SortableColumns } from '../page-request';
import { EVENT_TYPES } from '../../events/event-types';
import { ATTEMPT_RECORD_STATUSES } from '../../store/attempt-record';
import { pageQuerySchema, sortField, withBareCursor } from './page-schemas';
import { timestampField } from './common-fields';

/** A day (`2026-01-31`, UTC) or an instant (`2026-01-31T12:00:00Z`). */
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
function dateBound(label: string) {
  return z
    .union([z.iso.date(), z.iso.datetime({ offset: true })], {
      error: `The ${label} field must be a date (YYYY-MM-DD) or an ISO-8601 date-time.`,
    })
    .transform((text) => ({
      at: new Date(DATE_ONLY.test(text) ? `${text}T00:00:00Z` : text),
      wholeDay: DATE_ONLY.test(text),
    }));
}

const DAY_MS = 24 * 3600 * 1000;

/**
 * `from_date` includes its instant (or the whole day); `to_date` includes its instant, or the whole day when it
 * is a date. Answers the filters in the attempt store's terms.
 */
export const attemptListQuerySchema = withBareCursor(
  pageQuerySchema.extend({
    sort: sortField(['created_at', 'attempt_number']),
    filter: z
      .object({
        status: z.enum(ATTEMPT_RECORD_STATUSES).optional(),
        event_type: z.enum(EVENT_TYPES).optional(),
        from_date: dateBound('from date').optional(),
        to_date: dateBound('to date').optional(),
      })
      .strict()
      .default({})
      .superRefine((filter, ctx) => {
        if (filter.from_date && filter.to_date && filter.from_date.at > filter.to_date.at) {
          ctx.addIssue({
            code: 'custom',
            path: ['to_date'],
            message: 'The to date must be a date after or equal to from date.',
          });
        }
      })
      .transform((filter) => ({
        status: filter.status,
        eventType: filter.event_type,
        createdFrom: filter.from_date?.at,
        createdUntil: filter.to_date && !filter.to_date.wholeDay ? filter.to_date.at : undefined,
        createdBefore: filter.to_date?.wholeDay ? new Date(filter.to_date.at.getTime() + DAY_MS) : undefined,
      })),
  }),
);

export const attemptSummarySchema = z
  .object({
    id: z.uuid(),
    webhook_id: z.uuid(),
    delivery_id: z
      .uuid()
      .meta({ description: 'Ours: the delivery (one event to one webhook) this attempt belongs to.' }),
    event_id: z.string().meta({ description: 'Ours: the envelope id receivers de-duplicate on.' }),
    event_type: z.enum(EVENT_TYPES),
    status: z.enum(ATTEMPT_RECORD_STATUSES),
    attempt_number: z.number().int().min(1),
    http_status_code: z.number().int().nullable(),
    duration_ms: z.number().int().nullable(),
    delivered_at: timestampField.nullable(),
    created_at: timestampField,
    next_retry_at: timestampField.nullable().meta({
      description:
        'When the next automatic retry is due; null unless this is the latest attempt of a pending delivery and has an outcome.',
    }),
  })
  .strict();

const headers = z.record(z.string(), z.string());

export const attemptDetailSchema = attemptSummarySchema
  .extend({
    payload: z.record(z.string(), z.unknown()).meta({ description: 'The envelope exactly as the receiver got it.' }),
    request_headers: headers.nullable(),
    response_body: z.string().nullable().meta({ description: 'The first 64 KiB.' }),
    response_headers: headers.nullable(),
    error_message: z.string().nullable(),
    timestamp: timestampField.nullable(),
    started_at: timestampField.nullable(),
    finished_at: timestampField.nullable(),
  })
  .strict();

/** A manual retry's answer (202): what it started, readable at once. */
export const manualRetryResponseSchema = z
  .object({
    message: z.string(),
    delivery_id: z.uuid().meta({
      description:
        'The attempt record the retry fills: GET /v1/webhooks/{id}/deliveries/{delivery_id} (pending until it finishes).',
    }),
  })
  .strict();

/** What the list's `sort` may name, and the column each key stands for. */
export const ATTEMPT_SORT_COLUMNS: SortableColumns = {
  created_at: { column: 'a.created_at', kind: 'timestamp' },
  attempt_number: { column: 'a.attempt_number', kind: 'integer' },
};
