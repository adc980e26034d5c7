import { Counter, type Registry } from 'prom-client';
import type { HostResolverMetrics } from '../targets/create-host-resolver';

/** What the webhook resolver did: lookups, cache and hosts-file answers, queries, timeouts, waits for a team's share. */
export class DnsMetrics implements HostResolverMetrics {
  private readonly events: Counter<'event'>;

  constructor(registry: Registry) {
    this.events = new Counter({
      name: 'tidehook_dns_events_total',
      help: 'Webhook host resolution, by what happened (lookup, cache_hit, negative_hit, query, timeout, team_wait, ...).',
      labelNames: ['event'],
      registers: [registry],
    });
  }

  count(event: Parameters<HostResolverMetrics['count']>[0]): void {
    this.events.inc({ event });
  }
}
