import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/support/app.ts';
import { createConsumer } from '../../modules/badges/index.ts';
import { badgeInput, bk, MASTER, seedContainers } from './badgekit.testing.ts';

// A consumer key of one system against every kind of route of another, through the whole dialect.
let t: TestApp;
let key = { key: '', secret: '' };
let milestone = 0;
let application = '';
let review = '';
const C = '/systems/chicago';
const B = `${C}/issuers/mozilla/badges/target`;

beforeAll(async () => {
  t = await buildTestApp({ env: { BADGEKIT_MASTER_SECRET: MASTER } });
  await seedContainers(t);
  await bk(t, 'POST', '/systems', { slug: 'alpha', name: 'Alpha', url: 'https://alpha.example.org' });
  const c = await createConsumer(t.deps, 'alpha', 'the other site');
  key = { key: c.api_key, secret: c.api_secret };
  const badge = await bk(t, 'POST', `${C}/issuers/mozilla/badges`, badgeInput({ slug: 'target' }));
  const primary = await bk(t, 'POST', `${C}/badges`, badgeInput({ slug: 'primary' }));
  await bk(t, 'POST', `${B}/codes`, { code: 'CODE1' });
  await bk(t, 'POST', `${B}/instances`, { email: 'held@example.org' });
  const a = await bk(t, 'POST', `${B}/applications`, { learner: 'applicant@example.org' });
  application = String((a.body.application as { slug: string }).slug);
  const r = await bk(t, 'POST', `${B}/applications/${application}/reviews`, { author: 'r@example.org' });
  review = String((r.body.review as { slug: string }).slug);
  const m = await bk(t, 'POST', `${C}/milestones`, {
    primaryBadgeId: (primary.body.badge as { id: number }).id,
    numberRequired: 1,
    supportBadges: [(badge.body.badge as { id: number }).id],
  });
  milestone = (m.body.milestone as { id: number }).id;
});
afterAll(() => t.close());

/** What master sees of chicago: every list, to compare before and after. */
async function snapshot() {
  const paths = [
    '/systems',
    `${C}/issuers`,
    `${C}/badges?archived=any`,
    `${B}/codes`,
    `${B}/instances`,
    `${B}/applications`,
    `${B}/applications/${application}/reviews`,
    `${C}/milestones`,
  ];
  return Promise.all(paths.map(async (p) => (await bk(t, 'GET', p)).body));
}

describe('a consumer key of another system', () => {
  it('is refused every read and change of chicago, and chicago is unchanged', async () => {
    const before = await snapshot();
    const A = `${B}/applications/${application}`;
    const attempts: [string, string, unknown?][] = [
      ['GET', C],
      ['PUT', C, { name: 'Taken' }],
      ['DELETE', C],
      ['GET', `${C}/issuers`],
      ['POST', `${C}/issuers`, { slug: 'x', name: 'X', url: 'https://x.org' }],
      ['GET', `${C}/issuers/mozilla/programs`],
      ['GET', `${C}/badges`],
      ['GET', `${C}/issuers/mozilla/programs/webmaker/badges`],
      ['POST', `${C}/badges`, badgeInput({ slug: 'planted' })],
      ['GET', B],
      ['PUT', B, { name: 'Renamed' }],
      ['DELETE', B],
      ['GET', `${B}/codes`],
      ['POST', `${B}/codes/random`, {}],
      ['GET', `${B}/codes/CODE1`],
      ['POST', `${B}/codes/CODE1/claim`, {}],
      ['DELETE', `${B}/codes/CODE1`],
      ['GET', `${C}/codes/CODE1`],
      ['POST', `${B}/instances`, { email: 'me@example.org' }],
      ['POST', `${B}/instances/bulk`, { emails: ['me@example.org'] }],
      ['GET', `${B}/instances`],
      ['GET', `${B}/instances/held@example.org`],
      ['DELETE', `${B}/instances/held@example.org`],
      ['GET', `${C}/instances/held@example.org`],
      ['GET', `${C}/applications`],
      ['POST', `${B}/applications`, { learner: 'me@example.org' }],
      ['GET', A],
      ['PUT', A, { assignedTo: 'me@example.org' }],
      ['DELETE', A],
      ['GET', `${A}/reviews`],
      ['POST', `${A}/reviews`, { author: 'me@example.org' }],
      ['PUT', `${A}/reviews/${review}`, { comment: 'mine' }],
      ['DELETE', `${A}/reviews/${review}`],
      ['GET', `${C}/milestones`],
      ['POST', `${C}/milestones`, { primaryBadgeId: 1, numberRequired: 1, supportBadges: [] }],
      ['GET', `${C}/milestones/${milestone}`],
      ['PUT', `${C}/milestones/${milestone}`, { numberRequired: 9 }],
      ['POST', `${C}/milestones/${milestone}/remove-badge`, { badgeId: 1 }],
      ['DELETE', `${C}/milestones/${milestone}`],
      ['GET', '/systems/no-such-system/badges'],
      ['GET', '/systems'],
    ];
    for (const [method, path, body] of attempts) {
      const r = await bk(t, method, path, body, key);
      expect({ at: `${method} ${path}`, status: r.status, code: r.body.code }).toEqual({
        at: `${method} ${path}`,
        status: 403,
        code: 'NotAuthorized',
      });
    }
    expect(await snapshot()).toEqual(before);
  });

  it('still works on its own system', async () => {
    const own = await bk(t, 'POST', '/systems/alpha/badges', badgeInput({ slug: 'own' }), key);
    expect(own.status).toBe(201);
    expect((await bk(t, 'GET', '/systems/alpha/badges', undefined, key)).body.badges).toHaveLength(1);
  });
});
