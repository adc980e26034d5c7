import { z } from 'zod';
import type { KeysetPosition } from '../store/keyset-page';

/** Where a page starts: after (`next`) or before (`prev`) a row, in the order named by `sort`. */
export interface Cursor {
  /** The `sort` the cursor was made for; a cursor is only valid with the same sort. */
  sort: string;
  direction: 'next' | 'prev';
  position: KeysetPosition;
}

const cursorJson = z
  .object({
    s: z.string().max(200),
    d: z.enum(['next', 'prev']),
    v: z.array(z.string().max(1000)).min(1).max(8),
    id: z.uuid(),
  })
  .strict();

/** Opaque to clients: base64url of a small JSON object. */
export function encodeCursor(cursor: Cursor): string {
  const json = { s: cursor.sort, d: cursor.direction, v: cursor.position.values, id: cursor.position.id };
  return Buffer.from(JSON.stringify(json), 'utf8').toString('base64url');
}

/** The cursor, or undefined when the text is not one of ours (its values are checked against the sort later). */
export function decodeCursor(text: string): Cursor | undefined {
  try {
    const parsed = cursorJson.safeParse(JSON.parse(Buffer.from(text, 'base64url').toString('utf8')));
    if (!parsed.success) return undefined;
    const { s, d, v, id } = parsed.data;
    return { sort: s, direction: d, position: { values: v, id } };
  } catch {
    return undefined;
  }
}
