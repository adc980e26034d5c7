import { TOKEN_SCOPES, type TokenScope } from '../tenancy/api-token';
import { CliUsageError, requiredFlag, type CliCommand } from './cli-command';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Another token for a team: `manage` (the whole API) or `trigger` (only POST /v1/events, for internal services). */
export const createTokenCommand: CliCommand = {
  name: 'create-token',
  summary: 'Create an API token for a team and print it.',
  usage: `--team <team id> --scope ${TOKEN_SCOPES.join('|')} --name <label>`,
  needs: 'database',
  options: { team: { type: 'string' }, scope: { type: 'string' }, name: { type: 'string' } },
  async run(stores, values, output) {
    const teamId = requiredFlag(values, 'team');
    if (!UUID.test(teamId)) throw new CliUsageError('--team must be a team id (a UUID)');
    const scope = requiredFlag(values, 'scope');
    if (!TOKEN_SCOPES.includes(scope as TokenScope))
      throw new CliUsageError(`--scope must be one of: ${TOKEN_SCOPES.join(', ')}`);
    const name = requiredFlag(values, 'name');
    if (name.length > 255) throw new CliUsageError('--name must be at most 255 characters');
    // `manage` is the whole API, posting events included, so it carries both scopes like the bootstrap token.
    const scopes: TokenScope[] = scope === 'manage' ? ['manage', 'trigger'] : ['trigger'];
    let token: string;
    try {
      token = await stores.teams.createToken(teamId, name, scopes);
    } catch (err) {
      if ((err as { code?: string }).code === '23503') throw new CliUsageError(`there is no team with id ${teamId}`);
      throw err;
    }
    output.out(`token ${token}`);
    output.err(`Token "${name}" (${scope}) created for team ${teamId}. Keep it now: it is never shown again.`);
  },
};
