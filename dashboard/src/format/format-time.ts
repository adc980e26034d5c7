const absolute = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

const UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
  ['second', 1000],
];

/** "Jan 1, 2026, 12:00:03 PM" in the reader's own time zone and language. */
export function formatAbsoluteTime(iso: string): string {
  return absolute.format(new Date(iso));
}

/** "3 minutes ago", "in 2 hours": for the times a reader compares with now. */
export function formatRelativeTime(iso: string, now = Date.now()): string {
  const difference = new Date(iso).getTime() - now;
  for (const [unit, size] of UNITS) {
    if (Math.abs(difference) >= size || unit === 'second') {
      return relative.format(Math.round(difference / size), unit);
    }
  }
  return relative.format(0, 'second');
}
