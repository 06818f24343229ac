import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/support/app.ts';
import { runCli } from '../../../test/support/cli.ts';
import { ManualClock } from '../../lib/runtime.ts';
import { KEY_OVERLAP_MS } from './lti.keys.ts';

let hub: TestApp;
let admin: string;
const clock = new ManualClock(new Date());

const body = (extra: Record<string, unknown> = {}) => ({
  issuer: 'https://lms.example.edu',
  client_id: 'client-1',
  deployment_ids: ['d1', 'd2'],
  auth_endpoint: 'https://lms.example.edu/auth',
  token_endpoint: 'https://lms.example.edu/token',
  jwks_url: 'https://lms.example.edu/jwks',
  ...extra,
});

beforeAll(async () => {
  hub = await buildTestApp({ clock });
  admin = await hub.operatorToken();
});
afterAll(async () => {
  await hub.close();
});

const call = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown, token = admin) =>
  hub.app.inject({
    method,
    url,
    headers: token ? { authorization: `Bearer ${token}` } : {},
    ...(payload ? { payload } : {}),
  });

describe('platform registrations (admin API)', () => {
  it('registers a platform and shows the tool URLs to enter in the LMS', async () => {
    const res = await call('POST', '/api/v1/lti/platforms', body({ name: 'Moodle at Example' }));
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      name: 'Moodle at Example',
      issuer: 'https://lms.example.edu',
      client_id: 'client-1',
      deployment_ids: ['d1', 'd2'],
      auto_create_courses: false,
      link_by_email: false,
      tool: {
        login_url: 'http://hub.test/lti/login',
        launch_url: 'http://hub.test/lti/launch',
        jwks_url: 'http://hub.test/lti/jwks',
        registration_url: 'http://hub.test/lti/register',
      },
    });
  });

  it('refuses a second registration of the same issuer and client id (409), bad URLs (400), non-operators (403, 401)', async () => {
    expect((await call('POST', '/api/v1/lti/platforms', body())).statusCode).toBe(409);
    const bad = await call(
      'POST',
      '/api/v1/lti/platforms',
      body({ client_id: 'c2', jwks_url: 'ftp://x/jwks' }),
    );
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'lti.invalid' });
    const missing = await call('POST', '/api/v1/lti/platforms', {
      ...body({ client_id: 'c3' }),
      jwks_url: undefined,
    });
    expect(missing.statusCode).toBe(400);
    const weak = await hub.operatorToken({ admin: false });
    expect((await call('POST', '/api/v1/lti/platforms', body({ client_id: 'c4' }), weak)).statusCode).toBe(
      403,
    );
    expect((await call('GET', '/api/v1/lti/platforms', undefined, '')).statusCode).toBe(401);
    const list = await call('GET', '/api/v1/lti/platforms');
    expect(list.json().data).toHaveLength(1);
  });

  it('pages the list, changes a registration and removes it', async () => {
    await call('POST', '/api/v1/lti/platforms', body({ client_id: 'client-2' }));
    const page1 = await call('GET', '/api/v1/lti/platforms?limit=1');
    expect(page1.json().data).toHaveLength(1);
    const cursor = page1.json().next_cursor as string;
    const page2 = await call('GET', `/api/v1/lti/platforms?limit=1&cursor=${cursor}`);
    expect(page2.json().data).toHaveLength(1);
    expect(page2.json().next_cursor).toBeNull();
    const id = page2.json().data[0].id as string;
    const patched = await call('PATCH', `/api/v1/lti/platforms/${id}`, {
      deployment_ids: ['d9'],
      auto_create_courses: true,
    });
    expect(patched.json()).toMatchObject({ deployment_ids: ['d9'], auto_create_courses: true });
    expect((await call('PATCH', `/api/v1/lti/platforms/${id}`, { issuer: 'https://x' })).statusCode).toBe(
      400,
    );
    expect((await call('DELETE', `/api/v1/lti/platforms/${id}`)).statusCode).toBe(204);
    expect((await call('GET', `/api/v1/lti/platforms/${id}`)).statusCode).toBe(404);
  });
});

describe('tool keys', () => {
  it('publishes one RS256 key with a kid; a rotation signs with the new key and keeps the old one published for a day', async () => {
    const first = (await hub.app.inject({ method: 'GET', url: '/lti/jwks' })).json() as {
      keys: Record<string, string>[];
    };
    expect(first.keys).toHaveLength(1);
    expect(first.keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
    expect(first.keys[0]).not.toHaveProperty('d');
    const oldKid = first.keys[0]?.kid;
    const rotated = await call('POST', '/api/v1/lti/keys/rotate');
    expect(rotated.statusCode).toBe(201);
    const newKid = rotated.json().kid as string;
    const both = (await hub.app.inject({ method: 'GET', url: '/lti/jwks' })).json() as {
      keys: { kid: string }[];
    };
    expect(both.keys.map((k) => k.kid).sort()).toEqual([oldKid, newKid].sort());
    const listed = (await call('GET', '/api/v1/lti/keys')).json().data as {
      kid: string;
      retired_at: string | null;
    }[];
    expect(listed.find((k) => k.kid === oldKid)?.retired_at).not.toBeNull();
    clock.advance(KEY_OVERLAP_MS + 60_000);
    const after = (await hub.app.inject({ method: 'GET', url: '/lti/jwks' })).json() as {
      keys: { kid: string }[];
    };
    expect(after.keys.map((k) => k.kid)).toEqual([newKid]);
    clock.set(new Date());
  });
});

describe('CLI', () => {
  it('`learnhub lti platforms create --json` registers a platform and prints it with the tool URLs', async () => {
    const env = {
      DATABASE_URL: hub.database.url,
      SECRET_KEY: 'test-secret-key-test-secret-key-0123456789',
      PUBLIC_URL: 'http://hub.test',
      LOG_LEVEL: 'warn',
    };
    const args = [
      'lti',
      'platforms',
      'create',
      '--issuer',
      'https://canvas.example',
      '--client-id',
      '10000000000001',
    ];
    const res = await runCli(
      [
        ...args,
        '--deployment-id',
        'd-1',
        '--deployment-id',
        'd-2',
        '--auth-endpoint',
        'https://canvas.example/auth',
        '--token-endpoint',
        'https://canvas.example/token',
        '--jwks-url',
        'https://canvas.example/jwks',
        '--auto-create-courses',
        '--json',
      ],
      env,
    );
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout)).toMatchObject({
      issuer: 'https://canvas.example',
      deployment_ids: ['d-1', 'd-2'],
      auto_create_courses: true,
      tool: { login_url: 'http://hub.test/lti/login' },
    });
    const dup = await runCli(
      [
        ...args,
        '--auth-endpoint',
        'https://canvas.example/auth',
        '--token-endpoint',
        'https://canvas.example/token',
        '--jwks-url',
        'https://canvas.example/jwks',
      ],
      env,
    );
    expect(dup.code).toBe(1);
    expect(dup.stderr).toContain('already exists');
  }, 120_000);
});
