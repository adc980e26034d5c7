/** One sample from Prometheus text exposition, 0 when absent: `labels` as they appear, e.g. `fault="event_missing"`. */
export function metricSample(text: string, name: string, labels = ''): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels ? `{${labels}}` : ''} `));
  return line ? Number(line.split(' ').at(-1)) : 0;
}
