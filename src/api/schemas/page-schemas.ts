import { z } from 'zod';
import { decodeCursor, type Cursor } from '../cursor';

export const DEFAULT_PAGE_SIZE = 30;
export const MAX_PAGE_SIZE = 100;

/** An opaque cursor from a previous page, decoded; its sort is checked against the request's later. */
function cursorField(name: string) {
  return z
    .string()
    .transform((text, ctx) => {
      const cursor = decodeCursor(text);
      if (!cursor) ctx.addIssue({ code: 'custom', message: `The ${name} is invalid.` });
      return cursor ?? z.NEVER;
    })
    .meta({ description: 'An opaque cursor from `next_cursor` or `prev_cursor` of a previous page.' });
}

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
      cursor: cursorField('page.cursor').optional(),
    })
    .strict()
    .default({ size: DEFAULT_PAGE_SIZE }),
  sort: z
    .enum(['-created_at', 'created_at'])
    .default('-created_at')
    .meta({ description: 'Newest first (`-created_at`, the default) or oldest first (`created_at`).' }),
});

/**
 * A `sort` of the given keys, each with an optional `-` (descending), several joined by commas, each key at most
 * once: `-name,created_at`. Ties are always broken by id, so every order is total and a cursor stays stable.
 */
export function sortField(keys: readonly [string, ...string[]], defaultSort = '-created_at') {
  const allowed = keys.map((key) => `\`${key}\``).join(', ');
  return z
    .string()
    .refine(
      (text) => {
        const parts = text.split(',').map((part) => part.replace(/^-/, ''));
        return parts.every((part) => keys.includes(part)) && new Set(parts).size === parts.length;
      },
      { message: 'The selected sort is invalid.' },
    )
    .default(defaultSort)
    .meta({
      description:
        `One or more of ${allowed}, comma separated, each ascending or with \`-\` descending ` +
        `(default \`${defaultSort}\`); ties are broken by id.`,
      pattern: `^-?(${keys.join('|')})(,-?(${keys.join('|')}))*$`,
    });
}

/**
 * Lettermint's two webhook lists page with a bare `cursor` (its generated SDKs send it), where every other list
 * uses `page[cursor]`; both are accepted there. Both at once must name the same page.
 */
export function withBareCursor<S extends z.ZodObject<{ page: typeof pageQuerySchema.shape.page }>>(schema: S) {
  return schema.extend({ cursor: cursorField('cursor').optional() }).transform((query, ctx) => {
    const { cursor, ...rest } = query as unknown as z.output<S> & { cursor?: Cursor };
    const page = rest.page as { size: number; cursor?: Cursor };
    const cursorField: 'page.cursor' | 'cursor' = cursor && !page.cursor ? 'cursor' : 'page.cursor';
    if (cursor && page.cursor && !sameCursor(page.cursor, cursor)) {
      ctx.addIssue({
        code: 'custom',
        path: ['cursor'],
        message: 'The cursor and page.cursor fields name different pages; send one of them.',
      });
      return z.NEVER;
    }
    return { ...rest, page: { ...page, cursor: page.cursor ?? cursor }, cursorField };
  });
}

function sameCursor(a: Cursor, b: Cursor): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** `cursorField` names the parameter the cursor came in, so an error about it names what the client sent. */
export type PageParams = Pick<z.output<typeof pageQuerySchema>, 'page'> & {
  sort: string;
  cursorField?: 'page.cursor' | 'cursor';
};

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
