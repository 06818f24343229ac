import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/support/app.ts';
import { oauthWorld } from '../../../test/support/oidc.ts';
import { type Browser, formOf } from '../../../test/support/web.ts';
import { badgeInput, bk, MASTER, PNG_1PX, seedContainers } from '../../dialects/badgekit/badgekit.testing.ts';

let t: TestApp;
let alice: Browser;
let bob: Browser;
let slug = '';

beforeAll(async () => {
  t = await buildTestApp({ env: { BADGEKIT_MASTER_SECRET: MASTER } });
  const w = await oauthWorld(t);
  alice = await w.signIn('alice');
  bob = await w.signIn('bob');
  await seedContainers(t);
  await bk(t, 'POST', '/systems/chicago/badges', badgeInput({ slug: 'page-badge', name: 'Page Badge' }));
  const r = await bk(t, 'POST', '/systems/chicago/badges/page-badge/instances', {
    email: 'alice@example.org',
  });
  slug = String((r.body.instance as { slug: string }).slug);
}, 60_000);
afterAll(() => t.close());

/** A multipart form post as a browser sends it (FormData serialised by the platform's Request). */
async function upload(
  who: Browser,
  fields: Record<string, string>,
  file?: { data: Buffer; name: string; type: string },
) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  if (file) form.append('file', new Blob([new Uint8Array(file.data)], { type: file.type }), file.name);
  const request = new Request('http://hub.test/account/badges', { method: 'POST', body: form });
  return t.app.inject({
    method: 'POST',
    url: '/account/badges',
    headers: {
      cookie: who.cookieHeader(),
      accept: 'text/html',
      'content-type': request.headers.get('content-type') ?? '',
    },
    payload: Buffer.from(await request.arrayBuffer()),
  });
}

async function csrfOf(who: Browser) {
  const page = await who.get('/account/badges');
  return formOf(page.body, '/account/badges').hidden._csrf ?? '';
}

const count = async (user: string) =>
  Number(
    (
      await t.deps.pool.query<{ n: string }>(
        'select count(*) as n from badge_backpack_items b join users u on u.id = b.user_id where u.username = $1',
        [user],
      )
    ).rows[0]?.n,
  );

