import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/support/app.ts';
import * as awards from './badges.awards.ts';
import { awardBySlug, ob2Assertion, ob2BadgeClass, ob2Issuer, ob2RevocationList } from './badges.ob2.ts';
import { issueOb3, verifyOb3 } from './badges.ob3.ts';
import { statusChecker } from './badges.status.ts';
import { MASTER, recordingDeps, seedBadge, seedSystem } from './badges.testing.ts';

// The Open Badges documents of an award, built by the module's functions from real rows.
let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

async function awarded(slug: string, input: Record<string, unknown> = {}) {
  await seedSystem(t, slug);
  const ref = { system: slug, issuer: `${slug}-issuer` };
  await seedBadge(t, ref, `${slug}-badge`, {
    tags: ['teamwork'],
    alignments: [{ name: 'Skill', url: 'https://example.org/skill', description: 'A skill' }],
  });
  const d = recordingDeps(t);
  const row = await awards.createInstance(d, MASTER, ref, `${slug}-badge`, {
    email: 'ob@example.org',
    ...input,
  });
  return { ref, d, ...(await awardBySlug(t.deps, row.slug)) };
}

describe('Open Badges 2.0 documents', () => {
  it('hosts an assertion with a salted recipient hash, its badge class and its issuer', async () => {
    const { row, badge } = await awarded('ob2', { expires: '2030-01-01T00:00:00Z' });
    const assertion = ob2Assertion(t.deps, row, badge);
    expect(assertion).toMatchObject({
      type: 'Assertion',
      id: `http://hub.test/ob/v2/assertions/${row.slug}`,
      recipient: {
        type: 'email',
        hashed: true,
        salt: row.salt,
        identity: awards.emailHash('ob@example.org', row.salt),
      },
      badge: 'http://hub.test/ob/v2/badges/ob2-badge',
      verification: { type: 'HostedBadge' },
      expires: '2030-01-01T00:00:00.000Z',
    });
    const badgeClass = ob2BadgeClass(t.deps, badge);
    expect(badgeClass).toMatchObject({
      type: 'BadgeClass',
      tags: ['teamwork'],
      alignment: [
        { targetName: 'Skill', targetUrl: 'https://example.org/skill', targetDescription: 'A skill' },
      ],
    });
    const issuerId = String(badgeClass.issuer).split('/').at(-1) ?? '';
    expect(issuerId).toMatch(/^issuer-\d+$/);
    expect(await ob2Issuer(t.deps, issuerId)).toMatchObject({ type: 'Issuer', name: 'Issuer of ob2' });
  });

  it('shows a revoked assertion as revoked, with its reason, and lists it in the issuer revocation list', async () => {
    const { ref, d, row } = await awarded('ob2r');
    await awards.revokeInstance(d, MASTER, ref, 'ob2r-badge', 'ob@example.org', 'mistake');
    const after = await awardBySlug(t.deps, row.slug);
    expect(ob2Assertion(t.deps, after.row, after.badge)).toEqual({
      '@context': 'https://w3id.org/openbadges/v2',
      id: `http://hub.test/ob/v2/assertions/${row.slug}`,
      type: 'Assertion',
      revoked: true,
      revocationReason: 'mistake',
    });
    const issuerId = String(ob2BadgeClass(t.deps, after.badge).issuer).split('/').at(-1) ?? '';
    const list = await ob2RevocationList(t.deps, issuerId);
    expect(list.revokedAssertions).toEqual([
      { id: `http://hub.test/ob/v2/assertions/${row.slug}`, revocationReason: 'mistake' },
    ]);
  });

  it('answers not found for an unknown award and a malformed issuer id', async () => {
    await expect(awardBySlug(t.deps, 'nope')).rejects.toMatchObject({ code: 'badges.not_found' });
    await expect(awardBySlug(t.deps, 'x'.repeat(300))).rejects.toMatchObject({ code: 'badges.not_found' });
    await expect(ob2Issuer(t.deps, 'system-abc')).rejects.toMatchObject({ code: 'badges.not_found' });
  });
});

describe('Open Badges 3.0 credentials', () => {
  it('issues a credential that verifies with its status until the award is revoked', async () => {
    const { ref, d, row, badge } = await awarded('ob3');
    const credential = (await issueOb3(t.deps, row, badge)) as Record<string, unknown>;
    const check = statusChecker(t.deps);
    expect(await verifyOb3(credential, check)).toEqual({ verified: true });
    await awards.revokeInstance(d, MASTER, ref, 'ob3-badge', 'ob@example.org');
    expect(await verifyOb3(credential, check)).toEqual({ verified: false, revoked: true });
  }, 60_000);

  it('refuses a credential whose subject was changed after signing', async () => {
    const { row, badge } = await awarded('ob3t');
    const credential = (await issueOb3(t.deps, row, badge)) as Record<string, unknown>;
    const tampered = { ...credential, name: 'Something else' };
    expect(await verifyOb3(tampered, statusChecker(t.deps))).toEqual({ verified: false });
  }, 60_000);
});
