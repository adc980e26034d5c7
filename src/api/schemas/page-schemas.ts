import { z } from 'zod';
import { decodeCursor } from '../cursor';

export const DEFAULT_PAGE_SIZE = 30;
export const MAX_PAGE_SIZE = 100;

/**
 * `page[size]`, `page[cursor]` and `sort`, shared by every list. Resources extend it with their `filter` object.
 * `page` and `filter` are strict (a misspelt filter must not silently list everything); other top-level query
 * parameters are ignored, as a cache-busting `?_=…` should not break a client.
 */
export const pageQuerySchema = z.object({
  page: z
    .object({
      size: z.coerce
        .number()
        .int()
        .min(1)
        .max(MAX_PAGE_SIZE)
        .default(DEFAULT_PAGE_SIZE)
        .meta({ description: `Items per page, 1..${MAX_PAGE_SIZE}.` }),
      cursor: z
        .string()
        .transform((text, ctx) => {
          const cursor = decodeCursor(text);
          if (!cursor) ctx.addIssue({ code: 'custom', message: 'The page.cursor is invalid.' });
          return cursor ?? z.NEVER;
        })
        .optional()
        .meta({ description: 'An opaque cursor from `next_cursor` or `prev_cursor` of a previous page.' }),
    })
    .strict()
    .default({ size: DEFAULT_PAGE_SIZE }),
  sort: z
    .enum(['-created_at', 'created_at'])
    .default('-created_at')
    .meta({ description: 'Newest first (`-created_at`, the default) or oldest first (`created_at`).' }),
});

export type PageParams = Pick<z.output<typeof pageQuerySchema>, 'page' | 'sort'>;

/** The response schema of a page of `item`s, for the OpenAPI document. */
export function cursorPageSchema<Item extends z.ZodType>(item: Item) {
  return z
    .object({
      data: z.array(item),
      path: z.string().meta({ description: 'This list without query parameters.' }),
      per_page: z.number().int(),
      next_cursor: z.string().nullable(),
      next_page_url: z.string().nullable(),
      prev_cursor: z.string().nullable(),
      prev_page_url: z.string().nullable(),
    })
    .strict();
}
