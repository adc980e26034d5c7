import { inPortRanges, type PortRange } from './port-range';

/** What {@link blockedPortReason} needs from the target policy. */
export interface PortAllowance {
  /** `80` belongs to the default rule only when plain `http://` targets are allowed. @default false */
  allowHttp?: boolean;
  /**
   * The ports an operator allows (`ALLOWED_TARGET_PORTS`), replacing the default rule entirely.
   * @default undefined: 443, 80 when `allowHttp`, and 1024–65535 except {@link INTERNAL_SERVICE_PORTS}
   */
  allowedPorts?: readonly PortRange[];
}

/**
 * Ports at or above 1024 where well-known internal services listen. Webhook receivers have no reason to live there,
 * and a POST with a tenant-chosen path and body to one of them is an attack (Docker's `/containers/create`, the
 * kubelet's `/run`, Consul's and Vault's APIs) or at least a probe: the error text and the first 64 KiB of any answer
 * end up in the tenant's attempt history. Ports below 1024 are refused anyway, except 443 (and 80).
 */
export const INTERNAL_SERVICE_PORTS: ReadonlyArray<PortRange & { service: string }> = [
  { from: 1080, to: 1080, service: 'SOCKS proxies' },
  { from: 1433, to: 1434, service: 'SQL Server' },
  { from: 1521, to: 1521, service: 'Oracle Database' },
  { from: 2049, to: 2049, service: 'NFS' },
  { from: 2181, to: 2181, service: 'ZooKeeper' },
  { from: 2375, to: 2376, service: 'the Docker Engine API' },
  { from: 2379, to: 2380, service: 'etcd' },
  { from: 3128, to: 3128, service: 'HTTP proxies (Squid)' },
  { from: 3306, to: 3306, service: 'MySQL' },
  { from: 3389, to: 3389, service: 'Remote Desktop' },
  { from: 4369, to: 4369, service: 'the Erlang port mapper (RabbitMQ)' },
  { from: 5432, to: 5432, service: 'PostgreSQL' },
  { from: 5672, to: 5672, service: 'AMQP (RabbitMQ)' },
  { from: 5984, to: 5984, service: 'CouchDB' },
  { from: 5985, to: 5986, service: 'Windows Remote Management' },
  { from: 6379, to: 6379, service: 'Redis' },
  { from: 6443, to: 6443, service: 'the Kubernetes API' },
  { from: 7233, to: 7235, service: 'Temporal' },
  { from: 7239, to: 7239, service: 'Temporal' },
  { from: 7243, to: 7243, service: "Temporal's HTTP API" },
  { from: 8086, to: 8086, service: 'InfluxDB' },
  { from: 8200, to: 8201, service: 'Vault' },
  { from: 8233, to: 8233, service: "the Temporal dev server's Web UI" },
  { from: 8300, to: 8302, service: 'Consul' },
  { from: 8500, to: 8502, service: 'Consul' },
  { from: 8600, to: 8600, service: 'Consul' },
  { from: 9042, to: 9042, service: 'Cassandra' },
  { from: 9092, to: 9092, service: 'Kafka' },
  { from: 9200, to: 9200, service: 'Elasticsearch' },
  { from: 9300, to: 9300, service: 'Elasticsearch' },
  { from: 10250, to: 10250, service: 'the kubelet API' },
  { from: 10255, to: 10255, service: 'the kubelet API' },
  { from: 10257, to: 10257, service: 'the Kubernetes controller manager' },
  { from: 10259, to: 10259, service: 'the Kubernetes scheduler' },
  { from: 11211, to: 11211, service: 'memcached' },
  { from: 15672, to: 15672, service: 'the RabbitMQ management API' },
  { from: 27017, to: 27019, service: 'MongoDB' },
];

/**
 * Why a webhook target's port must not be used, e.g. `port 6379, used by Redis`; `undefined` when it may.
 *
 * Without `allowedPorts`: 443; 80 when http targets are allowed; 1024–65535 except {@link INTERNAL_SERVICE_PORTS}.
 * With it: exactly those ports. Independent of `allowPrivate`: a private network is where internal services are.
 */
export function blockedPortReason(port: number, allowance: PortAllowance = {}): string | undefined {
  if (allowance.allowedPorts !== undefined) {
    return inPortRanges(port, allowance.allowedPorts) ? undefined : `port ${port}, not in ALLOWED_TARGET_PORTS`;
  }
  if (port === 443 || (port === 80 && allowance.allowHttp === true)) return undefined;
  if (port < 1024) return `port ${port}, below 1024`;
  const internal = INTERNAL_SERVICE_PORTS.find((range) => inPortRanges(port, [range]));
  return internal === undefined ? undefined : `port ${port}, used by ${internal.service}`;
}

/** The port a URL connects to: the one written, else the scheme's default. */
export function effectivePort(protocol: string, port: string): number {
  if (port !== '') return Number(port);
  return protocol === 'http:' ? 80 : 443;
}
