import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/support/app.ts';
import { badgeInput, bk, MASTER, seedContainers } from './badgekit.testing.ts';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp({ env: { BADGEKIT_MASTER_SECRET: MASTER } });
  await seedContainers(t);
});
afterAll(() => t.close());

describe('BadgeKit systems, issuers and programs', () => {
  it('answers the health check without auth', async () => {
    const r = await t.app.inject({ url: '/badgekit/healthcheck' });
    expect(r.json()).toEqual({ app: 'BadgeKit API', version: '0.2.22' });
  });

  it('creates a system and returns BadgeKit shape without description', async () => {
    const r = await bk(t, 'POST', '/systems', {
      slug: 'sys2',
      name: 'Two',
      url: 'https://two.example.org',
      description: 'hidden',
    });
    expect(r.status).toBe(201);
    expect(r.body).toEqual({
      status: 'created',
      system: {
        id: expect.any(Number),
        slug: 'sys2',
        url: 'https://two.example.org',
        name: 'Two',
        email: null,
        imageUrl: null,
        issuers: [],
      },
    });
  });

  it('lists systems with nested issuers and pages with pageData', async () => {
    const all = await bk(t, 'GET', '/systems');
    expect(all.status).toBe(200);
    const chicago = (all.body.systems as Record<string, unknown>[]).find((s) => s.slug === 'chicago');
    expect(chicago?.issuers).toEqual([
      expect.objectContaining({ slug: 'mozilla', imageUrl: null, programs: [] }),
    ]);
    expect(all.body.pageData).toBeUndefined();
    const paged = await bk(t, 'GET', '/systems?page=1&count=1');
    expect((paged.body.systems as unknown[]).length).toBe(1);
    expect(paged.body.pageData).toEqual({ page: 1, count: 1, total: expect.any(Number) });
  });

  it('refuses a duplicate system slug with ResourceConflict and changes nothing', async () => {
    const r = await bk(t, 'POST', '/systems', {
      slug: 'chicago',
      name: 'Again',
      url: 'https://x.example.org',
    });
    expect(r.status).toBe(409);
    expect(r.body).toMatchObject({
      code: 'ResourceConflict',
      message: 'system with that `slug` already exists',
    });
    const got = await bk(t, 'GET', '/systems/chicago');
    expect((got.body.system as Record<string, unknown>).name).toBe('Chicago');
  });

  it('reports every invalid field as a ValidationError', async () => {
    const r = await bk(t, 'POST', '/systems', { slug: '', url: 'not a url', email: 'nope' });
    expect(r.status).toBe(400);
    expect(r.body).toEqual({
      code: 'ValidationError',
      message: 'Could not validate required fields',
      details: [
        { field: 'slug', value: '' },
        { field: 'name', value: '' },
        { field: 'url', value: 'not a url' },
        { field: 'email', value: 'nope' },
      ],
    });
  });

  it('names the missing entity in a 404', async () => {
    const r = await bk(t, 'GET', '/systems/nope/issuers/mozilla');
    expect(r.status).toBe(404);
    expect(r.body).toEqual({
      code: 'ResourceNotFound',
      message: 'Could not find system field: `slug`, value: `nope`',
    });
    const i = await bk(t, 'GET', '/systems/chicago/issuers/nope');
    expect(i.body.message).toBe('Could not find issuer field: `slug`, value: `nope`');
  });

  it('updates and deletes issuers and programs', async () => {
    await bk(t, 'POST', '/systems/chicago/issuers', {
      slug: 'tmp',
      name: 'Tmp',
      url: 'https://tmp.example.org',
    });
    const put = await bk(t, 'PUT', '/systems/chicago/issuers/tmp', { name: 'Renamed' });
    expect(put.body).toMatchObject({
      status: 'updated',
      issuer: { slug: 'tmp', name: 'Renamed', programs: [] },
    });
    const prog = await bk(t, 'GET', '/systems/chicago/issuers/mozilla/programs/webmaker');
    expect(prog.body.program).toEqual({
      id: expect.any(Number),
      slug: 'webmaker',
      url: 'https://webmaker.example.org',
      name: 'Webmaker',
      description: null,
      email: null,
      imageUrl: null,
    });
    const del = await bk(t, 'DELETE', '/systems/chicago/issuers/tmp');
    expect(del.body).toMatchObject({ status: 'deleted', issuer: { slug: 'tmp' } });
    expect((await bk(t, 'GET', '/systems/chicago/issuers/tmp')).status).toBe(404);
  });

  it('answers unknown routes and wrong methods in BadgeKit style', async () => {
    const r = await bk(t, 'GET', '/nothing/here');
    expect(r.body).toEqual({ code: 'ResourceNotFound', message: '/nothing/here does not exist' });
    const m = await bk(t, 'PATCH', '/systems');
    expect(m.status).toBe(405);
    expect(m.body).toEqual({ code: 'MethodNotAllowedError', message: 'PATCH is not allowed' });
  });
});

