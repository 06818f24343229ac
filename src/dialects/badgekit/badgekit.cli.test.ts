import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/support/app.ts';
import { runCli } from '../../../test/support/cli.ts';
import { bk } from './badgekit.testing.ts';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

const env = () => ({
  DATABASE_URL: t.database.url,
  SECRET_KEY: 'test-secret-key-test-secret-key-0123456789',
  PUBLIC_URL: 'http://hub.test',
  LOG_LEVEL: 'warn',
});

describe('learnhub badgekit', () => {
  it('creates a system and a consumer key that signs BadgeKit requests', async () => {
    const sys = await runCli(
      ['badgekit', 'systems', 'create', '--slug', 'cli', '--name', 'CLI system', '--json'],
      env(),
    );
    expect(sys.code).toBe(0);
    expect(JSON.parse(sys.stdout)).toMatchObject({
      slug: 'cli',
      name: 'CLI system',
      url: 'http://hub.test',
      issuers: [],
    });
    const c = await runCli(['badgekit', 'consumers', 'create', '--system', 'cli', '--json'], env());
    const consumer = JSON.parse(c.stdout) as { api_key: string; api_secret: string };
    const r = await bk(t, 'GET', '/systems/cli', undefined, {
      key: consumer.api_key,
      secret: consumer.api_secret,
    });
    expect(r.status).toBe(200);
    expect(r.body.system).toMatchObject({ slug: 'cli' });
  }, 60_000);

  it('exits 1 on a duplicate slug and names the problem', async () => {
    const dup = await runCli(
      ['badgekit', 'systems', 'create', '--slug', 'cli', '--name', 'Again', '--json'],
      env(),
    );
    expect(dup.code).toBe(1);
    expect(dup.stderr).toContain('already exists');
  }, 60_000);
});
