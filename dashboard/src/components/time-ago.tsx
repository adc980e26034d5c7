import { formatAbsoluteTime, formatRelativeTime } from '../format/format-time';

/** A time written relative to now ("3 minutes ago"), with the exact time on hover and for screen readers' `time`. */
export function TimeAgo({ iso, fallback = '—' }: { iso: string | null | undefined; fallback?: string }) {
  if (!iso) return <span>{fallback}</span>;
  return (
    <time dateTime={iso} title={formatAbsoluteTime(iso)}>
      {formatRelativeTime(iso)}
    </time>
  );
}

/** The exact time, where the reader needs it (an attempt's start and finish). */
export function ExactTime({ iso }: { iso: string | null | undefined }) {
  if (!iso) return <span>—</span>;
  return <time dateTime={iso}>{formatAbsoluteTime(iso)}</time>;
}
