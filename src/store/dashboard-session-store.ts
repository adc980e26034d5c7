import { randomUUID } from 'node:crypto';
import type { Database } from '../db/create-database';
import { generateSessionId, hashSessionId } from '../tenancy/session-id';
import type { Principal } from './team-store';

/** How long a sign-in lasts; then the dashboard asks for the token again. */
export const SESSION_LIFETIME_SECONDS = 12 * 3600;

/** Dashboard sessions in Postgres (`dashboard_sessions`), each standing for the API token it was opened with. */
export class DashboardSessionStore {
  constructor(private readonly db: Database) {}

  /** Opens a session for a token; answers the id for the cookie, which is stored only as its hash. */
  async create(tokenId: string, now = new Date()): Promise<{ sessionId: string; expiresAt: Date }> {
    const sessionId = generateSessionId();
    const expiresAt = new Date(now.getTime() + SESSION_LIFETIME_SECONDS * 1000);
    // Sign-ins are rare: a good moment to forget the sessions that ran out.
    await this.db('dashboard_sessions').where('expires_at', '<', now).delete();
    await this.db('dashboard_sessions').insert({
      id: randomUUID(),
      session_hash: hashSessionId(sessionId),
      token_id: tokenId,
      expires_at: expiresAt,
    });
    return { sessionId, expiresAt };
  }

  /** The token's principal, read afresh on every request, so a deleted token closes its sessions at once. */
  async findPrincipal(sessionId: string, now = new Date()): Promise<Principal | undefined> {
    const row = await this.db('dashboard_sessions as s')
      .join('api_tokens as t', 't.id', 's.token_id')
      .where('s.session_hash', hashSessionId(sessionId))
      .where('s.expires_at', '>', now)
      .first('t.id as token_id', 't.team_id', 't.scopes');
    if (!row) return undefined;
    return { teamId: row.team_id, tokenId: row.token_id, scopes: row.scopes };
  }

  async delete(sessionId: string): Promise<void> {
    await this.db('dashboard_sessions')
      .where({ session_hash: hashSessionId(sessionId) })
      .delete();
  }
}
