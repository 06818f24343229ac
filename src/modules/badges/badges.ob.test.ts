import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/support/app.ts';
import { badgeInput, bk, MASTER, PNG_1PX, seedContainers } from '../../dialects/badgekit/badgekit.testing.ts';
import { bakePng, extractPng, extractSvg, pngChunks } from './badges.bake.ts';

let t: TestApp;
let slug = '';
beforeAll(async () => {
  t = await buildTestApp({ env: { BADGEKIT_MASTER_SECRET: MASTER } });
  await seedContainers(t);
  await bk(
    t,
    'POST',
    '/systems/chicago/issuers/mozilla/badges',
    badgeInput({ slug: 'ob-badge', name: 'Café ]]> badge', tags: ['x'] }),
  );
  const r = await bk(t, 'POST', '/systems/chicago/issuers/mozilla/badges/ob-badge/instances', {
    email: 'Ada@Example.org',
  });
  slug = String((r.body.instance as { slug: string }).slug);
});
afterAll(() => t.close());

const get = async (url: string, accept = 'application/ld+json') => {
  const r = await t.app.inject({ url: url.replace('http://hub.test', ''), headers: { accept } });
  return { status: r.statusCode, type: String(r.headers['content-type']), body: r.body, raw: r.rawPayload };
};

describe('Open Badges 2.0 hosted documents', () => {
  it('serves an assertion, its badge class and issuer, cross-linked on one origin', async () => {
    const a = await get(`/ob/v2/assertions/${slug}`);
    expect(a.status).toBe(200);
    expect(a.type).toContain('application/ld+json');
    const assertion = JSON.parse(a.body);
    expect(assertion).toMatchObject({
      '@context': 'https://w3id.org/openbadges/v2',
      id: `http://hub.test/ob/v2/assertions/${slug}`,
      type: 'Assertion',
      verification: { type: 'HostedBadge' },
      badge: 'http://hub.test/ob/v2/badges/ob-badge',
      recipient: { type: 'email', hashed: true },
    });
    const { salt, identity } = assertion.recipient;
    expect(identity).toBe(`sha256$${createHash('sha256').update(`ada@example.org${salt}`).digest('hex')}`);
    expect(assertion.issuedOn).toMatch(/Z$/);

    const badgeClass = JSON.parse((await get(assertion.badge)).body);
    expect(badgeClass).toMatchObject({
      type: 'BadgeClass',
      name: 'Café ]]> badge',
      criteria: { id: 'https://example.org/criteria' },
      tags: ['x'],
    });
    const issuer = JSON.parse((await get(badgeClass.issuer)).body);
    expect(issuer).toMatchObject({
      type: 'Issuer',
      name: 'Mozilla',
      url: 'https://mozilla.example.org',
      email: 'admin@chicago.example.org',
    });
    for (const id of [assertion.id, badgeClass.id, issuer.id])
      expect(new URL(id).origin).toBe('http://hub.test');
    expect((await get(assertion.badge, 'application/json')).type).toContain('application/json');
  });

  it('shows a page to a browser', async () => {
    const page = await get(`/ob/v2/assertions/${slug}`, 'text/html,application/xhtml+xml');
    expect(page.type).toContain('text/html');
    expect(page.body).toContain('<h1>Café ]]');
    expect(page.body).not.toContain('<script');
  });

  it('bakes a PNG with exactly one openbadges iTXt chunk whose assertion round-trips', async () => {
    const png = await get(`/ob/v2/assertions/${slug}/image.png`, 'image/png');
    expect(png.type).toBe('image/png');
    const chunks = pngChunks(png.raw);
    expect(chunks.filter((c) => c.type === 'iTXt')).toHaveLength(1);
    expect(chunks.filter((c) => c.type === 'IDAT').map((c) => c.data.toString('hex'))).toEqual(
      pngChunks(PNG_1PX)
        .filter((c) => c.type === 'IDAT')
        .map((c) => c.data.toString('hex')),
    );
    const baked = JSON.parse(extractPng(png.raw) ?? '{}');
    expect(baked.id).toBe(`http://hub.test/ob/v2/assertions/${slug}`);
    const again = bakePng(png.raw, '{"id":"other"}');
    expect(pngChunks(again).filter((c) => c.type === 'iTXt')).toHaveLength(1);
    expect(extractPng(again)).toBe('{"id":"other"}');
  });

  it('bakes an SVG with one assertion element whose JSON survives a ]]> in a name', async () => {
    const svg = await get(`/ob/v2/assertions/${slug}/image.svg`, 'image/svg+xml');
    expect(svg.body.match(/<openbadges:assertion/g)).toHaveLength(1);
    expect(svg.body).toContain('xmlns:openbadges="http://openbadges.org"');
    const found = extractSvg(svg.body);
    expect(found?.verify).toBe(`http://hub.test/ob/v2/assertions/${slug}`);
    const json = JSON.parse(found?.json ?? '{}');
    expect(json.badge).toBe('http://hub.test/ob/v2/badges/ob-badge');
  });

  it('answers 410 with revoked: true once revoked, and lists it in the revocation list', async () => {
    await bk(t, 'DELETE', '/systems/chicago/issuers/mozilla/badges/ob-badge/instances/ada@example.org');
    const a = await get(`/ob/v2/assertions/${slug}`);
    expect(a.status).toBe(410);
    expect(JSON.parse(a.body)).toMatchObject({ type: 'Assertion', revoked: true });
    expect((await get(`/ob/v2/assertions/${slug}/image.png`)).status).toBe(410);
    const badgeClass = JSON.parse((await get('/ob/v2/badges/ob-badge')).body);
    const issuer = JSON.parse((await get(badgeClass.issuer)).body);
    const list = JSON.parse((await get(issuer.revocationList)).body);
    expect(list.revokedAssertions).toEqual([{ id: `http://hub.test/ob/v2/assertions/${slug}` }]);
  });

  it('answers 404 for unknown assertions, badges and issuers', async () => {
    expect((await get('/ob/v2/assertions/nope')).status).toBe(404);
    expect((await get('/ob/v2/badges/nope')).status).toBe(404);
    expect((await get('/ob/v2/issuers/system-99999')).status).toBe(404);
    expect((await get('/ob/v2/issuers/bogus')).status).toBe(404);
  });

  it('serves the BadgeKit OB 1.0 public assertion without auth', async () => {
    const r = await bk(t, 'POST', '/systems/chicago/badges', badgeInput({ slug: 'pub' }));
    expect(r.status).toBe(201);
    const i = await bk(t, 'POST', '/systems/chicago/badges/pub/instances', { email: 'pub@example.org' });
    const s = String((i.body.instance as { slug: string }).slug);
    const pub = await t.app.inject({ url: `/badgekit/public/assertions/${s}` });
    expect(pub.json()).toMatchObject({
      uid: s,
      recipient: {
        identity: `sha256$${createHash('sha256').update('pub@example.org').digest('hex')}`,
        type: 'email',
        hashed: true,
      },
      badge: 'http://hub.test/badgekit/public/systems/chicago/badges/pub',
      verify: { type: 'hosted' },
      issuedOn: expect.any(Number),
    });
    const cls = await t.app.inject({ url: '/badgekit/public/systems/chicago/badges/pub' });
    expect(cls.json()).toMatchObject({
      name: 'Test Badge',
      issuer: 'http://hub.test/badgekit/public/systems/chicago',
    });
    const org = await t.app.inject({ url: '/badgekit/public/systems/chicago/issuers/mozilla' });
    expect(org.json()).toEqual({
      name: 'Mozilla',
      url: 'https://mozilla.example.org',
      email: 'admin@chicago.example.org',
    });
    const list = await t.app.inject({ url: '/badgekit/public/badges' });
    expect(list.json().badgelist).toContainEqual({
      location: 'http://hub.test/badgekit/public/systems/chicago/badges/pub',
    });
  });
});

