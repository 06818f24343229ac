import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/support/app.ts';
import { ManualClock } from '../../lib/runtime.ts';
import { createConsumer } from '../../modules/badges/index.ts';
import { bk, MASTER, seedContainers } from './badgekit.testing.ts';

// Each process caches a consumer's secret for 30 s (docs/operations.md, "Caches"): a consumer removed by
// another process (the CLI, SQL) must be refused once that time is up.
const clock = new ManualClock('2026-05-01T00:00:00Z');
let t: TestApp;

beforeAll(async () => {
  t = await buildTestApp({ clock, env: { BADGEKIT_MASTER_SECRET: MASTER } });
  await seedContainers(t);
});
afterAll(() => t.close());

describe('the BadgeKit consumer cache', () => {
  it('refuses a consumer removed elsewhere within 30 s', async () => {
    const c = await createConsumer(t.deps, 'chicago', 'cache-site');
    const asConsumer = () =>
      bk(t, 'GET', '/systems/chicago/badges', undefined, { key: c.api_key, secret: c.api_secret });
    expect((await asConsumer()).status).toBe(200);

    await t.deps.pool.query('delete from badge_consumers where api_key = $1', [c.api_key]);
    clock.advance(29_000);
    expect((await asConsumer()).status).toBe(200);
    clock.advance(1_001);
    expect(await asConsumer()).toMatchObject({
      status: 403,
      body: { code: 'NotAuthorized', message: 'Could not find consumer for API key' },
    });
  });
});
