import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/support/app.ts';
import { createConsumer } from '../../modules/badges/index.ts';
import { bk, MASTER, seedContainers, token } from './badgekit.testing.ts';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp({ env: { BADGEKIT_MASTER_SECRET: MASTER } });
  await seedContainers(t);
  await bk(t, 'POST', '/systems', { slug: 'other', name: 'Other', url: 'https://other.example.org' });
});
afterAll(() => t.close());

const unsignedNone = (claims: Record<string, unknown>) =>
  `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.`;

async function raw(authorization: string | undefined, method = 'GET', url = '/systems', payload?: string) {
  const r = await t.app.inject({
    method: method as 'GET',
    url: `/badgekit${url}`,
    headers: { ...(authorization ? { authorization } : {}), 'content-type': 'application/json' },
    ...(payload === undefined ? {} : { payload }),
  });
  return { status: r.statusCode, body: r.json() };
}

const refused = (message: string) => ({ status: 403, body: { code: 'NotAuthorized', message } });

describe('BadgeKit JWT auth', () => {
  it('refuses a request without the JWT header', async () => {
    expect(await raw(undefined)).toEqual(refused('Missing valid Authorization header'));
    expect(await raw('Bearer abc')).toEqual(refused('Missing valid Authorization header'));
  });

  it('refuses garbage that is not a JWS with 403, not 500', async () => {
    expect(await raw('JWT token="not-a-jwt"')).toEqual(refused('Could not decode JWT'));
  });

  it('refuses an unsigned alg:none token even with key master', async () => {
    const jwt = unsignedNone({ key: 'master', method: 'GET', path: '/systems' });
    const r = await raw(`JWT token="${jwt}"`);
    expect(r.status).toBe(403);
    expect(r.body.message).toContain('only HS256');
  });

  it('refuses HS512 even when signed with the right secret', async () => {
    const r = await bk(t, 'GET', '/systems', undefined, { alg: 'HS512' });
    expect(r.status).toBe(403);
    expect(r.body.message).toContain('only HS256');
  });

  it('refuses a token signed with the wrong secret', async () => {
    const r = await bk(t, 'GET', '/systems', undefined, {
      secret: 'wrong-secret-wrong-secret-wrong-secret!',
    });
    expect(r).toMatchObject(refused('Invalid token signature'));
  });

  it('refuses a token for another method or path, naming both', async () => {
    expect(await bk(t, 'GET', '/systems', undefined, { method: 'POST' })).toMatchObject(
      refused('`method` does not match: using "POST" token for "GET" request'),
    );
    expect(await bk(t, 'GET', '/systems', undefined, { path: '/systems/chicago' })).toMatchObject(
      refused('`path` does not match: trying to use token for "/systems/chicago" on "/systems"'),
    );
  });

  it('covers the query string in the path claim', async () => {
    const jwt = await token('GET', '/systems', undefined);
    expect((await raw(`JWT token="${jwt}"`, 'GET', '/systems?page=1&count=1')).status).toBe(403);
  });

  it('accepts the path with the /badgekit prefix as the official client signs it', async () => {
    const r = await bk(t, 'GET', '/systems', undefined, { path: '/badgekit/systems' });
    expect(r.status).toBe(200);
  });

  it('refuses an expired token and accepts a millisecond exp', async () => {
    const past = Math.floor(Date.now() / 1000) - 10;
    const r = await bk(t, 'GET', '/systems', undefined, { exp: past });
    expect(r.status).toBe(403);
    expect(String(r.body.message)).toMatch(/^Token is expired \(token expiry: \d+, server time: \d+$/);
    expect((await bk(t, 'GET', '/systems', undefined, { exp: Date.now() + 60_000 })).status).toBe(200);
  });

  it('refuses a body whose hash does not match, and a missing body claim, changing nothing', async () => {
    const sys = { slug: 'hashy', name: 'H', url: 'https://h.example.org' };
    const r = await bk(t, 'POST', '/systems', sys, { body: '{"slug":"other"}' });
    expect(r.status).toBe(403);
    expect(String(r.body.message)).toMatch(
      /^Computed hash does not match given hash: [0-9a-f]{64} != [0-9a-f]{64}$/,
    );
    const jwt = await token('POST', '/systems', undefined);
    expect(await raw(`JWT token="${jwt}"`, 'POST', '/systems', JSON.stringify(sys))).toEqual(
      refused('Missing JWT claim: body'),
    );
    expect((await bk(t, 'GET', '/systems/hashy')).status).toBe(404);
  });

  it('refuses tokens missing a required claim', async () => {
    expect(await bk(t, 'GET', '/systems', undefined, { omit: ['method'] })).toMatchObject(
      refused('Missing JWT claim: method'),
    );
    expect(await bk(t, 'GET', '/systems', undefined, { omit: ['path'] })).toMatchObject(
      refused('Missing JWT claim: path'),
    );
    expect(await bk(t, 'GET', '/systems', undefined, { omit: ['key'] })).toMatchObject(
      refused('Missing JWT claim: key'),
    );
  });

  it('lets a consumer key work on its own system only', async () => {
    const c = await createConsumer(t.deps, 'chicago', 'site');
    const own = await bk(t, 'GET', '/systems/chicago/badges', undefined, {
      key: c.api_key,
      secret: c.api_secret,
    });
    expect(own.status).toBe(200);
    const other = await bk(t, 'GET', '/systems/other/badges', undefined, {
      key: c.api_key,
      secret: c.api_secret,
    });
    expect(other).toMatchObject(refused('Invalid token for system'));
    const all = await bk(t, 'GET', '/systems', undefined, { key: c.api_key, secret: c.api_secret });
    expect(all).toMatchObject(refused('Invalid token for system'));
    const forged = await bk(t, 'GET', '/systems/chicago/badges', undefined, {
      key: c.api_key,
      secret: MASTER,
    });
    expect(forged).toMatchObject(refused('Invalid token signature'));
    const unknown = await bk(t, 'GET', '/systems/chicago/badges', undefined, { key: 'nope', secret: MASTER });
    expect(unknown).toMatchObject(refused('Could not find consumer for API key'));
  });

  it('answers 415 for an unsupported content type', async () => {
    const body = 'x=1';
    const jwt = await token('POST', '/systems', body);
    const r = await t.app.inject({
      method: 'POST',
      url: '/badgekit/systems',
      headers: { authorization: `JWT token="${jwt}"`, 'content-type': 'text/plain' },
      payload: body,
    });
    expect(r.statusCode).toBe(415);
    expect(r.json()).toEqual({ code: 'UnsupportedMediaTypeError', message: 'text/plain' });
  });
});

describe('BadgeKit JWT reuse (verified tokens are remembered briefly)', () => {
  it('checks a reused token against every request: same URL again, not another path or method', async () => {
    const jwt = await token('GET', '/systems/chicago/badges', undefined);
    expect((await raw(`JWT token="${jwt}"`, 'GET', '/systems/chicago/badges')).status).toBe(200);
    expect((await raw(`JWT token="${jwt}"`, 'GET', '/systems/chicago/badges')).status).toBe(200);
    expect(await raw(`JWT token="${jwt}"`, 'GET', '/systems/other/badges')).toEqual(
      refused(
        '`path` does not match: trying to use token for "/systems/chicago/badges" on "/systems/other/badges"',
      ),
    );
    expect(await raw(`JWT token="${jwt}"`, 'POST', '/systems/chicago/badges')).toEqual(
      refused('`method` does not match: using "GET" token for "POST" request'),
    );
  });

  it('refuses a remembered token once it has expired, and under another secret', async () => {
    const exp = Math.floor(Date.now() / 1000) + 3600;
    const jwt = await token('GET', '/systems', undefined, { exp });
    expect((await raw(`JWT token="${jwt}"`)).status).toBe(200);
    const later = await buildTestApp({
      env: { BADGEKIT_MASTER_SECRET: MASTER },
      clock: { now: () => new Date(Date.now() + 2 * 3_600_000) },
    });
    const other = await buildTestApp({ env: { BADGEKIT_MASTER_SECRET: `${MASTER}-rotated` } });
    try {
      const at = (app: TestApp) =>
        app.app.inject({ url: '/badgekit/systems', headers: { authorization: `JWT token="${jwt}"` } });
      const expired = await at(later);
      expect(expired.statusCode).toBe(403);
      expect(expired.json().message).toMatch(/^Token is expired/);
      const rotated = await at(other);
      expect(rotated.json()).toEqual({ code: 'NotAuthorized', message: 'Invalid token signature' });
    } finally {
      await Promise.all([later.close(), other.close()]);
    }
  });
});

describe('BadgeKit master secret disabled', () => {
  it('refuses master tokens when BADGEKIT_MASTER_SECRET is unset', async () => {
    const off = await buildTestApp();
    try {
      const r = await bk(off, 'GET', '/systems');
      expect(r).toMatchObject(refused('Invalid token signature'));
    } finally {
      await off.close();
    }
  });
});
