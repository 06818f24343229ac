import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors/index.ts';
import type { Principal } from '../http/principal.ts';
import { resolveCourseRef } from '../modules/courses/index.ts';
import {
  createPlatform,
  listPlatforms,
  platformJson,
  setPlatformEnabled,
} from '../modules/platforms/index.ts';
import { runAdminUseCase as admin, printJson } from './context.ts';

/** The CLI acts as the hub's operator. */
const OPERATOR: Principal = { kind: 'operator', tokenId: 'cli', admin: true };
const list = (value: string | undefined) =>
  (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

async function courseIds(deps: Deps, refs: string[]): Promise<string[]> {
  const ids: string[] = [];
  for (const ref of refs) {
    const course = await resolveCourseRef(deps, ref);
    if (!course)
      throw new AppError('platforms.invalid_input', `No course "${ref}" (give course ids, paths or URLs).`);
    ids.push(course.id);
  }
  return ids;
}

interface CreateOptions {
  name: string;
  jwksUrl?: string;
  publicKeyFile?: string;
  kid?: string;
  courses?: string;
  institutions?: string;
  allCourses: boolean;
  issuer?: string;
  audience?: string;
  json: boolean;
}

/** LMS platforms that read the hub through the peerScholar dialect (`learnhub platforms ...`). */
export function platformCommands(program: Command): void {
  const platforms = program
    .command('platforms')
    .description('LMS platforms for the peerScholar Platform API (/peerscholar/v1).');
  platforms
    .command('create')
    .description('Register a platform: its RS256 keys and which courses it may read.')
    .requiredOption('--name <name>', 'a readable name (e.g. "Moodle at Example U")')
    .option('--jwks-url <url>', 'where the platform publishes its public keys (JWKS)')
    .option('--public-key-file <path>', 'a PEM file with the platform’s RSA public key')
    .option('--kid <kid>', 'the key id its tokens name (default: the key’s RFC 7638 thumbprint)')
    .option('--courses <refs>', 'comma-separated course ids, paths or URLs it may read')
    .option('--institutions <ids>', 'comma-separated institution ids: it may read their courses')
    .option('--all-courses', 'it may read every course', false)
    .option('--issuer <url>', 'the iss its tokens carry (default: PUBLIC_URL/peerscholar)')
    .option('--audience <url>', 'the aud its tokens carry (default: PUBLIC_URL/peerscholar)')
    .option('--json', 'print JSON', false)
    .action(async (o: CreateOptions) => {
      if (!o.jwksUrl === !o.publicKeyFile) {
        process.stderr.write('learnhub: give exactly one of --jwks-url and --public-key-file.\n');
        process.exit(1);
      }
      let pem: string | undefined;
      if (o.publicKeyFile) {
        try {
          pem = readFileSync(o.publicKeyFile, 'utf8');
        } catch {
          process.stderr.write(`learnhub: cannot read ${o.publicKeyFile}.\n`);
          process.exit(1);
        }
      }
      const created = await admin(async (deps) =>
        createPlatform(deps, OPERATOR, {
          name: o.name,
          jwksUrl: o.jwksUrl,
          publicKeys: pem ? [{ pem, kid: o.kid }] : undefined,
          courseIds: await courseIds(deps, list(o.courses)),
          institutionIds: list(o.institutions),
          allCourses: o.allCourses,
          issuer: o.issuer,
          audience: o.audience,
        }),
      );
      const out = platformJson(created);
      if (o.json) return printJson(out);
      process.stdout.write(
        `platform ${out.name} (${out.id})\nkids ${out.kids.join(', ') || '(from JWKS)'}\niss/aud ${out.issuer}\nscope ${out.scope}\n`,
      );
    });
  platforms
    .command('list')
    .description('Registered platforms.')
    .option('--json', 'print JSON', false)
    .action(async (o: { json: boolean }) => {
      const rows = (await admin((deps) => listPlatforms(deps, OPERATOR))).map(platformJson);
      if (o.json) return printJson(rows);
      for (const p of rows)
        process.stdout.write(`${p.id}  ${p.enabled ? 'enabled ' : 'disabled'}  ${p.scope}  ${p.name}\n`);
    });
  for (const [name, enabled] of [
    ['enable', true],
    ['disable', false],
  ] as const) {
    platforms
      .command(name)
      .description(`${enabled ? 'Enable' : 'Disable'} a platform (takes effect on its next request).`)
      .requiredOption('--id <id>', 'the platform id')
      .action(async (o: { id: string }) => {
        await admin((deps) => setPlatformEnabled(deps, OPERATOR, o.id, enabled));
        process.stderr.write(`Platform ${o.id} ${enabled ? 'enabled' : 'disabled'}.\n`);
      });
  }
}
