import { randomUUID } from 'node:crypto';
import { ADVISORY_LOCKS, ADVISORY_LOCK_SPACE } from '../db/advisory-locks';
import type { Database } from '../db/create-database';
import { generateApiToken, hashApiToken, type TokenScope } from '../tenancy/api-token';
import { fetchKeysetPage, type KeysetPage, type PageRequest } from './keyset-page';

export interface Principal {
  teamId: string;
  tokenId: string;
  scopes: TokenScope[];
  /** Set for a portal session: it may reach only this project's (or route's) webhooks and deliveries. */
  portal?: PortalScope;
}

/** What a portal session may see: one project, or one route of it. */
export interface PortalScope {
  portalSessionId: string;
  projectId: string;
  /** Null: every route of the project. */
  routeId: string | null;
}

/** A token as it is listed: never its hash, never its clear text. */
export interface ApiTokenInfo {
  id: string;
  teamId: string;
  name: string;
  scopes: TokenScope[];
  createdAt: Date;
  /** Moved forward at most once a minute. */
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

interface ApiTokenRow {
  id: string;
  team_id: string;
  name: string;
  token_hash: string;
  scopes: TokenScope[];
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

export const DEFAULT_TEAM_NAME = 'Default team';
export const BOOTSTRAP_TOKEN_NAME = 'bootstrap';

/** How often `last_used_at` is written at most, per token: a busy token must not turn every request into a write. */
const LAST_USED_RESOLUTION_MS = 60_000;

/** What revoking a token came to. */
export type RevokeOutcome =
  | { kind: 'revoked'; token: ApiTokenInfo }
  | { kind: 'not_found' }
  /** Refused: it is the team's last live `manage` token, and nobody could manage the team after it. */
  | { kind: 'last_manage_token'; token: ApiTokenInfo };

/** Teams and their API tokens (stored only as hashes). */
export class TeamStore {
  constructor(private readonly db: Database) {}

  async createTeam(name: string): Promise<{ id: string; name: string }> {
    return insertTeam(this.db, name);
  }

  /** Creates a token and returns its clear text, the only time it exists outside the caller's hands. */
  async createToken(teamId: string, name: string, scopes: TokenScope[], token = generateApiToken()): Promise<string> {
    await insertToken(this.db, teamId, name, scopes, token);
    return token;
  }

  /** The same, answering the listed form of the new token beside its clear text. */
  async createTokenRecord(
    teamId: string,
    name: string,
    scopes: TokenScope[],
  ): Promise<{ token: string; info: ApiTokenInfo }> {
    const token = generateApiToken();
    return { token, info: await insertToken(this.db, teamId, name, scopes, token) };
  }

  /**
   * The principal of a live (not revoked) token, read from its row on every request: no cache, so a revoked token
   * is refused from the next request on, in every process. Notes the use, at most once a minute per token.
   */
  async authenticate(token: string): Promise<Principal | undefined> {
    const row = await this.db<ApiTokenRow>('api_tokens')
      .where({ token_hash: hashApiToken(token) })
      .whereNull('revoked_at')
      .first('id', 'team_id', 'scopes', 'last_used_at');
    if (!row) return undefined;
    this.noteUse(row.id, row.last_used_at);
    return { teamId: row.team_id, tokenId: row.id, scopes: row.scopes };
  }

  /**
   * Writes `last_used_at` when the one read says it is over a minute old: most requests cost no write at all, and
   * the write is never waited for, so it can neither slow nor fail the request. The condition is repeated in the
   * statement, so processes racing on one token write it once.
   */
  noteUse(tokenId: string, lastUsedAt: Date | null): void {
    if (lastUsedAt && Date.now() - lastUsedAt.getTime() < LAST_USED_RESOLUTION_MS) return;
    this.db('api_tokens')
      .where({ id: tokenId })
      .where((q) =>
        q
          .whereNull('last_used_at')
          .orWhereRaw(`last_used_at < now() - interval '${LAST_USED_RESOLUTION_MS} milliseconds'`),
      )
      .update({ last_used_at: this.db.fn.now() })
      .catch(() => undefined);
  }

  /** One page of the team's tokens, revoked ones included (sort columns aliased `t.`). */
  async listTokensPage(teamId: string, request: PageRequest): Promise<KeysetPage<ApiTokenInfo>> {
    const query = this.db('api_tokens as t')
      .select('t.id', 't.team_id', 't.name', 't.scopes', 't.created_at', 't.last_used_at', 't.revoked_at')
      .where('t.team_id', teamId);
    return fetchKeysetPage(this.db, query, request, 't.id', toTokenInfo);
  }

