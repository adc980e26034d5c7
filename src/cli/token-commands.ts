import { BOOTSTRAP_TOKEN_NAME, type ApiTokenInfo } from '../store/team-store';
import { CliUsageError, requiredFlag, type CliCommand } from './cli-command';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function uuidFlag(values: Parameters<CliCommand['run']>[1], flag: string, what: string): string {
  const value = requiredFlag(values, flag);
  if (!UUID.test(value)) throw new CliUsageError(`--${flag} must be ${what} (a UUID)`);
  return value.toLowerCase();
}

const COLUMNS = ['id', 'name', 'scopes', 'created_at', 'last_used_at', 'revoked_at'] as const;

function row(token: ApiTokenInfo): string {
  return [
    token.id,
    token.name,
    token.scopes.join(','),
    token.createdAt.toISOString(),
    token.lastUsedAt?.toISOString() ?? '-',
    token.revokedAt?.toISOString() ?? '-',
  ].join('\t');
}

/** A team's tokens, revoked ones included, as tab-separated lines under a header: never a hash or a token. */
export const listTokensCommand: CliCommand = {
  name: 'list-tokens',
  summary: "List a team's API tokens (id, name, scopes, created, last used, revoked).",
  usage: '--team <team id>',
  needs: 'database',
  options: { team: { type: 'string' } },
  async run(stores, values, output) {
    const teamId = uuidFlag(values, 'team', 'a team id');
    const tokens = await stores.teams.listTokens(teamId);
    output.out(COLUMNS.join('\t'));
    for (const token of tokens) output.out(row(token));
    output.err(`${tokens.length} tokens (${tokens.filter((t) => !t.revokedAt).length} live).`);
  },
};

/**
 * Revokes a token: every API process refuses it from the next request on. Unlike the API, the CLI may revoke a
 * team's last manage token: whoever runs it can make a new one with create-token.
 */
export const revokeTokenCommand: CliCommand = {
  name: 'revoke-token',
  summary: 'Revoke an API token at once, on every API process.',
  usage: '--id <token id>',
  needs: 'database',
  options: { id: { type: 'string' } },
  async run(stores, values, output) {
    const id = uuidFlag(values, 'id', 'a token id (from list-tokens)');
    const token = await stores.teams.findToken(id);
    const outcome = token && (await stores.teams.revokeToken(token.teamId, id, { keepLastManageToken: false }));
    if (outcome?.kind !== 'revoked') throw new CliUsageError(`there is no token with id ${id}`);
    output.out(row(outcome.token));
    output.err(`Token "${outcome.token.name}" is revoked.`);
    if (outcome.token.name === BOOTSTRAP_TOKEN_NAME) {
      output.err('It was a BOOTSTRAP_TOKEN: set a new value, or API processes log a warning at every start.');
    }
  },
};
