/** Who a lookup is for. */
export interface ResolveContext {
  /** The tenant whose concurrency budget the lookup counts against; none: the operator's own, not capped. */
  teamId?: string;
}

/** Every address a host name resolves to (an IP literal: itself). Injectable so tests never touch real DNS. */
export type HostResolver = (host: string, context?: ResolveContext) => Promise<string[]>;
