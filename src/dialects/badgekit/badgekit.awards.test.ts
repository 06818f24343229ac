import { createHash } from 'node:crypto';
import { jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/support/app.ts';
import { setWebhook } from '../../modules/badges/index.ts';
import { createUser } from '../../modules/identity/index.ts';
import { badgeInput, bk, MASTER, seedContainers, startHookReceiver } from './badgekit.testing.ts';

const HOOK_SECRET = 'receiver-secret-0123456789';
let t: TestApp;
let hooks: Awaited<ReturnType<typeof startHookReceiver>>;
const B = '/systems/chicago/badges/first';

beforeAll(async () => {
  t = await buildTestApp({ env: { BADGEKIT_MASTER_SECRET: MASTER } });
  hooks = await startHookReceiver();
  await seedContainers(t);
  await setWebhook(t.deps, 'chicago', hooks.url, HOOK_SECRET);
  await bk(
    t,
    'POST',
    '/systems/chicago/badges',
    badgeInput({ slug: 'first', criteria: [{ description: 'c', required: 1 }] }),
  );
});
afterAll(async () => {
  await hooks.close();
  await t.close();
});

/** Verifies a received webhook as a BadgeKit site would: HS256 JWS over the body's sha256. */
async function verified(hook: { authorization: string; body: string }) {
  const jws = /^JWT token="(.+)"$/.exec(hook.authorization)?.[1] ?? '';
  const { payload } = await jwtVerify(jws, new TextEncoder().encode(HOOK_SECRET), { algorithms: ['HS256'] });
  expect(payload).toEqual({
    body: { alg: 'sha256', hash: createHash('sha256').update(hook.body).digest('hex') },
  });
  return JSON.parse(hook.body) as Record<string, unknown>;
}

describe('BadgeKit claim codes', () => {
  it('creates codes with BadgeKit quirks and refuses a duplicate', async () => {
    const r = await bk(t, 'POST', `${B}/codes`, { code: 'ABC', multiuse: false });
    expect(r.status).toBe(201);
    expect(r.body.claimCode).toEqual({ id: expect.any(Number), code: 'ABC', claimed: false, multiuse: true });
    const dup = await bk(t, 'POST', `${B}/codes`, { code: 'ABC' });
    expect(dup.status).toBe(409);
    const rnd = await bk(t, 'POST', `${B}/codes/random`, {});
    expect((rnd.body.claimCode as { code: string }).code).toMatch(/^[0-9a-f]{10}$/);
    const list = await bk(t, 'GET', `${B}/codes?page=1&count=1`);
    expect(list.body).toMatchObject({
      claimCodes: [expect.any(Object)],
      badge: { slug: 'first' },
      pageData: { page: 1, count: 1, total: 2 },
    });
  });

  it('lets a single-use code be claimed once', async () => {
    await bk(t, 'POST', `${B}/codes`, { code: 'ONCE' });
    const first = await bk(t, 'POST', `${B}/codes/ONCE/claim`, { email: 'a@example.org' });
    expect(first.body).toMatchObject({
      status: 'updated',
      claimCode: { claimed: true, email: 'a@example.org' },
    });
    const again = await bk(t, 'POST', `${B}/codes/ONCE/claim`, { email: 'b@example.org' });
    expect(again.status).toBe(400);
    expect(again.body).toEqual({
      code: 'CodeAlreadyUsed',
      message: 'Claim code `ONCE` has already been claimed',
    });
    const ctx = await bk(t, 'GET', '/systems/chicago/codes/ONCE');
    expect(ctx.body.badge).toMatchObject({ slug: 'first', claimed: 1 });
    const missing = await bk(t, 'GET', '/systems/chicago/codes/NOPE');
    expect(missing.body).toEqual({
      code: 'ResourceNotFound',
      message: 'Could not find the requested claim code NOPE',
    });
  });

  it('awards with a single-use code once and refuses the second use without an award', async () => {
    await bk(t, 'POST', `${B}/codes`, { code: 'REDEEM' });
    const ok = await bk(t, 'POST', `${B}/instances`, { email: 'redeemer@example.org', claimCode: 'REDEEM' });
    expect(ok.status).toBe(201);
    expect(ok.body.instance).toMatchObject({ claimCode: 'REDEEM' });
    const twice = await bk(t, 'POST', `${B}/instances`, { email: 'other@example.org', claimCode: 'REDEEM' });
    expect(twice.body.code).toBe('CodeAlreadyUsed');
    expect((await bk(t, 'GET', `${B}/instances/other@example.org`)).status).toBe(404);
  });
});

describe('BadgeKit instances and webhooks', () => {
  it('awards a badge, sends a signed award webhook over HTTP, and refuses a repeat', async () => {
    hooks.received.length = 0;
    const r = await bk(t, 'POST', `${B}/instances`, { email: 'Learner@Example.org', comment: 'well done' });
    expect(r.status).toBe(201);
    const inst = r.body.instance as Record<string, unknown>;
    expect(inst).toEqual({
      slug: expect.stringMatching(/^[0-9a-f]{40}$/),
      email: 'learner@example.org',
      expires: null,
      issuedOn: expect.any(String),
      assertionUrl: `http://hub.test/badgekit/public/assertions/${String(inst.slug)}`,
      badge: null,
    });
    expect(r.headers.location).toBe(`/public/assertions/${String(inst.slug)}`);
    await t.runJobs();
    const award = await verified(hooks.received.at(-1) ?? { authorization: '', body: '' });
    expect(award).toMatchObject({
      action: 'award',
      uid: inst.slug,
      email: 'learner@example.org',
      comment: 'well done',
      badge: { slug: 'first' },
    });
    expect(typeof award.issuedOn).toBe('number');

    const dup = await bk(t, 'POST', `${B}/instances`, { email: 'learner@example.org' });
    expect(dup.status).toBe(409);
    expect(dup.body).toEqual({
      code: 'ResourceConflict',
      message: 'User learner@example.org has already been awarded badge first',
      details: { assertionUrl: inst.assertionUrl },
    });
  });

  it("names the hub account in badge.awarded when the award goes to that account's verified email", async () => {
    const verified = await createUser(t.deps, {
      username: 'verified',
      name: 'Vera',
      email: 'vera@example.org',
      password: 'a long enough password',
      emailVerified: true,
    });
    await createUser(t.deps, {
      username: 'unverified',
      name: 'Una',
      email: 'una@example.org',
      password: 'a long enough password',
    });
    expect((await bk(t, 'POST', `${B}/instances`, { email: 'VERA@example.org' })).status).toBe(201);
    expect((await bk(t, 'POST', `${B}/instances`, { email: 'una@example.org' })).status).toBe(201);
    const events = await t.deps.pool.query<{ payload: { user: { id: string; profile_url: string } | null } }>(
      `select payload from domain_events where type = 'badge.awarded' and payload->'assertion' is not null
       order by seq desc limit 2`,
    );
    const [una, vera] = events.rows.map((r) => r.payload.user);
    expect(vera).toMatchObject({ id: verified.id, profile_url: 'http://hub.test/u/verified' });
    expect(una).toBeNull();
    await t.runJobs();
    hooks.received.length = 0;
  });

  it('refuses an invalid email and awards nothing', async () => {
    const r = await bk(t, 'POST', `${B}/instances`, { email: 'not-an-email' });
    expect(r.body).toEqual({
      code: 'ValidationError',
      message: 'Could not validate required fields',
      details: [{ field: 'email', value: 'not-an-email' }],
    });
    const list = await bk(t, 'GET', `${B}/instances`);
    expect((list.body.instances as { email: string }[]).some((i) => i.email === 'not-an-email')).toBe(false);
  });

  it('retries a failed webhook delivery until the receiver accepts it', async () => {
    hooks.received.length = 0;
    hooks.answers.push(500);
    await bk(t, 'POST', `${B}/instances`, { email: 'retry@example.org' });
    await t.runJobs();
    expect(hooks.received).toHaveLength(1);
    await t.makeJobsDue('badges.badgekit_webhook');
    await t.runJobs();
    expect(hooks.received).toHaveLength(2);
    expect(hooks.received[1]?.body).toBe(hooks.received[0]?.body);
    await verified(hooks.received[1] ?? { authorization: '', body: '' });
  });

  it('bulk-awards new emails, skipping ones that hold the badge', async () => {
    const r = await bk(t, 'POST', `${B}/instances/bulk`, {
      emails: ['learner@example.org', 'bulk1@example.org', 'bulk2@example.org'],
    });
    expect(r.status).toBe(201);
    expect((r.body.instances as { email: string }[]).map((i) => i.email)).toEqual([
      'bulk1@example.org',
      'bulk2@example.org',
    ]);
    const bad = await bk(t, 'POST', `${B}/instances/bulk`, { emails: 'x@example.org' });
    expect(bad.status).toBe(400);
  });

  it("lists a badge's instances and a learner's instances in a context", async () => {
    const one = await bk(t, 'GET', `${B}/instances/learner@example.org`);
    expect(one.body.instance).toMatchObject({ email: 'learner@example.org', badge: { slug: 'first' } });
    const ctx = await bk(t, 'GET', '/systems/chicago/instances/learner@example.org');
    expect((ctx.body.instances as unknown[]).length).toBe(1);
    const missing = await bk(t, 'GET', `${B}/instances/nobody@example.org`);
    expect(missing.body.message).toBe(
      'Could not find badgeInstance field: `email`, value: `nobody@example.org`',
    );
  });

  it('revokes an award with a signed revoke webhook; the learner can be awarded again', async () => {
    hooks.received.length = 0;
    const r = await bk(t, 'DELETE', `${B}/instances/bulk1@example.org`);
    expect(r.status).toBe(200);
    expect(r.body.status).toBeUndefined();
    expect(r.body.instance).toMatchObject({ email: 'bulk1@example.org' });
    await t.runJobs();
    expect(await verified(hooks.received.at(-1) ?? { authorization: '', body: '' })).toMatchObject({
      action: 'revoke',
      email: 'bulk1@example.org',
    });
    expect((await bk(t, 'GET', `${B}/instances/bulk1@example.org`)).status).toBe(404);
    expect((await bk(t, 'POST', `${B}/instances`, { email: 'bulk1@example.org' })).status).toBe(201);
  });
});

describe('BadgeKit milestones', () => {
  it('awards the primary badge once enough support badges are held', async () => {
    const ids: number[] = [];
    for (const slug of ['s1', 's2', 's3', 'master']) {
      const r = await bk(t, 'POST', '/systems/chicago/badges', badgeInput({ slug }));
      ids.push((r.body.badge as { id: number }).id);
    }
    const [s1, s2, s3, master] = ids;
    const m = await bk(t, 'POST', '/systems/chicago/milestones', {
      primaryBadgeId: master,
      numberRequired: 2,
      supportBadges: [s1, s2, s3],
    });
    expect(m.status).toBe(201);
    expect(m.body.milestone).toMatchObject({
      action: 'issue',
      numberRequired: 2,
      primaryBadge: { slug: 'master' },
    });
    const mid = (m.body.milestone as { id: number }).id;
    const got = await bk(t, 'GET', '/systems/chicago/badges/master');
    expect((got.body.badge as { milestones: unknown[] }).milestones).toHaveLength(1);

    hooks.received.length = 0;
    await bk(t, 'POST', '/systems/chicago/badges/s1/instances', { email: 'ms@example.org' });
    expect((await bk(t, 'GET', '/systems/chicago/badges/master/instances/ms@example.org')).status).toBe(404);
    await bk(t, 'POST', '/systems/chicago/badges/s2/instances', { email: 'ms@example.org' });
    expect((await bk(t, 'GET', '/systems/chicago/badges/master/instances/ms@example.org')).status).toBe(200);
    await t.runJobs();
    const bodies = await Promise.all(hooks.received.map(verified));
    const auto = bodies.find(
      (b) => b.action === 'award' && (b.badge as { slug: string }).slug === 's2' && !('comment' in b),
    );
    expect(auto).toBeDefined();

    const removed = await bk(t, 'POST', `/systems/chicago/milestones/${mid}/remove-badge`, { badgeId: s3 });
    expect((removed.body.milestone as { supportBadges: unknown[] }).supportBadges).toHaveLength(2);
    const missing = await bk(t, 'GET', '/systems/chicago/milestones/9999');
    expect(missing.body).toEqual({
      code: 'ResourceNotFound',
      message: 'Could not find milestone field: `id`, value: `9999`',
    });
    expect((await bk(t, 'DELETE', `/systems/chicago/milestones/${mid}`)).body).toEqual({ status: 'deleted' });
  });
});

describe('BadgeKit applications and reviews', () => {
  it('walks an application through a review with the review webhook', async () => {
    const created = await bk(t, 'POST', `${B}/applications`, {
      learner: 'applicant@example.org',
      evidence: [{ url: 'https://example.org/work', mediaType: 'link', reflection: 'I did it' }],
    });
    expect(created.status).toBe(201);
    const app = created.body.application as { slug: string; evidence: unknown[] };
    expect(app.slug).toMatch(/^[0-9a-f]{32}$/);
    expect(app.evidence).toEqual([
      { url: 'https://example.org/work', mediaType: 'link', reflection: 'I did it' },
    ]);
    const A = `${B}/applications/${app.slug}`;
    const unprocessed = await bk(t, 'GET', '/systems/chicago/applications?processed=false');
    expect((unprocessed.body.applications as unknown[]).length).toBe(1);
    const badParam = await bk(t, 'GET', '/systems/chicago/applications?processed=nah');
    expect(badParam.body.code).toBe('InvalidParameter');

    const badge = await bk(t, 'GET', B);
    const criterion = (badge.body.badge as { criteria: { id: number }[] }).criteria[0]?.id ?? 0;
    hooks.received.length = 0;
    const review = await bk(t, 'POST', `${A}/reviews`, {
      author: 'rev@example.org',
      comment: 'good',
      reviewItems: [{ criterionId: criterion, satisfied: 1 }],
    });
    expect(review.status).toBe(201);
    await t.runJobs();
    const hook = await verified(hooks.received.at(-1) ?? { authorization: '', body: '' });
    expect(hook).toMatchObject({
      action: 'review',
      approved: true,
      application: { slug: app.slug, evidence: [], badge: { slug: 'first' } },
    });

    const put = await bk(t, 'PUT', A, { processed: '2026-01-02T03:04:05Z' });
    expect((put.body.application as { processed: string }).processed).toBe('2026-01-02T03:04:05.000Z');
    const rs = (review.body.review as { slug: string }).slug;
    const del = await bk(t, 'DELETE', `${A}/reviews/${rs}`);
    expect(del.body).toMatchObject({ status: 'deleted', badge: { slug: rs } });
    expect((await bk(t, 'DELETE', A)).body).toMatchObject({
      status: 'deleted',
      application: { badge: null },
    });
  });
});

describe('BadgeKit awards through the issuer and program nestings', () => {
  it('issues, lists and revokes through /issuers/... and /programs/...', async () => {
    const P = '/systems/chicago/issuers/mozilla/programs/webmaker';
    await bk(t, 'POST', `${P}/badges`, badgeInput({ slug: 'prog-badge' }));
    await bk(t, 'POST', `${P}/badges/prog-badge/codes`, { code: 'PCODE' });
    const award = await bk(t, 'POST', `${P}/badges/prog-badge/instances`, {
      email: 'prog@example.org',
      claimCode: 'PCODE',
    });
    expect(award.status).toBe(201);
    const viaIssuer = await bk(t, 'GET', '/systems/chicago/issuers/mozilla/instances/prog@example.org');
    expect((viaIssuer.body.instances as { badge: { slug: string } }[]).map((i) => i.badge.slug)).toEqual([
      'prog-badge',
    ]);
    const code = await bk(t, 'GET', '/systems/chicago/issuers/mozilla/codes/PCODE');
    expect(code.body.badge).toMatchObject({ slug: 'prog-badge', claimed: 1 });
    expect((await bk(t, 'GET', `/systems/chicago/issuers/other/badges/prog-badge/instances`)).status).toBe(
      404,
    );
    const revoke = await bk(t, 'DELETE', `${P}/badges/prog-badge/instances/prog@example.org`);
    expect(revoke.status).toBe(200);
    const app = await bk(t, 'POST', `${P}/badges/prog-badge/applications`, { learner: 'prog@example.org' });
    expect(app.status).toBe(201);
    const list = await bk(t, 'GET', `${P}/applications?email=prog@example.org`);
    expect((list.body.applications as unknown[]).length).toBe(1);
  });
});