describe('BadgeKit badges in all three nestings', () => {
  const nestings = [
    '/systems/chicago',
    '/systems/chicago/issuers/mozilla',
    '/systems/chicago/issuers/mozilla/programs/webmaker',
  ];

  it.each(nestings)('creates, reads, updates, lists and deletes a badge at %s', async (ctx) => {
    const slug = `b-${ctx.split('/').length}`;
    const created = await bk(
      t,
      'POST',
      `${ctx}/badges`,
      badgeInput({
        slug,
        criteria: [{ description: 'Did a thing', required: 1, note: 'n' }],
        tags: ['a', { value: 'b' }, 'a', ''],
        categories: ['cat'],
        alignments: [{ name: 'Std', url: 'https://std.example.org', description: 'd' }],
      }),
    );
    expect(created.status).toBe(201);
    expect(created.headers.location).toBe(`/badgekit${ctx}/badges/${slug}`);
    const badge = created.body.badge as Record<string, unknown>;
    expect(badge).toMatchObject({
      slug,
      unique: 0,
      archived: false,
      type: 'skill',
      criteria: [{ id: expect.any(Number), description: 'Did a thing', required: 1, note: 'n' }],
      tags: [
        { id: expect.any(Number), value: 'a' },
        { id: expect.any(Number), value: 'b' },
      ],
      categories: ['cat'],
      milestones: [],
      system: { slug: 'chicago', imageUrl: null, issuers: [] },
    });
    expect(String(badge.imageUrl)).toMatch(/^http:\/\/hub\.test\/ob\/images\//);
    expect(badge.created).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    if (ctx.includes('programs')) expect(badge.program).toMatchObject({ slug: 'webmaker' });

    const got = await bk(t, 'GET', `${ctx}/badges/${slug}`);
    expect(got.body.badge).toMatchObject({ slug });
    const put = await bk(t, 'PUT', `${ctx}/badges/${slug}`, { archived: true, name: 'Renamed' });
    expect(put.body.badge).toMatchObject({ name: 'Renamed', archived: true, criteria: [], tags: [] });
    const active = await bk(t, 'GET', `${ctx}/badges`);
    expect((active.body.badges as { slug: string }[]).map((b) => b.slug)).not.toContain(slug);
    const archived = await bk(t, 'GET', `${ctx}/badges?archived=true`);
    expect((archived.body.badges as { slug: string }[]).map((b) => b.slug)).toContain(slug);
    const del = await bk(t, 'DELETE', `${ctx}/badges/${slug}`);
    expect(del.body).toMatchObject({ status: 'deleted', badge: { slug, criteria: [] } });
    expect((del.body.badge as Record<string, unknown>).system).toBeUndefined();
    expect((await bk(t, 'GET', `${ctx}/badges/${slug}`)).status).toBe(404);
  });

  it('does not find an issuer badge through another issuer', async () => {
    await bk(t, 'POST', '/systems/chicago/issuers', {
      slug: 'other',
      name: 'Other',
      url: 'https://o.example.org',
    });
    await bk(t, 'POST', '/systems/chicago/issuers/mozilla/badges', badgeInput({ slug: 'moz-only' }));
    expect((await bk(t, 'GET', '/systems/chicago/issuers/other/badges/moz-only')).status).toBe(404);
    expect((await bk(t, 'GET', '/systems/chicago/badges/moz-only')).status).toBe(200);
  });

  it('refuses a bad archived parameter, a duplicate slug, a missing image and a non-image', async () => {
    const bad = await bk(t, 'GET', '/systems/chicago/badges?archived=maybe');
    expect(bad.body).toEqual({
      code: 'InvalidParameter',
      parameter: 'archived',
      message: "Invalid `archived` parameter. Expecting one of 'true', 'false' or 'any'.",
    });
    await bk(t, 'POST', '/systems/chicago/badges', badgeInput({ slug: 'dup' }));
    const dup = await bk(t, 'POST', '/systems/chicago/badges', badgeInput({ slug: 'dup' }));
    expect(dup.status).toBe(409);
    expect(dup.body).toMatchObject({
      code: 'ResourceConflict',
      message: 'badge with that `slug` already exists',
    });
    const noImage = await bk(
      t,
      'POST',
      '/systems/chicago/badges',
      badgeInput({ slug: 'noimg', image: undefined }),
    );
    expect(noImage.body.details).toEqual([{ message: 'Missing value', field: 'image' }]);
    const notImage = await bk(
      t,
      'POST',
      '/systems/chicago/badges',
      badgeInput({ slug: 'txt', image: `data:image/png;base64,${Buffer.from('hello').toString('base64')}` }),
    );
    expect(notImage.status).toBe(400);
    expect(notImage.body.details).toEqual([{ field: 'image', value: '' }]);
    expect((await bk(t, 'GET', '/systems/chicago/badges/noimg')).status).toBe(404);
  });

  it('lists from the cache only while nothing changed, pages, and names an unknown container', async () => {
    const ctx = '/systems/chicago/issuers/mozilla/programs/webmaker';
    await bk(t, 'POST', `${ctx}/badges`, badgeInput({ slug: 'cached', name: 'Before' }));
    const first = await bk(t, 'GET', `${ctx}/badges`);
    expect(first.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(first.body.badges).toEqual([expect.objectContaining({ slug: 'cached', name: 'Before' })]);
    await bk(t, 'PUT', `${ctx}/badges/cached`, { name: 'After' });
    const second = await bk(t, 'GET', `${ctx}/badges`);
    expect(second.body.badges).toEqual([expect.objectContaining({ slug: 'cached', name: 'After' })]);
    const paged = await bk(t, 'GET', `${ctx}/badges?page=1&count=5`);
    expect(paged.body.pageData).toEqual({ page: 1, count: 5, total: 1 });
    expect((await bk(t, 'GET', '/systems/nowhere/badges')).body).toEqual({
      code: 'ResourceNotFound',
      message: 'Could not find system field: `slug`, value: `nowhere`',
    });
    expect((await bk(t, 'GET', '/systems/chicago/issuers/nobody/badges')).body).toEqual({
      code: 'ResourceNotFound',
      message: 'Could not find issuer field: `slug`, value: `nobody`',
    });
    expect((await bk(t, 'GET', '/systems/chicago/issuers/mozilla/programs/none/badges')).body).toEqual({
      code: 'ResourceNotFound',
      message: 'Could not find program field: `slug`, value: `none`',
    });
  });

  it('generates a 32-hex slug when none is given', async () => {
    const r = await bk(t, 'POST', '/systems/chicago/badges', badgeInput({ name: 'Sluggy' }));
    expect((r.body.badge as { slug: string }).slug).toMatch(/^[0-9a-f]{32}$/);
  });
});
