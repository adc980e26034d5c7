import { randomUUID } from 'node:crypto';
import type { Database } from '../db/create-database';
import { generateSessionId, hashSessionId } from '../tenancy/session-id';
import type { Principal } from './team-store';

/** A portal session as the API lists it: never its link or session id. */
export interface PortalSession {
  id: string;
  teamId: string;
  projectId: string;
  routeId: string | null;
  createdAt: Date;
  expiresAt: Date;
  redeemedAt: Date | null;
  revokedAt: Date | null;
}

interface PortalSessionRow {
  id: string;
  team_id: string;
  token_id: string;
  project_id: string;
  route_id: string | null;
  link_hash: string;
  session_hash: string | null;
  created_at: Date;
  expires_at: Date;
  redeemed_at: Date | null;
  revoked_at: Date | null;
}

/** What using a portal link came to. */
export type RedeemOutcome =
  | { kind: 'redeemed'; sessionId: string; session: PortalSession }
  | { kind: 'used' }
  | { kind: 'expired' }
  | { kind: 'unknown' };

/** Portal sessions in Postgres (`portal_sessions`): a one-time link that becomes a session scoped to a project or route. */
export class PortalSessionStore {
  constructor(private readonly db: Database) {}

  /** A new link, answered in clear text once (stored as its hash), valid until `expiresAt` whether used or not. */
  async create(input: {
    teamId: string;
    tokenId: string;
    projectId: string;
    routeId: string | null;
    lifetimeSeconds: number;
    now?: Date;
  }): Promise<{ linkToken: string; session: PortalSession }> {
    const now = input.now ?? new Date();
    const linkToken = generateSessionId();
    // Links are created rarely: a good moment to forget the sessions that ran out a day ago.
    await this.db('portal_sessions')
      .where('expires_at', '<', new Date(now.getTime() - 86_400_000))
      .delete();
    const [row] = await this.db<PortalSessionRow>('portal_sessions')
      .insert({
        id: randomUUID(),
        team_id: input.teamId,
        token_id: input.tokenId,
        project_id: input.projectId,
        route_id: input.routeId,
        link_hash: hashSessionId(linkToken),
        expires_at: new Date(now.getTime() + input.lifetimeSeconds * 1000),
      })
      .returning('*');
    return { linkToken, session: toPortalSession(row!) };
  }

  /**
   * Trades the link for a session id, once: the update sets `redeemed_at` only where it is still null, so two
   * browsers racing on one link cannot both win.
   */
  async redeem(linkToken: string, now = new Date()): Promise<RedeemOutcome> {
    const sessionId = generateSessionId();
    const [row] = await this.db<PortalSessionRow>('portal_sessions')
      .where({ link_hash: hashSessionId(linkToken) })
      .whereNull('redeemed_at')
      .whereNull('revoked_at')
      .where('expires_at', '>', now)
      .update({ redeemed_at: now, session_hash: hashSessionId(sessionId) })
      .returning('*');
    if (row) return { kind: 'redeemed', sessionId, session: toPortalSession(row) };
    const spent = await this.db<PortalSessionRow>('portal_sessions')
      .where({ link_hash: hashSessionId(linkToken) })
      .first();
    if (!spent) return { kind: 'unknown' };
    return spent.redeemed_at || spent.revoked_at ? { kind: 'used' } : { kind: 'expired' };
  }

  /**
   * The principal of a live portal session, read on every request: expiry, revocation of the session and of the
   * token that created it take effect at once, in every process.
   */
  async findPrincipal(sessionId: string, now = new Date()): Promise<Principal | undefined> {
    const row = await this.db('portal_sessions as p')
      .join('api_tokens as t', 't.id', 'p.token_id')
      .where('p.session_hash', hashSessionId(sessionId))
      .where('p.expires_at', '>', now)
      .whereNull('p.revoked_at')
      .whereNull('t.revoked_at')
      .first('p.id', 'p.team_id', 'p.token_id', 'p.project_id', 'p.route_id');
    if (!row) return undefined;
    return {
      teamId: row.team_id,
      tokenId: row.token_id,
      // The operations a portal may call need `manage`; which of them it may call is PortalScopeGuard's to say.
      scopes: ['manage'],
      portal: { portalSessionId: row.id, projectId: row.project_id, routeId: row.route_id },
    };
  }

  async findById(teamId: string, id: string): Promise<PortalSession | undefined> {
    const row = await this.db<PortalSessionRow>('portal_sessions').where({ id, team_id: teamId }).first();
    return row && toPortalSession(row);
  }

  /** Revokes the team's portal session (again: a no-op); answers undefined for an unknown one. */
  async revoke(teamId: string, id: string, now = new Date()): Promise<PortalSession | undefined> {
    await this.db('portal_sessions').where({ id, team_id: teamId }).whereNull('revoked_at').update({ revoked_at: now });
    return this.findById(teamId, id);
  }

  /** Signing out of a portal ends its session for good: the link was used, so nothing opens it again. */
  async end(sessionId: string, now = new Date()): Promise<void> {
    await this.db('portal_sessions')
      .where({ session_hash: hashSessionId(sessionId) })
      .whereNull('revoked_at')
      .update({ revoked_at: now });
  }
}

function toPortalSession(row: PortalSessionRow): PortalSession {
  return {
    id: row.id,
    teamId: row.team_id,
    projectId: row.project_id,
    routeId: row.route_id,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    redeemedAt: row.redeemed_at,
    revokedAt: row.revoked_at,
  };
}
