import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/support/app.ts';
import { createProgram } from '../../modules/events/index.ts';

let t: TestApp;
let auth: string;

beforeAll(async () => {
  t = await buildTestApp();
  const key = await createProgram(t.deps, { id: 'LRS', name: 'An LRS program' });
  auth = `Basic ${Buffer.from(`${key.user_id}:${key.api_key}`).toString('base64')}`;
});
afterAll(async () => {
  await t.close();
});

const V = { 'x-experience-api-version': '1.0.3' };

describe('xAPI wire: about, versions, CORS, credentials', () => {
  it('XAPI-00315, XAPI-00318, XAPI-00319: GET /about answers without credentials or version header, listing the versions', async () => {
    const res = await t.app.inject({ url: '/xapi/about' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ version: ['1.0.0', '1.0.1', '1.0.2', '1.0.3', '2.0.0'], extensions: {} });
    expect(res.headers['x-experience-api-version']).toBe('2.0.0');
  });

  it('XAPI-00331: refuses a request without X-Experience-API-Version with 400 naming the header', async () => {
    const res = await t.app.inject({ url: '/xapi/statements', headers: { authorization: auth } });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'xapi.version' });
    expect(res.json().message).toMatch(/X-Experience-API-Version/);
  });

  it('XAPI-00331: refuses an unsupported version (0.9, 1.1.0, 3.0.0) with 400', async () => {
    for (const v of ['0.9', '1.1.0', '3.0.0', 'banana']) {
      const res = await t.app.inject({
        url: '/xapi/statements',
        headers: { authorization: auth, 'x-experience-api-version': v },
      });
      expect(res.statusCode, v).toBe(400);
    }
  });

  it('XAPI-00333: answers 1.0.x requests as 1.0.3 and 2.0 requests as 2.0.0, also on errors', async () => {
    const old = await t.app.inject({
      url: '/xapi/statements',
      headers: { authorization: auth, 'x-experience-api-version': '1.0.1' },
    });
    expect(old.headers['x-experience-api-version']).toBe('1.0.3');
    const missing = await t.app.inject({
      url: '/xapi/nothing-here',
      headers: { 'x-experience-api-version': '2.0.0' },
    });
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['x-experience-api-version']).toBe('2.0.0');
  });

  it('refuses missing or wrong credentials with 401 and a Basic challenge', async () => {
    const none = await t.app.inject({ url: '/xapi/statements', headers: V });
    expect(none.statusCode).toBe(401);
    expect(none.headers['www-authenticate']).toBe('Basic realm="xapi"');
    const wrong = await t.app.inject({
      url: '/xapi/statements',
      headers: {
        ...V,
        authorization: `Basic ${Buffer.from('ek_0123456789abcdef:eks_nope').toString('base64')}`,
      },
    });
    expect(wrong.statusCode).toBe(401);
  });

  it('answers a CORS preflight with the methods and headers a browser LRS client needs', async () => {
    const res = await t.app.inject({
      method: 'OPTIONS',
      url: '/xapi/statements',
      headers: {
        origin: 'https://player.example',
        'access-control-request-method': 'PUT',
        'access-control-request-headers': 'authorization, x-experience-api-version, content-type',
      },
    });
    expect(res.statusCode).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe('https://player.example');
    expect(String(res.headers['access-control-allow-headers'])).toMatch(/X-Experience-API-Version/);
    expect(String(res.headers['access-control-allow-methods'])).toMatch(/PUT/);
    const get = await t.app.inject({
      url: '/xapi/statements',
      headers: { ...V, authorization: auth, origin: 'https://player.example' },
    });
    expect(String(get.headers['access-control-expose-headers'])).toMatch(
      /ETag.*Last-Modified.*X-Experience-API-Consistent-Through.*X-Experience-API-Version/,
    );
  });
});

describe('xAPI alternate request syntax (XAPI-00336)', () => {
  const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

  it('XAPI-00148: a POST with method=GET and the headers in the form is answered as the GET', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/xapi/statements?method=GET',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: form({ Authorization: auth, 'X-Experience-API-Version': '1.0.3' }),
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toHaveProperty('statements');
    expect(res.headers['x-experience-api-version']).toBe('1.0.3');
  });

  it('refuses other query parameters beside method with 400 (Communication 1.3.s3.b4)', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/xapi/statements?method=GET&limit=1',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: form({ Authorization: auth, 'X-Experience-API-Version': '1.0.3' }),
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(/^limit:/);
  });

  it('refuses the syntax under xAPI 2.0 and a method it does not know', async () => {
    const two = await t.app.inject({
      method: 'POST',
      url: '/xapi/statements?method=GET',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: form({ Authorization: auth, 'X-Experience-API-Version': '2.0.0' }),
    });
    expect(two.statusCode).toBe(400);
    const bad = await t.app.inject({
      method: 'POST',
      url: '/xapi/statements?method=PATCH',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: form({ Authorization: auth, 'X-Experience-API-Version': '1.0.3' }),
    });
    expect(bad.statusCode).toBe(400);
  });

  it('checks the credentials carried in the form', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/xapi/statements?method=GET',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: form({ 'X-Experience-API-Version': '1.0.3' }),
    });
    expect(res.statusCode).toBe(401);
  });
});
