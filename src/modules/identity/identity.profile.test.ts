import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/support/app.ts';
import { runCli } from '../../../test/support/cli.ts';
import { Browser } from '../../../test/support/web.ts';
import { createUser, type User } from './index.ts';

let t: TestApp;
let ada: User;
beforeAll(async () => {
  t = await buildTestApp();
  ada = await createUser(t.deps, {
    username: 'Ada',
    name: 'Ada <Lovelace>',
    email: 'ada@secret.example',
    password: 'analytical engine notes',
  });
});
afterAll(async () => {
  await t.close();
});

describe('public profiles', () => {
  it('returns the public profile by username or id, never the email', async () => {
    for (const ref of ['Ada', 'ada', ada.id]) {
      const res = await t.app.inject(`/api/v1/users/${ref}`);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({
        id: ada.id,
        username: 'Ada',
        name: 'Ada <Lovelace>',
        profile_url: 'http://hub.test/u/Ada',
        created_at: ada.createdAt.toISOString(),
      });
      expect(res.body).not.toContain('secret.example');
    }
  });

  it('answers an unknown user with a problem+json 404', async () => {
    const res = await t.app.inject('/api/v1/users/nobody');
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'identity.user_not_found' });
  });

  it('shows the profile page with name, username and member-since, escaped, without the email', async () => {
    const res = await t.app.inject('/u/Ada');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Ada &lt;Lovelace>');
    expect(res.body).not.toContain('<Lovelace>');
    expect(res.body).toContain('Member since');
    expect(res.body).toContain('id="badges"');
    expect(res.body).not.toContain('secret.example');
    const other = await t.app.inject('/u/ADA');
    expect(other.statusCode).toBe(301);
    expect(other.headers.location).toBe('/u/Ada');
    expect((await t.app.inject('/u/nobody')).statusCode).toBe(404);
  });

  it('lists the profile route in the OpenAPI document under the users tag', async () => {
    const doc = (await t.app.inject('/openapi.json')).json() as {
      paths: Record<string, { get?: { tags?: string[] } }>;
    };
    expect(doc.paths['/api/v1/users/{username}']?.get?.tags).toEqual(['users']);
  });

  it('has a home page with sign-in and sign-up links, and account links once signed in', async () => {
    const browser = new Browser(t.app);
    const home = await browser.get('/');
    expect(home.statusCode).toBe(200);
    expect(home.body).toContain('href="/login"');
    expect(home.body).toContain('href="/signup"');
    await browser.submit('/login', { email: 'ada@secret.example', password: 'analytical engine notes' });
    const mine = await browser.get('/');
    expect(mine.body).toContain('href="/account"');
    expect(mine.body).toContain('href="/u/Ada"');
  });
});

describe('learnhub users create', () => {
  it('creates a verified user and prints it as JSON with its profile URL; refuses a duplicate', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'learnhub-cli-'));
    const env = {
      DATABASE_URL: t.database.url,
      DATA_DIR: dataDir,
      SECRET_KEY: 'test-secret-key-test-secret-key-0123456789',
      PUBLIC_URL: 'https://hub.example',
    };
    const args = [
      'users',
      'create',
      '--email',
      'op@example.org',
      '--name',
      'Op Erator',
      '--username',
      'operator',
    ];
    try {
      const res = await runCli([...args, '--password', 'keeper of the hub keys', '--admin', '--json'], env);
      expect(res.stderr).toBe('');
      expect(res.code).toBe(0);
      const printed = JSON.parse(res.stdout) as Record<string, unknown>;
      expect(printed).toMatchObject({
        username: 'operator',
        name: 'Op Erator',
        email: 'op@example.org',
        email_verified: true,
        admin: true,
        profile_url: 'https://hub.example/u/operator',
      });
      const again = await runCli([...args, '--password', 'keeper of the hub keys', '--json'], env);
      expect(again.code).toBe(1);
      expect(again.stderr).toContain('identity.username_taken');
      const weak = await runCli(
        [
          'users',
          'create',
          '--email',
          'w@example.org',
          '--name',
          'W',
          '--username',
          'w1w',
          '--password',
          'short',
        ],
        env,
      );
      expect(weak.code).toBe(1);
      expect(weak.stderr).toContain('at least 10 characters');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
