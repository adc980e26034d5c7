import type { Request } from 'express';
import type { Knex } from 'knex';
import { z } from 'zod';

export const DEFAULT_PAGE_SIZE = 30;
export const MAX_PAGE_SIZE = 100;

/** The row a page starts after, and which way it goes from there. */
export interface Cursor {
  /** `created_at` with Postgres' microseconds: a JS Date (milliseconds) would skip or repeat rows. */
  createdAt: string;
  id: string;
  direction: 'next' | 'prev';
}

const cursorJson = z
  .object({
    created_at: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/)
      // The shape alone lets through 2026-02-30 or year 0, which Postgres refuses: it must be a real instant.
      .refine((text) => isRealInstant(text)),
    id: z.uuid(),
    direction: z.enum(['next', 'prev']),
  })
  .strict();

function isRealInstant(text: string): boolean {
  const milliseconds = `${text.slice(0, 23)}Z`;
  const date = new Date(milliseconds);
  return !Number.isNaN(date.getTime()) && date.toISOString() === milliseconds && date.getUTCFullYear() >= 1970;
}

/** Opaque to clients: base64url of a small JSON object. */
export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(
    JSON.stringify({ created_at: cursor.createdAt, id: cursor.id, direction: cursor.direction }),
    'utf8',
  ).toString('base64url');
}

export function decodeCursor(text: string): Cursor | undefined {
  try {
    const parsed = cursorJson.safeParse(JSON.parse(Buffer.from(text, 'base64url').toString('utf8')));
    if (!parsed.success) return undefined;
    return { createdAt: parsed.data.created_at, id: parsed.data.id, direction: parsed.data.direction };
  } catch {
    return undefined;
  }
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

/** One page of rows, with cursors that point past its first and last rows. */
export interface CursorPage<Row> {
  rows: Row[];
  size: number;
  nextCursor: string | null;
  prevCursor: string | null;
}

/** Column names (qualified as the query aliases them) of the keyset: creation time, then id to break ties. */
export interface KeysetColumns {
  createdAt: string;
  id: string;
}

const CURSOR_TIME = 'cursor_created_at';

/**
 * Runs a list query as one keyset page over (created_at, id): stable while rows are added, and cheap at any
 * depth with an index on those columns. Follows Laravel's cursor paginator: going forward, `prev_cursor` is set
 * once a cursor was used; going back, `next_cursor` is always set.
 */
export async function fetchCursorPage<Row extends { id: string }>(
  db: Knex,
  query: Knex.QueryBuilder,
  params: PageParams,
  columns: KeysetColumns,
): Promise<CursorPage<Row>> {
  const { size, cursor } = params.page;
  const backwards = cursor?.direction === 'prev';
  // Travelling backwards reads the other way, then flips the rows back into the requested order.
  const descending = (params.sort === '-created_at') !== backwards;
  const order = descending ? 'desc' : 'asc';
  const paged = query
    .clone()
    .select(
      db.raw(`to_char(?? AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS ??`, [columns.createdAt, CURSOR_TIME]),
    )
    .orderBy([
      { column: columns.createdAt, order },
      { column: columns.id, order },
    ])
    .limit(size + 1);
  if (cursor) {
    paged.whereRaw(`(??, ??) ${descending ? '<' : '>'} (?::timestamptz, ?::uuid)`, [
      columns.createdAt,
      columns.id,
      cursor.createdAt,
      cursor.id,
    ]);
  }
  const fetched = (await paged) as Array<Row & { [CURSOR_TIME]: string }>;
  const hasMore = fetched.length > size;
  const rows = fetched.slice(0, size);
  if (backwards) rows.reverse();

  const first = rows[0];
  const last = rows[rows.length - 1];
  const pointer = (row: (typeof rows)[number] | undefined, direction: Cursor['direction']) =>
    row ? encodeCursor({ createdAt: row[CURSOR_TIME], id: row.id, direction }) : null;
  return {
    rows,
    size,
    nextCursor: backwards || hasMore ? pointer(last, 'next') : null,
    prevCursor: backwards ? (hasMore ? pointer(first, 'prev') : null) : cursor ? pointer(first, 'prev') : null,
  };
}

/**
 * The page as Lettermint (Laravel) answers it. Page URLs keep the request's filters, size and sort; they are built
 * on `publicBaseUrl` when the operator set one, else on the request's own host.
 */
export function cursorPageJson<Row, Item>(
  req: Request,
  publicBaseUrl: string | undefined,
  page: CursorPage<Row>,
  present: (row: Row) => Item,
) {
  const origin = publicBaseUrl?.replace(/\/+$/, '') ?? `${req.protocol}://${req.get('host') ?? 'localhost'}`;
  const url = new URL(`${origin}${req.originalUrl}`);
  const pageUrl = (cursor: string | null) => {
    if (!cursor) return null;
    const target = new URL(url);
    target.searchParams.set('page[cursor]', cursor);
    return target.toString();
  };
  return {
    data: page.rows.map(present),
    path: `${url.origin}${url.pathname}`,
    per_page: page.size,
    next_cursor: page.nextCursor,
    next_page_url: pageUrl(page.nextCursor),
    prev_cursor: page.prevCursor,
    prev_page_url: pageUrl(page.prevCursor),
  };
}

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
