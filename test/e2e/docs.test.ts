import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.ts';
import { createPool } from '../../src/db/client.ts';
import { createLogger } from '../../src/lib/logger.ts';
import { createApiToken } from '../../src/modules/admin/index.ts';
import { createInstitution } from '../../src/modules/courses/index.ts';
import { createKey, createProgram } from '../../src/modules/events/index.ts';
import { createUser } from '../../src/modules/identity/index.ts';
import { createApp } from '../../src/modules/oauth/index.ts';
import { createPlatform } from '../../src/modules/platforms/index.ts';
import { createDeps } from '../../src/runtime.ts';
import { basicAuth, codeOverHttp } from '../support/oidc.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

/**
 * Every `curl` in docs/*.md runs here, against a real hub, with real curl and bash, so the guides cannot drift
 * from the hub. The examples' conventions (docs/architecture.md, "Examples in the guides"):
 * - the hub is `https://hub.example.org`, `https://hub.example`, `$PUBLIC_URL` or `$HUB`;
 * - credentials are the placeholders below, provided by this test; an assignment whose value holds `…`
 *   (`export AUTH="ek_…:eks_…"`) is a placeholder and is not run; other assignments (`TOKEN=$(curl …)`) are;
 * - a block's commands run in order, in one shell per guide, so a later block may use an earlier one's result;
 * - a command may get a 4xx only if its own lines name that status (`# 409 …`, `→ 403`); never a 5xx.
 */
const DOCS = fileURLToPath(new URL('../../docs/', import.meta.url));
const SECRET_KEY = 'test-secret-key-test-secret-key-0123456789';
const HUB_HOSTS = /https:\/\/hub\.example(\.org)?/g;
const exec = promisify(execFile);

/**
 * Examples that do not yet run as written, each with why: excluded from the check (and listed by the test),
 * until the guide or the hub is fixed. An entry that no longer matches any command fails the test, so the
 * list only shrinks.
 */
const KNOWN_DRIFT: readonly { readonly guide: string; readonly match: string; readonly why: string }[] = [];

interface Command {
  readonly text: string;
  /** An assignment that is not a hub call (`TOKEN=$(node -e …)`): run, not checked. */
  readonly setup: boolean;
  /** The HTTP statuses the example itself announces (a documented refusal). */
  readonly announced: readonly number[];
}

