import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/support/app.ts';
import { runCli } from '../../../test/support/cli.ts';
import { basicAuth, oauthWorld } from '../../../test/support/oidc.ts';
import { formOf } from '../../../test/support/web.ts';

let t: TestApp;
let w: Awaited<ReturnType<typeof oauthWorld>>;
let operator: string;

beforeAll(async () => {
  t = await buildTestApp();
  w = await oauthWorld(t);
  operator = `Bearer ${await t.operatorToken()}`;
});
afterAll(async () => {
  await t.close();
});

function api(
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  url: string,
  payload?: object,
  authorization = operator,
) {
  return t.app.inject({ method, url, headers: { authorization }, ...(payload ? { payload } : {}) });
}

function clientCredentials(clientId: string, secret: string) {
  return t.app.inject({
    method: 'POST',
    url: '/oidc/token',
    headers: {
      authorization: basicAuth(clientId, secret),
      'content-type': 'application/x-www-form-urlencoded',
    },
    payload: 'grant_type=client_credentials',
  });
}

async function appCount(): Promise<number> {
  const { rows } = await t.deps.pool.query<{ n: string }>('select count(*) as n from oauth_apps');
  return Number(rows[0]?.n ?? 0);
}

describe('/api/v1/apps', () => {
  it('registers an app for a named owner and shows the secret once', async () => {
    const res = await api('POST', '/api/v1/apps', {
      name: 'Study Group',
      redirect_uris: ['https://study.example/cb', 'http://127.0.0.1:8080/cb'],
      homepage_url: 'https://study.example',
      reply_url: 'https://study.example/replies',
      owner: 'http://hub.test/u/alice',
    });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({ name: 'Study Group', owner_user_id: w.alice.id, client_id: body.id });
    expect(body.client_secret).toMatch(/^lh_cs_/);
    const again = await api('GET', `/api/v1/apps/${body.id}`);
    expect(again.statusCode).toBe(200);
    expect(again.json()).not.toHaveProperty('client_secret');
    expect((await clientCredentials(body.id, body.client_secret)).statusCode).toBe(200);
  });

  it('accepts the client secret in the form body (client_secret_post) as well as HTTP Basic', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/oidc/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: w.client.id,
        client_secret: w.client.secret,
      }).toString(),
    });
    expect(res.statusCode).toBe(200);
  });

  it('refuses bad redirect URIs naming the field, and creates nothing', async () => {
    const before = await appCount();
    for (const uri of ['http://app.example/cb', 'https://app.example/cb#frag', 'not a url']) {
      const res = await api('POST', '/api/v1/apps', {
        name: 'Bad',
        redirect_uris: ['https://ok.example/cb', uri],
      });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ code: 'request.invalid' });
      expect(res.json().detail).toContain('redirect_uris.1');
    }
    const noName = await api('POST', '/api/v1/apps', { redirect_uris: [] });
    expect(noName.statusCode).toBe(400);
    expect(noName.json().detail).toContain('name');
    expect(await appCount()).toBe(before);
  });

  it('refuses app names that could forge a mail header or address, and creates nothing (issue 15)', async () => {
    const before = await appCount();
    for (const name of ['Evil\r\nBcc: victim@example.org', 'Support <help@hub.example>', 'Tab\there']) {
      const res = await api('POST', '/api/v1/apps', { name, redirect_uris: ['https://ok.example/cb'] });
      expect(res.statusCode, name).toBe(400);
      expect(res.json().detail, name).toContain('name');
    }
    expect(await appCount()).toBe(before);
  });

  it('lets only an admin operator token change an app, e.g. its redirect URIs (issue 15)', async () => {
    const created = await api('POST', '/api/v1/apps', {
      name: 'Guarded',
      redirect_uris: ['https://g.example/cb'],
    });
    const id = created.json().id as string;
    const nonAdmin = `Bearer ${await t.operatorToken({ admin: false })}`;
    const changed = await api(
      'PATCH',
      `/api/v1/apps/${id}`,
      { redirect_uris: ['https://evil.example/cb'] },
      nonAdmin,
    );
    expect(changed.statusCode).toBe(404);
    const seen = await api('GET', `/api/v1/apps/${id}`);
    expect(seen.json().redirect_uris).toEqual(['https://g.example/cb']);
  });

  it('rotates the secret: the old one stops working, the new one works', async () => {
    const created = (await api('POST', '/api/v1/apps', { name: 'Rotator' })).json();
    const rotated = await api('POST', `/api/v1/apps/${created.id}/secret`);
    expect(rotated.statusCode).toBe(200);
    const fresh = rotated.json().client_secret;
    expect(fresh).not.toBe(created.client_secret);
    expect((await clientCredentials(created.id, created.client_secret)).statusCode).toBe(401);
    expect((await clientCredentials(created.id, fresh)).statusCode).toBe(200);
  });

  it('lets an owner manage their app and hides it from other users', async () => {
    const alice = await w.signIn('alice');
    const cookie = alice.cookieHeader();
    const mine = await t.app.inject({
      method: 'POST',
      url: '/api/v1/apps',
      headers: { cookie },
      payload: { name: 'Alice app', redirect_uris: ['https://alice.example/cb'] },
    });
    expect(mine.statusCode).toBe(201);
    const id = mine.json().id;
    const bob = await w.signIn('bob');
    const asBob = { cookie: bob.cookieHeader() };
    expect(
      (await t.app.inject({ method: 'GET', url: `/api/v1/apps/${id}`, headers: asBob })).statusCode,
    ).toBe(404);
    const bobsList = await t.app.inject({ method: 'GET', url: '/api/v1/apps', headers: asBob });
    expect(bobsList.json().data.map((a: { id: string }) => a.id)).not.toContain(id);
    const stolen = await t.app.inject({
      method: 'POST',
      url: '/api/v1/apps',
      headers: asBob,
      payload: { name: 'Not mine', owner: 'alice' },
    });
    expect(stolen.statusCode).toBe(403);
    const renamed = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/apps/${id}`,
      headers: { cookie },
      payload: { name: 'Alice’s app' },
    });
    expect(renamed.json()).toMatchObject({
      name: 'Alice’s app',
      redirect_uris: ['https://alice.example/cb'],
    });
  });

  it('pages through apps with a cursor', async () => {
    const first = await api('GET', '/api/v1/apps?limit=2');
    expect(first.json().data).toHaveLength(2);
    const cursor = first.json().next_cursor;
    expect(cursor).toEqual(expect.any(String));
    const second = await api('GET', `/api/v1/apps?limit=2&cursor=${cursor}`);
    const ids = [...first.json().data, ...second.json().data].map((a: { id: string }) => a.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect((await api('GET', '/api/v1/apps?cursor=garbage')).statusCode).toBe(400);
  });

  it('deletes an app with its tokens', async () => {
    const created = (await api('POST', '/api/v1/apps', { name: 'Doomed' })).json();
    const cc = (await clientCredentials(created.id, created.client_secret)).json().access_token;
    expect((await api('DELETE', `/api/v1/apps/${created.id}`)).statusCode).toBe(204);
    expect((await clientCredentials(created.id, created.client_secret)).statusCode).toBe(401);
    const use = await t.app.inject({
      method: 'GET',
      url: '/api/v1/apps',
      headers: { authorization: `Bearer ${cc}` },
    });
    expect(use.statusCode).toBe(401);
  });

  it('requires credentials', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/apps' })).statusCode).toBe(401);
  });
});

describe('the developer page /account/apps', () => {
  it('sends a visitor who is not signed in to sign in first', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/account/apps' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/login?return_to=%2Faccount%2Fapps');
  });

  it('registers an app through the form and shows its credentials once', async () => {
    const bob = await w.signIn('bob');
    const page = await bob.get('/account/apps');
    expect(page.statusCode).toBe(200);
    const form = formOf(page.body, '/account/apps');
    const res = await bob.post('/account/apps', {
      ...form.hidden,
      name: 'Bob’s reader',
      redirect_uris: 'https://reader.example/cb\r\nhttps://reader.example/cb2',
      homepage_url: '',
      logo_url: '',
      reply_url: '',
    });
    expect(res.statusCode).toBe(201);
    const secret = /data-field="client_secret">([^<]+)</.exec(res.body)?.[1];
    expect(secret).toMatch(/^lh_cs_/);
    expect((await bob.get('/account/apps')).body).not.toContain(String(secret));
  });

  it('re-shows the form with the problem for a bad redirect URI', async () => {
    const bob = await w.signIn('bob');
    const form = formOf((await bob.get('/account/apps')).body, '/account/apps');
    const res = await bob.post('/account/apps', {
      ...form.hidden,
      name: 'X',
      redirect_uris: 'http://x.example/cb',
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('must use https');
  });

  it('refuses the form without a CSRF token', async () => {
    const bob = await w.signIn('bob');
    const before = await appCount();
    const res = await bob.post('/account/apps', { name: 'Forged' });
    expect(res.statusCode).toBe(403);
    expect(await appCount()).toBe(before);
  });
});

describe('npx learnhub apps create', () => {
  const env = () => ({
    DATABASE_URL: t.database.url,
    SECRET_KEY: 'test-secret-key-test-secret-key-0123456789',
    PUBLIC_URL: 'http://hub.test',
    LOG_LEVEL: 'warn',
  });

  it('prints a client_id and client_secret that work at the token endpoint', async () => {
    const res = await runCli(
      [
        'apps',
        'create',
        '--name',
        'CLI app',
        '--redirect-uri',
        'https://cli.example/cb',
        '--owner',
        'bob',
        '--json',
      ],
      env(),
    );
    expect(res.code, res.stderr).toBe(0);
    const out = JSON.parse(res.stdout) as { client_id: string; client_secret: string; owner_user_id: string };
    expect(out.owner_user_id).toBe(w.bob.id);
    expect((await clientCredentials(out.client_id, out.client_secret)).statusCode).toBe(200);
  }, 60_000);

  it('exits 1 naming the bad field, and registers nothing', async () => {
    const before = await appCount();
    const res = await runCli(
      ['apps', 'create', '--name', 'Bad', '--redirect-uri', 'http://x.example/cb', '--json'],
      env(),
    );
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('redirect_uris.0');
    const unknownOwner = await runCli(['apps', 'create', '--name', 'Bad', '--owner', 'nobody-here'], env());
    expect(unknownOwner.code).toBe(1);
    expect(unknownOwner.stderr).toContain('owner');
    expect(await appCount()).toBe(before);
  }, 60_000);
});
