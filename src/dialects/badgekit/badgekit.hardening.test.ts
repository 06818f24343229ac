import { createHash } from 'node:crypto';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/support/app.ts';
import { badgeInput, bk, MASTER, seedContainers } from './badgekit.testing.ts';

// Defects 2-5 of issue 15: inputs that answered 500, or were accepted, on the BadgeKit dialect.
let t: TestApp;

beforeAll(async () => {
  t = await buildTestApp({ env: { BADGEKIT_MASTER_SECRET: MASTER } });
  await seedContainers(t);
});
afterAll(async () => {
  await t.close();
});

/** Signs any claims (objects included) as HS256 and sends them with a JSON body. */
async function send(claims: Record<string, unknown>, secret = MASTER, body?: string) {
  const jwt = await new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .sign(new TextEncoder().encode(secret));
  const method = body === undefined ? 'GET' : 'POST';
  return t.app.inject({
    method,
    url: '/badgekit/systems',
    headers: { authorization: `JWT token="${jwt}"`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { payload: body }),
  });
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const valid = { key: 'master', method: 'GET', path: '/systems', exp: Date.now() + 60_000 };
const objectClaim = { toString: 1 };

async function systemCount() {
  const res = await t.deps.pool.query<{ n: number }>('select count(*)::int as n from badge_systems');
  return res.rows[0]?.n;
}

describe('BadgeKit JWT claims', () => {
  it('refuses object-valued claims with 403 without knowing the secret', async () => {
    for (const name of ['key', 'method', 'path', 'exp']) {
      const res = await send({ ...valid, [name]: objectClaim }, 'not-the-secret');
      expect(res.statusCode, name).toBe(403);
      expect(res.json(), name).toMatchObject({ code: 'NotAuthorized' });
    }
    const body = '{"slug":"x"}';
    for (const claim of [
      { alg: objectClaim, hash: sha256(body) },
      { alg: 'sha256', hash: objectClaim },
      [],
    ]) {
      const res = await send({ ...valid, method: 'POST', body: claim }, 'not-the-secret', body);
      expect(res.statusCode).toBe(403);
      expect(res.json()).toMatchObject({ code: 'NotAuthorized' });
    }
  });

  it('checks the signature before any other claim', async () => {
    const res = await send({ ...valid, method: 'DELETE' }, 'not-the-secret');
    expect(res.json()).toEqual({ code: 'NotAuthorized', message: 'Invalid token signature' });
  });

  it('refuses object-valued claims even when correctly signed, naming the claim', async () => {
    const res = await send({ ...valid, method: objectClaim });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toEqual({
      code: 'NotAuthorized',
      message: 'Invalid JWT claim: method must be a string',
    });
  });

  it('refuses a non-numeric exp such as "never"', async () => {
    const res = await send({ ...valid, exp: 'never' });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toEqual({ code: 'NotAuthorized', message: 'Invalid JWT claim: exp must be a number' });
  });

  it('refuses body hashes outside the SHA-2 family, storing nothing', async () => {
    const body = JSON.stringify({
      slug: 'md5sys',
      name: 'M',
      url: 'https://m.example',
      email: 'a@m.example',
    });
    const before = await systemCount();
    for (const alg of ['md5', 'sha1', 'MD5']) {
      const hash = createHash(alg.toLowerCase()).update(body).digest('hex');
      const res = await send({ ...valid, method: 'POST', body: { alg, hash } }, MASTER, body);
      expect(res.statusCode, alg).toBe(403);
      expect(res.json().message, alg).toMatch(/unsupported algorithm/);
    }
    expect(await systemCount()).toBe(before);
    const ok = await send({ ...valid, method: 'POST', body: { alg: 'sha512', hash: '' } }, MASTER, body);
    expect(ok.json().message).toMatch(/^Computed hash does not match/);
  });
});

describe('BadgeKit inputs that answered 500', () => {
  it('answers an unknown public image with a BadgeKit 404', async () => {
    const res = await t.app.inject({ url: '/badgekit/public/images/no-such-image' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ code: 'ResourceNotFound', message: 'Could not find image' });
  });

  it('refuses a malformed percent-encoded data: image with a validation error', async () => {
    const r = await bk(
      t,
      'POST',
      '/systems/chicago/badges',
      badgeInput({ slug: 'bad', image: 'data:,%E0%A4%A' }),
    );
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ code: 'ValidationError', details: [{ field: 'image' }] });
    const missing = await bk(t, 'GET', '/systems/chicago/badges/bad');
    expect(missing.status).toBe(404);
  });
});
