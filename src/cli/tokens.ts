import type { Command } from 'commander';
import { createApiToken } from '../modules/admin/index.ts';
import { printJson, withAdminDeps } from './context.ts';

export function tokenCommands(program: Command): void {
  const tokens = program
    .command('tokens')
    .description('Operator API tokens (sent as Authorization: Bearer).');
  tokens
    .command('create')
    .description('Create an operator API token. It is printed once; only its hash is stored.')
    .option('--name <name>', 'what the token is for', 'operator')
    .option('--admin', 'give the token hub-administrator rights', false)
    .option('--expires-in-days <days>', 'lifetime in days (1–3650)', '365')
    .option('--json', 'print JSON', false)
    .action(async (options: { name: string; admin: boolean; expiresInDays: string; json: boolean }) => {
      const created = await withAdminDeps((deps) =>
        createApiToken(deps, {
          name: options.name,
          admin: options.admin,
          expiresInDays: Number(options.expiresInDays),
        }),
      );
      if (options.json) printJson(created);
      else {
        process.stdout.write(`${created.token}\n`);
        process.stderr.write(
          `Token "${created.name}" expires ${created.expires_at}. It is not shown again.\n`,
        );
      }
    });
}
