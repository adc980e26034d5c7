/** Previous and next page of a cursor-paged list. */
export function Pager(props: {
  prevCursor: string | null;
  nextCursor: string | null;
  onPage: (cursor: string) => void;
  label: string;
}) {
  if (!props.prevCursor && !props.nextCursor) return null;
  return (
    <nav class="pager" aria-label={props.label}>
      <button
        type="button"
        class="button"
        disabled={!props.prevCursor}
        onClick={() => props.prevCursor && props.onPage(props.prevCursor)}
      >
        ← Newer
      </button>
      <button
        type="button"
        class="button"
        disabled={!props.nextCursor}
        onClick={() => props.nextCursor && props.onPage(props.nextCursor)}
      >
        Older →
      </button>
    </nav>
  );
}
