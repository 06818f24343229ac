import type { Command } from 'commander';
import { containerJson } from '../dialects/badgekit/badgekit.wire.ts';
import type { Principal } from '../http/principal.ts';
import { createConsumer, createContainer, setWebhook } from '../modules/badges/index.ts';
import { runAdminUseCase as admin, printJson } from './context.ts';

/** The CLI runs with the database's own rights: an admin operator, to the badges policies. */
const OPERATOR: Principal = { kind: 'operator', tokenId: 'cli', admin: true };

/** BadgeKit operators' commands: systems, consumer keys and webhooks (BadgeKit had no API for the last two). */
export function badgekitCommands(program: Command): void {
  const bk = program.command('badgekit').description('The BadgeKit API: systems, consumer keys, webhooks.');
  bk.command('systems')
    .description('BadgeKit systems.')
    .command('create')
    .description('Create a system (the top-level BadgeKit container).')
    .requiredOption('--slug <slug>', 'its slug, used in /badgekit/systems/<slug>')
    .requiredOption('--name <name>', 'a readable name')
    .option('--url <url>', "the system's web site (default: PUBLIC_URL)")
    .option('--email <email>', 'a contact address')
    .option('--json', 'print JSON')
    .action(async (o: { slug: string; name: string; url?: string; email?: string; json?: boolean }) => {
      const view = await admin((deps) =>
        createContainer(deps, OPERATOR, undefined, {
          slug: o.slug,
          name: o.name,
          url: o.url ?? deps.config.publicUrl,
          email: o.email,
        }),
      );
      const system = containerJson(view);
      if (o.json) printJson(system);
      else process.stdout.write(`system ${system.slug} (id ${system.id})\n`);
    });
  bk.command('consumers')
    .description('API consumers: a key and secret for JWTs scoped to one system.')
    .command('create')
    .requiredOption('--system <slug>', 'the system the key may use')
    .option('--description <text>', 'who uses it')
    .option('--json', 'print JSON')
    .action(async (o: { system: string; description?: string; json?: boolean }) => {
      const created = await admin((deps) => createConsumer(deps, o.system, o.description));
      if (o.json) printJson(created);
      else process.stdout.write(`key ${created.api_key}\nsecret ${created.api_secret}\n`);
      if (!o.json) process.stderr.write('The secret is not shown again.\n');
    });
  bk.command('webhooks')
    .description("A system's webhook (award, review, revoke in BadgeKit's format).")
    .command('set')
    .requiredOption('--system <slug>', 'the system')
    .requiredOption('--url <url>', 'where to POST')
    .requiredOption('--secret <secret>', 'the HS256 secret the receiver verifies (16+ characters)')
    .option('--json', 'print JSON')
    .action(async (o: { system: string; url: string; secret: string; json?: boolean }) => {
      const hook = await admin((deps) => setWebhook(deps, o.system, o.url, o.secret));
      if (o.json) printJson(hook);
      else process.stdout.write(`webhook ${hook.url} for ${hook.system}\n`);
    });
}