/** The hub commands of one guide: fenced sh/bash/shell blocks, continuation lines joined. */
function hubCommands(markdown: string): Command[] {
  const out: Command[] = [];
  for (const block of markdown.matchAll(/```(?:sh|bash|shell)\n([\s\S]*?)```/g)) {
    const lines = (block[1] ?? '').replace(/\\\n\s*/g, ' ').split('\n');
    let open = '';
    for (const raw of lines) {
      // A comment outside a quote is skipped before quotes are counted: its apostrophe ("the app's") would
      // otherwise open a quote that swallows the rest of the block.
      if (!open && raw.trim().startsWith('#')) continue;
      // Multi-line quoted JSON bodies (-d '{ … }') continue until their quote closes.
      const line = open ? `${open}\n${raw}` : raw;
      if ((line.match(/'/g)?.length ?? 0) % 2 === 1) {
        open = line;
        continue;
      }
      open = '';
      const text = line.trim();
      if (text.startsWith('#') || text === '') continue;
      // A placeholder (`<slug>`, `…`) marks a shape to copy, not a command to run.
      const placeholder = /…|<[a-z][a-z _-]*>/i.test(text.replace(/#.*$/, ''));
      const hubCall = /\bcurl\b/.test(text) && /\$PUBLIC_URL|\$HUB|\$OL|hub\.example/.test(text);
      if (placeholder) continue;
      if (!hubCall) {
        // `VAR=value command` (`EVENT_RETENTION_DAYS=730 npx learnhub start`) is a command with an environment,
        // not an assignment: running it would start a second hub that never returns.
        const prefixed = /^(export )?[A-Z_]+=[^\s$"'(]*\s+[^#\s]/.test(text);
        if (/^(export )?[A-Z_]+=/.test(text) && !prefixed) out.push({ text, setup: true, announced: [] });
        continue;
      }
      const announced = [...text.matchAll(/(?:#|→)[^\n]*?\b([45]\d\d)\b/g)].map((m) => Number(m[1]));
      out.push({ text, setup: false, announced });
    }
  }
  return out;
}

let hub: TestServer;
let env: Record<string, string>;
const keyDir = mkdtempSync(path.join(tmpdir(), 'learnhub-docs-key-'));
const keyFile = path.join(keyDir, 'moodle-key.pem');

beforeAll(async () => {
  hub = await startTestServer({
    SECRET_KEY,
    INBOUND_EMAIL_SECRET: 'inbound-secret-inbound-secret-0123',
    BADGEKIT_MASTER_SECRET: 'docs-badgekit-master-secret-0123456789',
  });
  const logger = createLogger('silent');
  const pool = createPool(hub.database.url, logger, { max: 2 });
  const deps = createDeps(
    loadConfig({ DATABASE_URL: hub.database.url, SECRET_KEY, PUBLIC_URL: hub.url }),
    { pool },
    logger,
  );
  try {
    const password = 'correct horse battery staple';
    const ada = await createUser(deps, {
      username: 'ada',
      name: 'Ada',
      email: 'ada@example.org',
      password,
      emailVerified: true,
    });
    // openlearning.md makes the seed's example3@email.com a course admin: an existing account, as the seed says.
    await createUser(deps, {
      username: 'example3',
      name: 'Example Three',
      email: 'example3@email.com',
      password,
      emailVerified: true,
    });
    // The guides' people: ada (owner, student) and alice (a recipient).
    await createUser(deps, {
      username: 'alice',
      name: 'Alice',
      email: 'alice@example.org',
      password,
      emailVerified: true,
    });
    const app = await createApp(deps, {
      name: 'Open MOOC',
      redirectUris: ['https://mooc.example/auth/callback'],
      replyUrl: 'https://mooc.example/replies',
      ownerUserId: ada.id,
    });
    await createProgram(deps, { id: 'FOO', name: 'Foo' });
    await createProgram(deps, { id: 'BAR', name: 'Bar' });
    const key = await createKey(deps, { programId: 'FOO', name: 'docs' });
    const institution = await createInstitution(deps, {
      path: 'myInstitute',
      name: 'My Institute',
      generateAccounts: true,
    });
    const operator = await createApiToken(deps, { name: 'docs', admin: true, expiresInDays: 1 });
    // peerscholar.md signs a platform token with the platform's private key (KEY_FILE): register its pair.
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    writeFileSync(keyFile, pair.privateKey.export({ type: 'pkcs8', format: 'pem' }));
    await createPlatform(
      deps,
      { kind: 'operator', tokenId: 'docs', admin: true },
      {
        name: 'Moodle',
        publicKeys: [
          { pem: String(pair.publicKey.export({ type: 'spki', format: 'pem' })), kid: 'moodle-2026' },
        ],
        allCourses: true,
      },
    );
    env = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      PUBLIC_URL: hub.url,
      HUB: hub.url,
      CLIENT_ID: app.app.clientId,
      CLIENT_SECRET: app.clientSecret,
      AUTH: `${key.user_id}:${key.api_key}`,
      USERNAME: institution.apiUsername,
      PASSWORD: institution.apiPassword,
      ADA_PASSWORD: password,
      LEARNHUB_OPERATOR_TOKEN: operator.token,
      INBOUND_EMAIL_SECRET: 'inbound-secret-inbound-secret-0123',
      HOOK_SECRET: 'hook-secret-0123456789',
      OL: `${hub.url}/openlearning`,
      STUDENT_EMAIL: 'ada@example.org',
      STUDENT_PASSWORD: password,
      BADGEKIT_MASTER_SECRET: 'docs-badgekit-master-secret-0123456789',
      KEY_FILE: keyFile,
    };
  } finally {
    await pool.end();
  }
  // The guides' code-flow examples need what only a browser sign-in gives: a fresh code and its verifier
  // (integrating.md exchanges it), and alice's tokens. Alice and ada connect the app for real, over HTTP,
  // so the examples that need a connected person (messages, activities, badge awards) run as written.
  const flow = {
    base: hub.url,
    password: 'correct horse battery staple',
    clientId: env.CLIENT_ID ?? '',
    redirectUri: 'https://mooc.example/auth/callback',
  };
  const full = 'openid profile email offline_access notifications activities:publish badges:award';
  await codeOverHttp({ ...flow, email: 'ada@example.org', scope: full, prompt: 'consent' });
  const first = await codeOverHttp({ ...flow, email: 'alice@example.org', scope: full, prompt: 'consent' });
  const exchanged = await fetch(`${hub.url}/oidc/token`, {
    method: 'POST',
    headers: {
      authorization: basicAuth(env.CLIENT_ID ?? '', env.CLIENT_SECRET ?? ''),
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code: first.code,
      redirect_uri: flow.redirectUri,
      code_verifier: first.verifier,
    }),
  });
  const tokens = (await exchanged.json()) as { access_token?: string; refresh_token?: string };
  if (!tokens.access_token || !tokens.refresh_token) throw new Error(`no tokens: ${JSON.stringify(tokens)}`);
  const second = await codeOverHttp({ ...flow, email: 'alice@example.org', scope: 'openid profile' });
  Object.assign(env, {
    CODE: second.code,
    VERIFIER: second.verifier,
    ACCESS_TOKEN: tokens.access_token,
    REFRESH_TOKEN: tokens.refresh_token,
  });
}, 120_000);
afterAll(async () => {
  await hub.close();
  rmSync(keyDir, { recursive: true, force: true });
});

/** Runs a guide's commands in one bash; curl reports each status on stderr as `DOCS-STATUS <n> <code>`. */
async function runGuide(commands: readonly Command[]): Promise<Map<number, number[]>> {
  const dir = mkdtempSync(path.join(tmpdir(), 'learnhub-docs-'));
  const script = [
    'curl() { command curl -sS --max-time 20 -w "%{stderr}DOCS-STATUS $DOCS_N %{http_code}\\n" "$@"; }',
    ...commands.map((c, i) => `DOCS_N=${i}\n${c.text.replace(HUB_HOSTS, hub.url)} >/dev/null || true`),
  ].join('\n');
  writeFileSync(path.join(dir, 'guide.sh'), script);
  try {
    // From the repository, so that `node -e "import('jose')…"` in a guide finds the package.
    const cwd = fileURLToPath(new URL('../..', import.meta.url));
    const { stderr } = await exec('bash', [path.join(dir, 'guide.sh')], { cwd, env, timeout: 240_000 }).catch(
      (error: { stderr?: string }) => ({ stderr: error.stderr ?? '' }),
    );
    const statuses = new Map<number, number[]>();
    for (const m of stderr.matchAll(/DOCS-STATUS (\d+) (\d+)/g)) {
      const n = Number(m[1]);
      statuses.set(n, [...(statuses.get(n) ?? []), Number(m[2])]);
    }
    return statuses;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const guides = readdirSync(DOCS).filter((f) => f.endsWith('.md'));

describe('every curl in docs/ against a real hub', () => {
  it('finds the guides’ hub commands', () => {
    const all = guides.flatMap((g) => hubCommands(readFileSync(path.join(DOCS, g), 'utf8')));
    expect(all.length).toBeGreaterThan(30);
  });

  for (const guide of guides) {
    const commands = hubCommands(readFileSync(path.join(DOCS, guide), 'utf8'));
    if (commands.length === 0) continue;
    it(`runs docs/${guide}: every command reaches the hub, no 5xx, no refusal it does not announce`, async () => {
      const statuses = await runGuide(commands);
      const drift = KNOWN_DRIFT.filter((d) => d.guide === guide);
      for (const d of drift)
        expect(
          commands.some((c) => c.text.includes(d.match)),
          d.match,
        ).toBe(true);
      const failures = commands.flatMap((c, i) => {
        if (c.setup || drift.some((d) => c.text.includes(d.match))) return [];
        const got = statuses.get(i) ?? [0];
        const bad = got.filter((s) => s === 0 || s >= 500 || (s >= 400 && !c.announced.includes(s)));
        return bad.length > 0 ? [`${bad.join(',')} ← ${c.text.slice(0, 160)}`] : [];
      });
      expect(failures).toEqual([]);
    }, 300_000);
  }
});
