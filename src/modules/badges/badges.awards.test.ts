import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/support/app.ts';
import { createUser } from '../identity/index.ts';
import * as awards from './badges.awards.ts';
import * as codes from './badges.codes.ts';
import { createMilestone } from './badges.milestones.ts';
import { countRows, eventsOfType, MASTER, recordingDeps, seedBadge, seedSystem } from './badges.testing.ts';
import { setWebhook } from './badges.webhooks.ts';

// Awarding, claim codes, milestones and revocation, through the use-cases, on a real database. Each case
// seeds its own system, so any one can run alone.
let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

async function world(slug: string, withHook = false) {
  await seedSystem(t, slug);
  if (withHook) await setWebhook(t.deps, slug, `https://${slug}.example.org/hook`, 'a-webhook-secret-0123');
  const ref = { system: slug, issuer: `${slug}-issuer` };
  const badge = await seedBadge(t, ref, `${slug}-badge`);
  return { ref, badge, d: recordingDeps(t) };
}

describe('awarding', () => {
  it('awards to a lower-cased email with badge.awarded and the award webhook in one transaction', async () => {
    const { ref, badge, d } = await world('aw1', true);
    const row = await awards.createInstance(d, MASTER, ref, 'aw1-badge', {
      email: 'Learner@Example.org',
      comment: 'well done',
    });
    expect(row).toMatchObject({ email: 'learner@example.org', badgeId: badge.row.id, revokedAt: null });
    const [event] = (await eventsOfType(t, 'badge.awarded')).filter((e) =>
      JSON.stringify(e).includes(row.slug),
    );
    expect(event).toMatchObject({ badge: { slug: 'aw1-badge' }, assertion: { id: row.slug }, user: null });
    expect(d.events).toMatchObject([{ action: 'award', instance: { slug: row.slug }, comment: 'well done' }]);
    const queued = await t.deps.pool.query('select body from badge_webhook_deliveries');
    expect(queued.rows).toContainEqual({ body: '{"action":"award"}' });
  });

  it('names the hub person whose verified address is awarded, and nobody for an unverified one', async () => {
    const { ref, d } = await world('aw2');
    await createUser(t.deps, {
      username: 'verified',
      name: 'V',
      email: 'verified@example.org',
      password: 'correct horse battery staple',
      emailVerified: true,
    });
    await createUser(t.deps, {
      username: 'unverified',
      name: 'U',
      email: 'unverified@example.org',
      password: 'correct horse battery staple',
      emailVerified: false,
    });
    const a = await awards.createInstance(d, MASTER, ref, 'aw2-badge', { email: 'verified@example.org' });
    const b = await awards.createInstance(d, MASTER, ref, 'aw2-badge', { email: 'unverified@example.org' });
    expect(a.userId).not.toBeNull();
    expect(b.userId).toBeNull();
  });

  it('refuses a second live award of a badge to one email, naming the first, and queues nothing', async () => {
    const { ref, d } = await world('aw3', true);
    const first = await awards.createInstance(d, MASTER, ref, 'aw3-badge', { email: 'twice@example.org' });
    const deliveries = await countRows(t, 'badge_webhook_deliveries');
    await expect(
      awards.createInstance(d, MASTER, ref, 'aw3-badge', { email: 'TWICE@example.org' }),
    ).rejects.toMatchObject({
      code: 'badges.already_awarded',
      status: 409,
      details: { assertionUrl: awards.assertionUrl(t.deps, first.slug) },
    });
    expect(await countRows(t, 'badge_webhook_deliveries')).toBe(deliveries);
  });

  it('refuses bad input field by field and awards nothing', async () => {
    const { ref, d } = await world('aw4');
    const before = await countRows(t, 'badge_instances');
    await expect(
      awards.createInstance(d, MASTER, ref, 'aw4-badge', { email: 'not-an-email', expires: 'soon' }),
    ).rejects.toMatchObject({
      code: 'badges.invalid',
      details: { errors: [{ field: 'email' }, { field: 'expires' }] },
    });
    await expect(
      awards.createInstance(d, MASTER, ref, 'no-such-badge', { email: 'x@example.org' }),
    ).rejects.toMatchObject({ code: 'badges.not_found', status: 404 });
    await expect(
      awards.createInstances(d, MASTER, ref, 'aw4-badge', { emails: ['ok@example.org', 'bad'] }),
    ).rejects.toMatchObject({ code: 'badges.invalid', details: { errors: [{ field: 'emails.1' }] } });
    expect(await countRows(t, 'badge_instances')).toBe(before);
  });

  it('awards in bulk once per new email, skipping holders and repeats', async () => {
    const { ref, d } = await world('aw5');
    await awards.createInstance(d, MASTER, ref, 'aw5-badge', { email: 'held@example.org' });
    const rows = await awards.createInstances(d, MASTER, ref, 'aw5-badge', {
      emails: ['held@example.org', 'new@example.org', 'NEW@example.org', 'other@example.org'],
    });
    expect(rows.map((r) => r.email)).toEqual(['new@example.org', 'other@example.org']);
    const listed = await awards.listInstances(d, MASTER, ref, 'aw5-badge', { page: 1, count: 2 });
    expect(listed.total).toBe(3);
    expect(listed.items).toHaveLength(2);
  });
});

