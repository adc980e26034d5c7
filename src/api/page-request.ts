import { ValidationError } from '../errors/validation-error';
import type { PageRequest, SortField, SortKind } from '../store/keyset-page';
import type { PageParams } from './schemas/page-schemas';

/** A list's sortable keys as the API names them (`created_at`), and the column and kind each stands for. */
export type SortableColumns = Readonly<Record<string, { column: string; kind: SortKind }>>;

/**
 * The store's page request for a list query: its `sort` (`-name,created_at`: keys with an optional `-`, comma
 * separated, already validated against the keys) as sort fields, and the cursor, checked to belong to this sort.
 */
export function toPageRequest(params: PageParams, columns: SortableColumns): PageRequest {
  const sort: SortField[] = params.sort.split(',').map((part) => {
    const descending = part.startsWith('-');
    const key = descending ? part.slice(1) : part;
    const column = columns[key];
    if (!column) throw ValidationError.field('sort', 'The selected sort is invalid.');
    return { column: column.column, kind: column.kind, descending };
  });
  const { size, cursor } = params.page;
  if (!cursor) return { size, sort };
  const field = params.cursorField ?? 'page.cursor';
  if (cursor.sort !== params.sort) {
    // A keyset position only means something in the order it was taken in.
    throw ValidationError.field(
      field,
      `The ${field} was made for sort=${cursor.sort}; send that sort with it, or start again without a cursor.`,
    );
  }
  const fits =
    cursor.position.values.length === sort.length &&
    cursor.position.values.every((value, i) => isValueOfKind(value, sort[i]!.kind));
  if (!fits) throw ValidationError.field(field, `The ${field} is invalid.`);
  return { size, sort, from: { position: cursor.position, direction: cursor.direction } };
}

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

function isValueOfKind(value: string, kind: SortKind): boolean {
  switch (kind) {
    case 'timestamp':
      // The shape alone lets through 2026-02-30 or year 0, which Postgres refuses: it must be a real instant.
      return TIMESTAMP.test(value) && isRealInstant(value);
    case 'integer':
      return /^-?\d{1,10}$/.test(value);
    case 'uuid':
      return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
    case 'text':
      return !value.includes('\u0000');
  }
}

function isRealInstant(text: string): boolean {
  const milliseconds = `${text.slice(0, 23)}Z`;
  const date = new Date(milliseconds);
  return !Number.isNaN(date.getTime()) && date.toISOString() === milliseconds && date.getUTCFullYear() >= 1970;
}
