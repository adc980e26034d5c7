/** What a status means for the reader; the colour only repeats what the word says. */
const TONES: Record<string, 'good' | 'bad' | 'wait' | 'neutral'> = {
  success: 'good',
  pending: 'wait',
  failed: 'bad',
  client_error: 'bad',
  server_error: 'bad',
  timeout: 'bad',
  cancelled: 'neutral',
};

/** An attempt's or a delivery's status, written as the API writes it (`server_error`), so a search finds it. */
export function StatusBadge({ status }: { status: string }) {
  return <span class={`badge badge-${TONES[status] ?? 'neutral'}`}>{status}</span>;
}
