import type { Command } from 'commander';
import { AppError } from '../errors/index.ts';
import { getUserByUsername } from '../modules/identity/index.ts';
import { createApp } from '../modules/oauth/index.ts';
import { printJson, withAdminDeps } from './context.ts';

interface CreateOptions {
  name: string;
  redirectUri: string[];
  replyUrl?: string;
  homepageUrl?: string;
  logoUrl?: string;
  owner?: string;
  json: boolean;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function appCommands(program: Command): void {
  const apps = program.command('apps').description('Apps (OAuth clients) that sign people in with the hub.');
  apps
    .command('create')
    .description('Register an app. Its client_secret is printed once; only a hash is stored.')
    .requiredOption('--name <name>', 'shown to people on the consent page')
    .option('--redirect-uri <uri>', 'where people come back with a code (repeat for several)', collect, [])
    .option('--reply-url <url>', 'where replies to the app’s emails are delivered')
    .option('--homepage-url <url>', 'the app’s website')
    .option('--logo-url <url>', 'an https image shown on the consent page')
    .option('--owner <username>', 'the user who manages the app')
    .option('--json', 'print JSON', false)
    .action(async (options: CreateOptions) => {
      const result = await withAdminDeps(async (deps) => {
        try {
          let ownerUserId: string | null = null;
          if (options.owner !== undefined) {
            const owner = await getUserByUsername(deps, options.owner);
            if (!owner) throw new AppError('oauth.owner_not_found', `owner: no user "${options.owner}"`);
            ownerUserId = owner.id;
          }
          const created = await createApp(deps, {
            name: options.name,
            redirectUris: options.redirectUri,
            replyUrl: options.replyUrl,
            homepageUrl: options.homepageUrl,
            logoUrl: options.logoUrl,
            ownerUserId,
          });
          return { ok: true as const, created, issuer: `${deps.config.publicUrl}/oidc` };
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
      const { app, clientSecret } = result.created;
      const shown = {
        client_id: app.clientId,
        client_secret: clientSecret,
        name: app.name,
        redirect_uris: app.redirectUris,
        reply_url: app.replyUrl,
        owner_user_id: app.ownerUserId,
        issuer: result.issuer,
        created_at: app.createdAt.toISOString(),
      };
      if (options.json) printJson(shown);
      else {
        process.stdout.write(`client_id=${shown.client_id}\nclient_secret=${shown.client_secret}\n`);
        process.stderr.write(`App "${app.name}" registered. The secret is not shown again.\n`);
      }
    });
}
