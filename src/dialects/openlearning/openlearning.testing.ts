import type { TestApp } from '../../../test/support/app.ts';
import { runCli } from '../../../test/support/cli.ts';

/** Helpers for the OpenLearning dialect tests (not a test file itself). */

export interface InstitutionCreds {
  institution: { id: string; path: string; name: string };
  shared_secret: string;
  api_username: string;
  api_password: string;
}

export function cliEnv(t: TestApp): Record<string, string> {
  return {
    DATABASE_URL: t.database.url,
    SECRET_KEY: 'test-secret-key-test-secret-key-0123456789',
    LOG_LEVEL: 'warn',
    PUBLIC_URL: 'http://hub.test',
  };
}

/** `npx learnhub institutions create --path ... --name ... --json`, as an operator runs it. */
export async function createInstitutionByCli(
  t: TestApp,
  path: string,
  name: string,
): Promise<InstitutionCreds> {
  const res = await runCli(['institutions', 'create', '--path', path, '--name', name, '--json'], cliEnv(t));
  if (res.code !== 0) throw new Error(`institutions create failed: ${res.stderr}`);
  return JSON.parse(res.stdout) as InstitutionCreds;
}

export function basic(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}

/** curl -u USER:PASS URL -d a=b -d c=d : a form POST. */
export function curl(t: TestApp, authorization: string, url: string, form?: Record<string, string>) {
  return t.app.inject({
    method: form ? 'POST' : 'GET',
    url,
    headers: {
      authorization,
      ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
    },
    ...(form ? { payload: new URLSearchParams(form).toString() } : {}),
  });
}
