import { randomUUID } from 'node:crypto';
import { ADVISORY_LOCKS, ADVISORY_LOCK_SPACE } from '../db/advisory-locks';
import type { Database } from '../db/create-database';
import { generateApiToken, hashApiToken, type TokenScope } from '../tenancy/api-token';

export interface Principal {
  teamId: string;
  tokenId: string;
  scopes: TokenScope[];
}

export const DEFAULT_TEAM_NAME = 'Default team';

/** Teams and their API tokens (stored only as hashes). */
export class TeamStore {
  constructor(private readonly db: Database) {}

  async createTeam(name: string): Promise<{ id: string; name: string }> {
    return insertTeam(this.db, name);
  }

  /** Creates a token and returns its clear text, the only time it exists outside the caller's hands. */
  async createToken(teamId: string, name: string, scopes: TokenScope[], token = generateApiToken()): Promise<string> {
    return insertToken(this.db, teamId, name, scopes, token);
  }

  async authenticate(token: string): Promise<Principal | undefined> {
    return findPrincipal(this.db, token);
  }

  /**
   * Makes `BOOTSTRAP_TOKEN` a full-rights token of the default team; idempotent across restarts, and across API
   * processes starting together on a fresh database (audit 17): they take turns on an advisory lock, and one that
   * still loses the race on the token's unique index reads the winner's token instead of failing.
   */
  async ensureBootstrapToken(token: string): Promise<Principal> {
    const existing = await this.authenticate(token);
    if (existing) return existing;
    try {
      return await this.db.transaction(async (trx) => {
        await trx.raw('SELECT pg_advisory_xact_lock(?, ?)', [ADVISORY_LOCK_SPACE, ADVISORY_LOCKS.bootstrapToken]);
        const created = await findPrincipal(trx, token);
        if (created) return created;
        let team = await trx('teams').where({ name: DEFAULT_TEAM_NAME }).orderBy('created_at').first('id');
        if (!team) team = await insertTeam(trx, DEFAULT_TEAM_NAME);
        await insertToken(trx, team.id, 'bootstrap', ['manage', 'trigger'], token);
        return (await findPrincipal(trx, token))!;
      });
    } catch (err) {
      const winner = (err as { code?: string }).code === '23505' ? await this.authenticate(token) : undefined;
      if (winner) return winner;
      throw err;
    }
  }
}

async function insertTeam(db: Database, name: string): Promise<{ id: string; name: string }> {
  const id = randomUUID();
  await db('teams').insert({ id, name });
  return { id, name };
}

async function insertToken(
  db: Database,
  teamId: string,
  name: string,
  scopes: TokenScope[],
  token: string,
): Promise<string> {
  await db('api_tokens').insert({ id: randomUUID(), team_id: teamId, name, token_hash: hashApiToken(token), scopes });
  return token;
}

async function findPrincipal(db: Database, token: string): Promise<Principal | undefined> {
  const row = await db('api_tokens')
    .where({ token_hash: hashApiToken(token) })
    .first('id', 'team_id', 'scopes');
  if (!row) return undefined;
  return { teamId: row.team_id, tokenId: row.id, scopes: row.scopes };
}