describe('claim codes', () => {
  it('redeems a single-use code once while awarding, then refuses it', async () => {
    const { ref, d } = await world('cc1');
    await codes.createCode(d, MASTER, ref, 'cc1-badge', { code: 'ONCE' }, false);
    await awards.createInstance(d, MASTER, ref, 'cc1-badge', { email: 'a@example.org', claimCode: 'ONCE' });
    const code = await codes.getCode(d, MASTER, ref, 'cc1-badge', 'ONCE');
    expect(code.row).toMatchObject({ claimed: true, email: 'a@example.org' });
    await expect(
      awards.createInstance(d, MASTER, ref, 'cc1-badge', { email: 'b@example.org', claimCode: 'ONCE' }),
    ).rejects.toMatchObject({ code: 'badges.code_already_used', status: 400 });
    await expect(
      awards.createInstance(d, MASTER, ref, 'cc1-badge', { email: 'b@example.org', claimCode: 'NOPE' }),
    ).rejects.toMatchObject({ code: 'badges.not_found' });
    const held = await awards.learnerInstances(d, MASTER, { system: 'cc1' }, 'b@example.org');
    expect(held.total).toBe(0);
  });

  it('lets a multi-use code be claimed again, and claiming alone awards nothing', async () => {
    const { ref, d } = await world('cc2');
    await codes.createCode(d, MASTER, ref, 'cc2-badge', { code: 'MANY', multiuse: 1 }, false);
    await codes.claimCode(d, MASTER, ref, 'cc2-badge', 'MANY', { email: 'one@example.org' });
    const again = await codes.claimCode(d, MASTER, ref, 'cc2-badge', 'MANY', { email: 'two@example.org' });
    expect(again.row).toMatchObject({ claimed: true, multiuse: true, email: 'two@example.org' });
    const found = await codes.badgeForCode(d, MASTER, { system: 'cc2' }, 'MANY');
    expect(found).toMatchObject({ badge: { row: { slug: 'cc2-badge' } }, claimed: false });
    expect((await awards.listInstances(d, MASTER, ref, 'cc2-badge')).total).toBe(0);
  });

  it('refuses a duplicate code, a used single-use claim, and an unknown code', async () => {
    const { ref, d } = await world('cc3');
    const random = await codes.createCode(d, MASTER, ref, 'cc3-badge', {}, true);
    expect(random.row.code).toMatch(/^[0-9a-f]{10}$/);
    await codes.createCode(d, MASTER, ref, 'cc3-badge', { code: 'DUP' }, false);
    await expect(codes.createCode(d, MASTER, ref, 'cc3-badge', { code: 'DUP' }, false)).rejects.toMatchObject(
      {
        code: 'badges.duplicate',
        status: 409,
      },
    );
    await codes.claimCode(d, MASTER, ref, 'cc3-badge', 'DUP', {});
    await expect(codes.claimCode(d, MASTER, ref, 'cc3-badge', 'DUP', {})).rejects.toMatchObject({
      code: 'badges.code_already_used',
    });
    await expect(codes.badgeForCode(d, MASTER, { system: 'cc3' }, 'NONE')).rejects.toMatchObject({
      code: 'badges.not_found',
    });
    await codes.deleteCode(d, MASTER, ref, 'cc3-badge', 'DUP');
    await expect(codes.getCode(d, MASTER, ref, 'cc3-badge', 'DUP')).rejects.toMatchObject({
      code: 'badges.not_found',
    });
  });
});

