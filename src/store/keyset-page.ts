import type { Knex } from 'knex';

/** How a sort column's values are compared and carried in a cursor. */
export type SortKind = 'timestamp' | 'text' | 'integer' | 'uuid';

/** One column of a list's order, qualified as the list query aliases it (`w.created_at`). */
export interface SortField {
  column: string;
  descending: boolean;
  kind: SortKind;
}

/**
 * A row's place in a keyset order: its sort values as text (timestamps with Postgres' microseconds, since a JS
 * Date would skip or repeat rows), then its id, which breaks ties.
 */
export interface KeysetPosition {
  values: string[];
  id: string;
}

export interface PageRequest {
  size: number;
  /** The order; the id column is appended to break ties, in the direction of the last field. */
  sort: readonly SortField[];
  /** Start after (`next`) or before (`prev`) this row; the first page when absent. */
  from?: { position: KeysetPosition; direction: 'next' | 'prev' };
}

/** One page, with the positions of its edges for the cursors that lead on. */
export interface KeysetPage<Item> {
  items: Item[];
  size: number;
  /** Where the next page starts, or null when there is none. */
  next: KeysetPosition | null;
  /** Where the previous page ends, or null when there is none. */
  prev: KeysetPosition | null;
}

const POSITION_PREFIX = 'keyset_';

/**
 * Runs a list query as one keyset page: stable while rows are added, and cheap at any depth with an index on the
 * sort columns. Follows Laravel's cursor paginator: going forward, `prev` is set once a cursor was used; going back,
 * `next` is always set.
 */
export async function fetchKeysetPage<Row extends { id: string }, Item>(
  db: Knex,
  query: Knex.QueryBuilder,
  request: PageRequest,
  idColumn: string,
  present: (row: Row) => Item,
): Promise<KeysetPage<Item>> {
  const { size, sort, from } = request;
  const backwards = from?.direction === 'prev';
  const last = sort[sort.length - 1];
  const fields: SortField[] = [...sort, { column: idColumn, descending: last?.descending ?? false, kind: 'uuid' }];
  // Travelling backwards reads the other way, then flips the rows back into the requested order.
  const readDescending = (field: SortField) => field.descending !== backwards;

  const paged = query
    .clone()
    .select(sort.map((field, i) => db.raw(`${positionText(field)} AS ??`, [field.column, `${POSITION_PREFIX}${i}`])))
    .orderBy(fields.map((field) => ({ column: field.column, order: readDescending(field) ? 'desc' : 'asc' })))
    .limit(size + 1);
  if (from) {
    if (from.position.values.length !== sort.length) throw new RangeError('a keyset position must match its sort');
    const values = [...from.position.values, from.position.id];
    const descending = fields.map(readDescending);
    if (descending.every((d) => d === descending[0])) {
      // One direction throughout: a row comparison, which an index on the sort columns serves directly.
      paged.whereRaw(
        `(${fields.map(() => '??').join(', ')}) ${descending[0] ? '<' : '>'} (${fields.map(castOf).join(', ')})`,
        [...fields.map((field) => field.column), ...values],
      );
    } else {
      // Mixed directions: after the position on the first field that differs, equal on all before it.
      paged.where((outer) => {
        fields.forEach((field, i) => {
          outer.orWhere((branch) => {
            for (let j = 0; j < i; j++) branch.whereRaw(`?? = ${castOf(fields[j]!)}`, [fields[j]!.column, values[j]!]);
            branch.whereRaw(`?? ${descending[i] ? '<' : '>'} ${castOf(field)}`, [field.column, values[i]!]);
          });
        });
      });
    }
  }
  const fetched = (await paged) as Array<Row & Record<string, string>>;
  const hasMore = fetched.length > size;
  const rows = fetched.slice(0, size);
  if (backwards) rows.reverse();

  const positionOf = (row: (typeof rows)[number] | undefined): KeysetPosition | null =>
    row ? { values: sort.map((_, i) => row[`${POSITION_PREFIX}${i}`]!), id: row.id } : null;
  return {
    items: rows.map(present),
    size,
    next: backwards || hasMore ? positionOf(rows[rows.length - 1]) : null,
    prev: backwards ? (hasMore ? positionOf(rows[0]) : null) : from ? positionOf(rows[0]) : null,
  };
}

function positionText(field: SortField): string {
  return field.kind === 'timestamp' ? `to_char(?? AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')` : `??::text`;
}

function castOf(field: SortField): string {
  switch (field.kind) {
    case 'timestamp':
      return '?::timestamptz';
    case 'integer':
      return '?::integer';
    case 'uuid':
      return '?::uuid';
    case 'text':
      return '?';
  }
}
