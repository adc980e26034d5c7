/** The host a webhook URL points at, for summaries and logs (never the path: it may carry tokens). */
export function targetHostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'invalid url';
  }
}