  /** Every token of a team, oldest first (the CLI's list). */
  async listTokens(teamId: string): Promise<ApiTokenInfo[]> {
    const rows = await this.db<ApiTokenRow>('api_tokens').where({ team_id: teamId }).orderBy(['created_at', 'id']);
    return rows.map(toTokenInfo);
  }

  async findToken(id: string): Promise<ApiTokenInfo | undefined> {
    const row = await this.db<ApiTokenRow>('api_tokens').where({ id }).first();
    return row && toTokenInfo(row);
  }

  /**
   * Revokes a token of the team (again: a no-op that answers it). With `keepLastManageToken`, the team's last live
   * `manage` token is refused: its live manage tokens are locked first, so two requests revoking the last two
   * cannot both succeed.
   */
  async revokeToken(teamId: string, id: string, options: { keepLastManageToken: boolean }): Promise<RevokeOutcome> {
    return this.db.transaction(async (trx) => {
      const live = await trx<ApiTokenRow>('api_tokens')
        .where({ team_id: teamId })
        .whereNull('revoked_at')
        .whereRaw(`'manage' = ANY(scopes)`)
        .orderBy('id')
        .forUpdate()
        .select('id');
      const row = await trx<ApiTokenRow>('api_tokens').where({ id, team_id: teamId }).forUpdate().first();
      if (!row) return { kind: 'not_found' };
      if (row.revoked_at) return { kind: 'revoked', token: toTokenInfo(row) };
      if (options.keepLastManageToken && live.length === 1 && live[0]!.id === id) {
        return { kind: 'last_manage_token', token: toTokenInfo(row) };
      }
      const [revoked] = await trx<ApiTokenRow>('api_tokens')
        .where({ id })
        .update({ revoked_at: trx.fn.now() as unknown as Date })
        .returning('*');
      return { kind: 'revoked', token: toTokenInfo(revoked!) };
    });
  }

  /**
   * Makes `BOOTSTRAP_TOKEN` a full-rights token of the default team, and retires the ones it replaced: every other
   * live `bootstrap` token of that team created before it is revoked, so replacing a leaked value ends it. Only
   * older ones: a process still started with the old value (a rolling restart) cannot revoke its successor, and a
   * value that was revoked stays revoked (answered undefined). Idempotent across restarts, and across processes
   * starting together on a fresh database (audit 17): they take turns on an advisory lock, and one that still loses
   * the race on the token's unique index reads the winner's token instead of failing.
   */
  async ensureBootstrapToken(token: string): Promise<Principal | undefined> {
    const hash = hashApiToken(token);
    try {
      return await this.db.transaction(async (trx) => {
        await trx.raw('SELECT pg_advisory_xact_lock(?, ?)', [ADVISORY_LOCK_SPACE, ADVISORY_LOCKS.bootstrapToken]);
        let current = await trx<ApiTokenRow>('api_tokens').where({ token_hash: hash }).first();
        if (!current) {
          let team = await trx('teams').where({ name: DEFAULT_TEAM_NAME }).orderBy('created_at').first('id');
          if (!team) team = await insertTeam(trx, DEFAULT_TEAM_NAME);
          await insertToken(trx, team.id, BOOTSTRAP_TOKEN_NAME, ['manage', 'trigger'], token);
          current = (await trx<ApiTokenRow>('api_tokens').where({ token_hash: hash }).first())!;
        }
        if (current.revoked_at) return undefined;
        await trx('api_tokens')
          .where({ team_id: current.team_id, name: BOOTSTRAP_TOKEN_NAME })
          .whereNot({ id: current.id })
          .whereNull('revoked_at')
          .where('created_at', '<', current.created_at)
          .update({ revoked_at: trx.fn.now() });
        return { teamId: current.team_id, tokenId: current.id, scopes: current.scopes };
      });
    } catch (err) {
      if ((err as { code?: string }).code !== '23505') throw err;
      const winner = await this.db<ApiTokenRow>('api_tokens')
        .where({ token_hash: hash })
        .whereNull('revoked_at')
        .first();
      if (!winner) throw err;
      return { teamId: winner.team_id, tokenId: winner.id, scopes: winner.scopes };
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
): Promise<ApiTokenInfo> {
  const [row] = await db<ApiTokenRow>('api_tokens')
    .insert({ id: randomUUID(), team_id: teamId, name, token_hash: hashApiToken(token), scopes })
    .returning('*');
  return toTokenInfo(row!);
}

function toTokenInfo(row: Omit<ApiTokenRow, 'token_hash'>): ApiTokenInfo {
  return {
    id: row.id,
    teamId: row.team_id,
    name: row.name,
    scopes: row.scopes,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  };
}
