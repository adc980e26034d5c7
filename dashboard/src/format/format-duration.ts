/** An attempt's duration: "84 ms", "1.2 s", "30 s". */
export function formatDuration(ms: number | null): string {
  if (ms === null) return '—';
  if (ms < 1000) return `${ms} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}

/** A wait of the retry schedule: "now", "1m", "30m", "6h", as Lettermint's table writes them. */
export function formatDelay(ms: number): string {
  if (ms === 0) return 'now';
  if (ms < 3_600_000) return `${ms / 60_000}m`;
  return `${ms / 3_600_000}h`;
}
