import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/support/app.ts';
import { appLabel, whenAppChangesHeard } from '../oauth/index.ts';
import { messagingWorld } from './messaging.testing.ts';

// Mail names the sending app ("MOOC via Learnhub"). The name comes from a per-process cache that a rename
// must empty, in the process that renamed the app and in every other one (oauth.app-cache.ts).
let t: TestApp;
let w: Awaited<ReturnType<typeof messagingWorld>>;

beforeAll(async () => {
  t = await buildTestApp();
  w = await messagingWorld(t);
  // From here on the cache is in use (it is bypassed while changes cannot be heard).
  await whenAppChangesHeard(t.deps);
});
afterAll(async () => {
  await t.close();
});

async function mailFromHeader(subject: string): Promise<string | undefined> {
  const res = await w.send({ user_profile: 'http://hub.test/u/alice', subject, content: 'Hello' });
  expect(res.statusCode).toBe(201);
  await t.runJobs();
  // The subject carries an "[App]" prefix, taken when the message was sent.
  const { rows } = await t.deps.pool.query<{ from: string }>(
    'select "from" from outbox where subject like $1',
    [`%] ${subject}`],
  );
  return rows[0]?.from;
}

async function renameBySql(name: string): Promise<void> {
  await t.deps.pool.query('update oauth_apps set name = $1 where id = $2', [name, w.client.id]);
}

describe('app names in mail', () => {
  it('names an app renamed by another process (SQL, the CLI) once the change is announced', async () => {
    await renameBySql('MOOC');
    await expect.poll(() => appLabel(t.deps, w.client.id).then((a) => a?.name)).toBe('MOOC');
    expect(await mailFromHeader('Before the rename')).toContain('MOOC via Learnhub');
    // Nothing in this process clears the cache here: only the trigger's notification can.
    await renameBySql('Open MOOC');
    await expect
      .poll(() => appLabel(t.deps, w.client.id).then((a) => a?.name), { timeout: 5_000 })
      .toBe('Open MOOC');
    expect(await mailFromHeader('After the rename')).toContain('Open MOOC via Learnhub');
  });

  it('names an app renamed through the API in the very next mail', async () => {
    expect(await mailFromHeader('Under the old name')).toMatch(/MOOC via Learnhub/);
    const res = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/apps/${w.client.id}`,
      headers: { authorization: `Bearer ${w.operator}` },
      payload: { name: 'MOOC Academy' },
    });
    expect(res.statusCode).toBe(200);
    expect(await mailFromHeader('Under the new name')).toContain('MOOC Academy via Learnhub');
  });
});
