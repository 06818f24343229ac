import type { Command } from 'commander';
import { AppError } from '../errors/index.ts';
import { createUser, profileUrl } from '../modules/identity/index.ts';
import { printJson, withAdminDeps } from './context.ts';

interface CreateOptions {
  email: string;
  name: string;
  username: string;
  password: string;
  admin: boolean;
  json: boolean;
}

export function userCommands(program: Command): void {
  const users = program.command('users').description('People with accounts on the hub.');
  users
    .command('create')
    .description(
      'Create an account. The email counts as verified (the operator vouches for it). Prefer setting the password ' +
        'through an environment variable, e.g. --password "$PW", so it stays out of shell history.',
    )
    .requiredOption('--email <email>', 'email address')
    .requiredOption('--name <name>', 'display name')
    .requiredOption('--username <username>', '3–30 letters, digits, - or _; part of the profile URL')
    .requiredOption('--password <password>', `at least 10 characters`)
    .option('--admin', 'make the user a hub administrator', false)
    .option('--json', 'print JSON', false)
    .action(async (options: CreateOptions) => {
      const result = await withAdminDeps(async (deps) => {
        try {
          const user = await createUser(deps, {
            email: options.email,
            name: options.name,
            username: options.username,
            password: options.password,
            admin: options.admin,
            emailVerified: true,
          });
          return { ok: true as const, user, profile_url: profileUrl(deps.config, user.username) };
        } catch (error) {
          if (error instanceof AppError && error.status < 500) return { ok: false as const, error };
          throw error;
        }
      });
      if (!result.ok) {
        if (options.json) printJson({ error: { code: result.error.code, message: result.error.message } });
        process.stderr.write(`learnhub: ${result.error.message} (${result.error.code})\n`);
        process.exit(1);
      }
      const { user } = result;
      const shown = {
        id: user.id,
        username: user.username,
        name: user.name,
        email: user.email,
        email_verified: user.emailVerified,
        admin: user.admin,
        profile_url: result.profile_url,
        created_at: user.createdAt.toISOString(),
      };
      if (options.json) printJson(shown);
      else process.stdout.write(`Created ${shown.username} (${shown.id}): ${shown.profile_url}\n`);
    });
}
