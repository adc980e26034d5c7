import { useEffect, useRef } from 'preact/hooks';
import type { AttemptSummary, CursorPage } from '../api/api-types';
import { queryString } from '../api/query-string';
import { usePolling } from '../hooks/use-polling';
import { useResource } from '../hooks/use-resource';
import { navigate, useLocation } from '../router/navigation';
import { useSession } from '../session/session-context';
import { AttemptFilters, type AttemptFilterValues } from './attempt-filters';
import { AttemptsTable } from './attempts-table';
import { LoadingState } from './loading-state';
import { Pager } from './pager';

export const DELIVERIES_PAGE_SIZE = 30;

/** The mark the app sets once a webhook's first page of deliveries is on screen (read by the load-time test). */
export const DELIVERIES_SHOWN_MARK = 'tidehook:deliveries-shown';

/**
 * Deliveries (Lettermint's name for attempt records) of one webhook: filters, table and paging. The filters and
 * the page live in the address, so a reload, the back button or a shared link show the same list.
 */
export function DeliveriesPanel({ webhookId, refreshKey }: { webhookId: string; refreshKey: number }) {
  const { api } = useSession();
  const { pathname, search } = useLocation();
  const filters: AttemptFilterValues = {
    status: search.get('status') ?? '',
    event_type: search.get('event_type') ?? '',
    from: search.get('from') ?? '',
    to: search.get('to') ?? '',
  };
  const cursor = search.get('cursor') ?? '';
  const page = useResource(
    () =>
      api.get<CursorPage<AttemptSummary>>(
        `/v1/webhooks/${webhookId}/deliveries${queryString({
          'filter[status]': filters.status,
          'filter[event_type]': filters.event_type,
          'filter[from_date]': filters.from,
          'filter[to_date]': filters.to,
          'page[size]': DELIVERIES_PAGE_SIZE,
          'page[cursor]': cursor,
        })}`,
      ),
    [webhookId, search.toString(), refreshKey],
  );
  const go = (next: AttemptFilterValues, nextCursor = '') =>
    navigate(`${pathname}${queryString({ ...next, cursor: nextCursor })}`, { replace: true });

  const marked = useRef(false);
  useEffect(() => {
    if (page.data && !marked.current) {
      marked.current = true;
      performance.mark(DELIVERIES_SHOWN_MARK);
    }
  }, [page.data]);
  // Attempts under way finish within 30 s: keep the list current until they have.
  usePolling(!!page.data?.data.some((attempt) => attempt.status === 'pending'), 2000, async () => page.reload());

  return (
    <section class="panel" aria-labelledby="deliveries-heading">
      <div class="panel-header">
        <h2 id="deliveries-heading">Deliveries</h2>
        <button type="button" class="button" onClick={page.reload}>
          Refresh
        </button>
      </div>
      <AttemptFilters values={filters} onChange={(next) => go(next)} />
      {page.error && <LoadingState error={page.error} what="list" />}
      {!page.data && !page.error && <LoadingState error={undefined} what="deliveries" />}
      {page.data &&
        (page.data.data.length === 0 ? (
          <p class="empty">
            No deliveries{cursor || Object.values(filters).some(Boolean) ? ' match these filters' : ' yet'}.
          </p>
        ) : (
          <div class="table-scroll">
            <AttemptsTable attempts={page.data.data} caption="Delivery attempts, newest first" />
          </div>
        ))}
      {page.data && (
        <Pager
          label="Deliveries pages"
          prevCursor={page.data.prev_cursor}
          nextCursor={page.data.next_cursor}
          onPage={(next) => go(filters, next)}
        />
      )}
    </section>
  );
}