describe('milestones', () => {
  it('awards the primary badge once enough support badges are held, naming the trigger, without cascade', async () => {
    const { ref, d } = await world('ms1', true);
    const s2 = await seedBadge(t, ref, 'ms1-second');
    const primary = await seedBadge(t, { system: 'ms1' }, 'ms1-primary');
    const support = [(await seedBadge(t, ref, 'ms1-badge-x')).row.id, s2.row.id];
    await createMilestone(d, MASTER, 'ms1', {
      primaryBadgeId: primary.row.id,
      numberRequired: 2,
      supportBadges: support,
    });
    await awards.createInstance(d, MASTER, ref, 'ms1-badge-x', { email: 'm@example.org' });
    expect((await awards.listInstances(d, MASTER, { system: 'ms1' }, 'ms1-primary')).total).toBe(0);
    await awards.createInstance(d, MASTER, ref, 'ms1-second', { email: 'm@example.org' });
    const got = await awards.getInstance(d, MASTER, { system: 'ms1' }, 'ms1-primary', 'm@example.org');
    expect(got.row.email).toBe('m@example.org');
    const milestoneAward = d.events.find(
      (e) => e.action === 'award' && e.instance.badgeId === primary.row.id,
    );
    expect(milestoneAward).toMatchObject({ badge: { row: { slug: 'ms1-second' } }, comment: undefined });
  });

  it("refuses a milestone naming another system's badge or too few required, storing nothing", async () => {
    const { ref, badge, d } = await world('ms2');
    const other = await world('ms2-other');
    const before = await countRows(t, 'badge_milestones');
    await expect(
      createMilestone(d, MASTER, 'ms2', {
        primaryBadgeId: other.badge.row.id,
        numberRequired: 0,
        supportBadges: [badge.row.id],
      }),
    ).rejects.toMatchObject({
      code: 'badges.invalid',
      details: { errors: [{ field: 'primaryBadgeId' }, { field: 'numberRequired' }] },
    });
    expect(await countRows(t, 'badge_milestones')).toBe(before);
    expect(ref.system).toBe('ms2');
  });
});

describe('revocation', () => {
  it('revokes with badge.revoked and the revoke webhook; the award is gone and can be made again', async () => {
    const { ref, d } = await world('rv1', true);
    const row = await awards.createInstance(d, MASTER, ref, 'rv1-badge', { email: 'r@example.org' });
    const revoked = await awards.revokeInstance(d, MASTER, ref, 'rv1-badge', 'R@example.org', 'cheated');
    expect(revoked.row).toMatchObject({ slug: row.slug, revocationReason: 'cheated' });
    expect(revoked.row.revokedAt).toBeInstanceOf(Date);
    const [event] = (await eventsOfType(t, 'badge.revoked')).filter((e) =>
      JSON.stringify(e).includes(row.slug),
    );
    expect(event).toMatchObject({ assertion: { id: row.slug }, reason: 'cheated' });
    expect(d.events.map((e) => e.action)).toEqual(['award', 'revoke']);
    await expect(awards.getInstance(d, MASTER, ref, 'rv1-badge', 'r@example.org')).rejects.toMatchObject({
      code: 'badges.not_found',
    });
    await expect(awards.revokeInstance(d, MASTER, ref, 'rv1-badge', 'r@example.org')).rejects.toMatchObject({
      code: 'badges.not_found',
    });
    const again = await awards.createInstance(d, MASTER, ref, 'rv1-badge', { email: 'r@example.org' });
    expect(again.slug).not.toBe(row.slug);
  });
});