describe('baked downloads of badges whose image is not a PNG', () => {
  it('rasterises an SVG badge image, so the award has a baked PNG (OB 2.0 and 3.0) as well as a baked SVG', async () => {
    const svg =
      '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"><circle cx="32" cy="32" r="30" fill="#c33"/></svg>';
    const made = await bk(
      t,
      'POST',
      '/systems/chicago/badges',
      badgeInput({
        slug: 'svg-badge',
        image: `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`,
      }),
    );
    expect(made.status).toBe(201);
    const award = await bk(t, 'POST', '/systems/chicago/badges/svg-badge/instances', {
      email: 'svg@example.org',
    });
    const svgSlug = String((award.body.instance as { slug: string }).slug);
    const png = await get(`/ob/v2/assertions/${svgSlug}/image.png`, 'image/png');
    expect(png.status).toBe(200);
    expect(png.raw.subarray(1, 4).toString()).toBe('PNG');
    expect(JSON.parse(extractPng(png.raw) ?? '{}')).toMatchObject({
      id: `http://hub.test/ob/v2/assertions/${svgSlug}`,
    });
    expect((await get(`/ob/v2/assertions/${svgSlug}/image.svg`, 'image/svg+xml')).status).toBe(200);
    const ob3 = await t.app.inject({ url: `/ob/v3/credentials/${svgSlug}/image.png` });
    expect(ob3.statusCode).toBe(200);
    expect(extractPng(ob3.rawPayload, 'openbadgecredential')).toBeDefined();
  });
});
