import type { Command } from 'commander';
import {
  createPlatform,
  keyJson,
  listToolKeySummaries,
  platformJson,
  registrationUrl,
  rotateToolKey,
  toolUrls,
} from '../modules/lti/index.ts';
import { runAdminUseCase as admin, printJson } from './context.ts';

const collect = (value: string, previous: string[]) => [...previous, value];

interface CreateOptions {
  name?: string;
  issuer: string;
  clientId: string;
  deploymentId: string[];
  authEndpoint: string;
  tokenEndpoint: string;
  tokenAudience?: string;
  jwksUrl: string;
  autoCreateCourses: boolean;
  linkByEmail: boolean;
  institution?: string;
  json: boolean;
}

/** LTI 1.3 platform registrations and the tool's keys (`learnhub lti ...`). */
export function ltiCommands(program: Command): void {
  const lti = program.command('lti').description('LTI 1.3: platform registrations and the tool keys.');
  const platforms = lti.command('platforms').description('LMS platforms allowed to launch into the hub.');
  platforms
    .command('create')
    .description('Register a platform; prints the tool URLs to enter in the LMS.')
    .requiredOption('--issuer <url>', "the platform's issuer (iss)")
    .requiredOption('--client-id <id>', 'the client id the platform gave the hub')
    .option('--deployment-id <id>', 'a deployment id (repeat for several)', collect, [])
    .requiredOption('--auth-endpoint <url>', "the platform's OIDC authentication endpoint")
    .requiredOption('--token-endpoint <url>', "the platform's OAuth 2 token endpoint")
    .requiredOption('--jwks-url <url>', "the platform's public keys (JWKS)")
    .option('--token-audience <aud>', 'audience of client assertions, when not the token endpoint')
    .option('--name <name>', 'a readable name (default: the issuer)')
    .option('--auto-create-courses', "create a hub course on an instructor's first launch", false)
    .option('--link-by-email', 'link LMS users to hub accounts with the same verified email', false)
    .option('--institution <id>', 'courses created by launches belong to this institution')
    .option('--json', 'print JSON', false)
    .action(async (o: CreateOptions) => {
      const created = await admin(async (deps) =>
        platformJson(
          deps.config,
          await createPlatform(deps, {
            name: o.name,
            issuer: o.issuer,
            clientId: o.clientId,
            deploymentIds: o.deploymentId,
            authEndpoint: o.authEndpoint,
            tokenEndpoint: o.tokenEndpoint,
            tokenAudience: o.tokenAudience,
            jwksUrl: o.jwksUrl,
            autoCreateCourses: o.autoCreateCourses,
            linkByEmail: o.linkByEmail,
            institutionId: o.institution,
          }),
        ),
      );
      if (o.json) return printJson(created);
      const t = created.tool;
      process.stdout.write(
        `platform ${created.id} (${created.issuer}, client ${created.client_id})\n` +
          `Enter in the LMS:\n  login URL      ${t.login_url}\n  launch URL     ${t.launch_url}\n` +
          `  deep linking   ${t.deep_linking_url}\n  public keys    ${t.jwks_url}\n`,
      );
    });
  platforms
    .command('urls')
    .description('Print the tool URLs to enter in an LMS.')
    .option('--json', 'print JSON', false)
    .action(async (o: { json: boolean }) => {
      const urls = await admin(async (deps) => toolUrls(deps.config));
      if (o.json) return printJson(urls);
      for (const [k, v] of Object.entries(urls)) process.stdout.write(`${k.padEnd(18)} ${v}\n`);
    });
  platforms
    .command('registration-url')
    .description('A URL (valid 7 days) to paste into the LMS for LTI Dynamic Registration.')
    .option('--json', 'print JSON', false)
    .action(async (o: { json: boolean }) => {
      const created = await admin((deps) => registrationUrl(deps));
      if (o.json) return printJson(created);
      process.stdout.write(`${created.url}\n`);
      process.stderr.write(`Valid until ${created.expires_at}.\n`);
    });
  const keys = lti.command('keys').description("The tool's RS256 signing keys.");
  keys
    .command('list')
    .option('--json', 'print JSON', false)
    .action(async (o: { json: boolean }) => {
      const list = (await admin((deps) => listToolKeySummaries(deps))).map(keyJson);
      if (o.json) return printJson({ data: list });
      for (const k of list)
        process.stdout.write(
          `${k.kid} created ${k.created_at}${k.retired_at ? ` retired ${k.retired_at}` : ' (signing)'}\n`,
        );
    });
  keys
    .command('rotate')
    .description('Sign with a new key from now on; the old one stays published for a day.')
    .option('--json', 'print JSON', false)
    .action(async (o: { json: boolean }) => {
      const key = keyJson(await admin((deps) => rotateToolKey(deps)));
      if (o.json) return printJson(key);
      process.stdout.write(`now signing with ${key.kid}\n`);
    });
}
