import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/support/app.ts';
import { oauthWorld } from '../../../test/support/oidc.ts';
import { badgeInput, bk, MASTER, seedContainers } from '../../dialects/badgekit/badgekit.testing.ts';

let t: TestApp;
let w: Awaited<ReturnType<typeof oauthWorld>>;
let alice = '';
let bob = '';
let slug = '';

beforeAll(async () => {
  t = await buildTestApp({ env: { BADGEKIT_MASTER_SECRET: MASTER } });
  w = await oauthWorld(t);
  alice = (await w.signIn('alice')).cookieHeader();
  bob = (await w.signIn('bob')).cookieHeader();
  await seedContainers(t);
  await bk(t, 'POST', '/systems/chicago/badges', badgeInput({ slug: 'elsewhere', name: 'Earned Elsewhere' }));
  const r = await bk(t, 'POST', '/systems/chicago/badges/elsewhere/instances', {
    email: 'alice@example.org',
  });
  slug = String((r.body.instance as { slug: string }).slug);
}, 60_000);
afterAll(() => t.close());

const importAs = (cookie: string, payload: Record<string, string>) =>
  t.app.inject({ method: 'POST', url: '/api/v1/me/backpack', headers: { cookie }, payload });

describe('the backpack', () => {
  it('imports a baked PNG after verifying the hosted assertion, and shows it on the profile', async () => {
    const png = await t.app.inject({ url: `/ob/v2/assertions/${slug}/image.png` });
    const r = await importAs(alice, { image: `data:image/png;base64,${png.rawPayload.toString('base64')}` });
    expect(r.statusCode).toBe(201);
    expect(r.json()).toMatchObject({
      format: 'ob2',
      name: 'Earned Elsewhere',
      source_id: `http://hub.test/ob/v2/assertions/${slug}`,
    });
    const list = await t.app.inject({ url: '/api/v1/me/backpack', headers: { cookie: alice } });
    expect(list.json().data).toHaveLength(1);
    expect((await t.app.inject({ url: '/u/alice' })).body).toContain('From elsewhere (verified)');
  });

  it('imports an OB 3.0 credential whose proof verifies, and refuses a tampered one', async () => {
    const credential = (await t.app.inject({ url: `/ob/v3/credentials/${slug}` })).json();
    const ok = await importAs(alice, { json: JSON.stringify(credential) });
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toMatchObject({ format: 'ob3', name: 'Earned Elsewhere' });
    credential.credentialSubject.achievement.name = 'Forged';
    const bad = await importAs(alice, { json: JSON.stringify(credential) });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().code).toBe('badges.unverifiable');
  }, 60_000);

  it("refuses someone else's badge and an assertion URL that is not https", async () => {
    const r = await importAs(bob, { url: `http://hub.test/ob/v2/assertions/${slug}` });
    expect(r.statusCode).toBe(422);
    expect(r.json().detail).toContain('not issued to your email');
    expect((await importAs(bob, { url: 'http://elsewhere.example/a/1' })).statusCode).toBe(422);
    expect(
      (await t.app.inject({ url: '/api/v1/me/backpack', headers: { cookie: bob } })).json().data,
    ).toEqual([]);
  });

  it('requires a signed-in person', async () => {
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/v1/me/backpack',
      payload: { url: 'https://x.example/a' },
    });
    expect(r.statusCode).toBe(401);
  });
});
