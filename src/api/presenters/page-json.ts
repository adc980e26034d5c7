import type { Request } from 'express';
import { BadRequestError } from '../../errors/bad-request-error';
import type { KeysetPage, KeysetPosition } from '../../store/keyset-page';
import { encodeCursor } from '../cursor';

/** The query parameter page URLs carry their cursor in: Lettermint's webhook lists use a bare `cursor`. */
export type CursorParameter = 'page[cursor]' | 'cursor';

/**
 * A page as Lettermint (Laravel) answers it. Page URLs keep the request's filters, size and sort, and carry the
 * cursor in `cursorParameter` only (the other spelling is dropped, so a followed URL never holds two cursors);
 * they are built on `publicBaseUrl` when the operator set one, else on the request's own host.
 */
export function pageJson<Item, Json>(
  req: Request,
  publicBaseUrl: string | undefined,
  sort: string,
  page: KeysetPage<Item>,
  present: (item: Item) => Json,
  cursorParameter: CursorParameter = 'page[cursor]',
) {
  const origin = publicBaseUrl?.replace(/\/+$/, '') ?? `${req.protocol}://${req.get('host') ?? 'localhost'}`;
  const url = parseUrl(`${origin}${req.originalUrl}`);
  const cursorAt = (position: KeysetPosition | null, direction: 'next' | 'prev') =>
    position ? encodeCursor({ sort, direction, position }) : null;
  const pageUrl = (cursor: string | null) => {
    if (!cursor) return null;
    const target = new URL(url);
    target.searchParams.delete('page[cursor]');
    target.searchParams.delete('cursor');
    target.searchParams.set(cursorParameter, cursor);
    return target.toString();
  };
  const nextCursor = cursorAt(page.next, 'next');
  const prevCursor = cursorAt(page.prev, 'prev');
  return {
    data: page.items.map(present),
    path: `${url.origin}${url.pathname}`,
    per_page: page.size,
    next_cursor: nextCursor,
    next_page_url: pageUrl(nextCursor),
    prev_cursor: prevCursor,
    prev_page_url: pageUrl(prevCursor),
  };
}

/** The Host was checked on the way in (requireValidHost); a URL that still does not parse is the client's doing. */
function parseUrl(text: string): URL {
  try {
    return new URL(text);
  } catch {
    throw new BadRequestError('Malformed Host header or URL.');
  }
}