describe('the backpack page', () => {
  it('sends a visitor who is not signed in to sign in first', async () => {
    const r = await t.app.inject({ url: '/account/badges' });
    expect(r.statusCode).toBe(303);
    expect(r.headers.location).toBe('/login?return_to=%2Faccount%2Fbadges');
  });

  it('shows the badges awarded here with verify and download links', async () => {
    const r = await alice.get('/account/badges');
    expect(r.statusCode).toBe(200);
    expect(r.headers['cache-control']).toBe('no-store');
    expect(r.body).toContain('Page Badge');
    expect(r.body).toContain(`href="http://hub.test/ob/v2/assertions/${slug}"`);
    expect(r.body).toContain(`href="http://hub.test/ob/v2/assertions/${slug}/image.png"`);
    expect(r.body).toContain(`href="/ob/v3/credentials/${slug}"`);
    expect((await bob.get('/account/badges')).body).not.toContain('Page Badge');
  });

  it('imports a baked PNG uploaded as a file and shows it as verified', async () => {
    const png = (await t.app.inject({ url: `/ob/v2/assertions/${slug}/image.png` })).rawPayload;
    const r = await upload(
      alice,
      { _csrf: await csrfOf(alice) },
      { data: png, name: 'b.png', type: 'image/png' },
    );
    expect(r.statusCode).toBe(303);
    expect(r.headers.location).toBe('/account/badges?done=imported');
    const page = await alice.get(r.headers.location ?? '');
    expect(page.body).toContain('The badge verified and is now in your backpack.');
    expect(page.body).toMatch(/Verified \d{4}-\d\d-\d\d \d\d:\d\d UTC — Open Badges 2\.0 assertion/);
  });

  it('imports credential JSON pasted into the form, and refuses a tampered copy with the reason', async () => {
    const credential = (await t.app.inject({ url: `/ob/v3/credentials/${slug}` })).json();
    const ok = await upload(alice, { _csrf: await csrfOf(alice), json: JSON.stringify(credential) });
    expect(ok.statusCode).toBe(303);
    const before = await count('alice');
    credential.credentialSubject.achievement.name = 'Forged';
    const bad = await upload(alice, { _csrf: await csrfOf(alice), json: JSON.stringify(credential) });
    expect(bad.statusCode).toBe(422);
    expect(bad.headers['content-type']).toContain('text/html');
    expect(bad.body).toContain('The badge could not be verified: its proof or status does not verify');
    expect(bad.body).not.toContain('Forged</strong>');
    expect(await count('alice')).toBe(before);
  }, 60_000);

  it('refuses a file that is not an image, and one that is too large, changing nothing', async () => {
    const before = await count('alice');
    const text = await upload(
      alice,
      { _csrf: await csrfOf(alice) },
      { data: Buffer.from('just some text'), name: 'notes.png', type: 'image/png' },
    );
    expect(text.statusCode).toBe(400);
    expect(text.body).toContain('The image is not a PNG or SVG.');
    const huge = Buffer.concat([PNG_1PX, Buffer.alloc(1024 * 1024 + 1)]);
    const big = await upload(
      alice,
      { _csrf: await csrfOf(alice) },
      { data: huge, name: 'big.png', type: 'image/png' },
    );
    expect(big.statusCode).toBe(413);
    expect(big.body).toContain('The file is larger than 1024 KB.');
    expect(await count('alice')).toBe(before);
  });

  it('refuses an import without the CSRF token, or with a forged one', async () => {
    const png = (await t.app.inject({ url: `/ob/v2/assertions/${slug}/image.png` })).rawPayload;
    const before = await count('alice');
    for (const fields of [{}, { _csrf: 'forged' }] as Record<string, string>[]) {
      const r = await upload(alice, fields, { data: png, name: 'b.png', type: 'image/png' });
      expect(r.statusCode).toBe(403);
      expect(r.body).toContain('security token is missing or out of date');
    }
    expect(await count('alice')).toBe(before);
  });

  it("refuses two inputs at once, someone else's badge, and a plain-http assertion URL", async () => {
    const both = await upload(alice, { _csrf: await csrfOf(alice), url: 'https://x.example/a', json: '{}' });
    expect(both.statusCode).toBe(400);
    expect(both.body).toContain('Give exactly one of');
    const url = `http://hub.test/ob/v2/assertions/${slug}`;
    const notMine = await upload(bob, { _csrf: await csrfOf(bob), url });
    expect(notMine.statusCode).toBe(422);
    expect(notMine.body).toContain('it was not issued to your email address');
    expect(notMine.body).toContain(`value="${url}"`);
    const http = await upload(bob, { _csrf: await csrfOf(bob), url: 'http://elsewhere.example/a/1' });
    expect(http.body).toContain('only https assertion URLs can be checked');
    expect(await count('bob')).toBe(0);
  });

  it('checks imported badges again, and reports each (OB 2.0 and OB 3.0) once revoked', async () => {
    const page = await alice.get('/account/badges');
    const ids = [...page.body.matchAll(/data-imported="([0-9a-f-]{36})"/g)].map((m) => m[1]);
    expect(ids).toHaveLength(2);
    const checks = ids.map((id) => formOf(page.body, `/account/badges/${id}/check`));
    for (const check of checks) {
      const again = await alice.post(check.action, check.hidden);
      expect(again.statusCode).toBe(303);
      expect(again.headers.location).toBe('/account/badges?done=checked');
    }
    await bk(t, 'DELETE', '/systems/chicago/badges/page-badge/instances/alice@example.org');
    for (const check of checks) {
      const revoked = await alice.post(check.action, check.hidden);
      expect(revoked.statusCode).toBe(422);
      expect(revoked.body).toContain('The badge could not be verified: it was revoked');
    }
  }, 60_000);

  it("lets a person remove their own imported badge but not someone else's", async () => {
    const page = await alice.get('/account/badges');
    const id = /data-imported="([0-9a-f-]{36})"/.exec(page.body)?.[1] ?? '';
    const remove = formOf(page.body, `/account/badges/${id}/remove`);
    const bobsToken = await csrfOf(bob);
    const byBob = await bob.post(remove.action, { _csrf: bobsToken });
    expect(byBob.statusCode).toBe(404);
    const before = await count('alice');
    const r = await alice.post(remove.action, remove.hidden);
    expect(r.statusCode).toBe(303);
    expect(await count('alice')).toBe(before - 1);
  });
});
