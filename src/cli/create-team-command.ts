import { CliUsageError, requiredFlag, type CliCommand } from './cli-command';

/** A new team and its first token, with full rights (`manage` and `trigger`). */
export const createTeamCommand: CliCommand = {
  name: 'create-team',
  summary: 'Create a team and print a new full-rights API token for it.',
  usage: '--name <team name> [--token-name <label>]',
  needs: 'database',
  options: { name: { type: 'string' }, 'token-name': { type: 'string' } },
  async run(stores, values, output) {
    const name = requiredFlag(values, 'name');
    if (name.length > 255) throw new CliUsageError('--name must be at most 255 characters');
    const tokenName = typeof values['token-name'] === 'string' ? values['token-name'] : 'created with create-team';
    const { team, token } = await stores.transaction(async ({ teams }) => {
      const created = await teams.createTeam(name);
      return { team: created, token: await teams.createToken(created.id, tokenName, ['manage', 'trigger']) };
    });
    output.out(`team_id ${team.id}`);
    output.out(`token ${token}`);
    output.err(`Team "${team.name}" created. Keep the token now: it is stored only as a hash and never shown again.`);
  },
};
