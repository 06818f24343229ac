import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/support/app.ts';
import { whenAppChangesHeard } from '../oauth/index.ts';
import { activityWorld, COURSE } from './activity.testing.ts';

// Activity Streams pages name the publishing app as each activity's generator, from a per-process cache of
// app names that a rename anywhere must empty (oauth.app-cache.ts).
let t: TestApp;
let w: Awaited<ReturnType<typeof activityWorld>>;

beforeAll(async () => {
  t = await buildTestApp();
  w = await activityWorld(t);
  await whenAppChangesHeard(t.deps);
  const res = await w.publish(w.appToken, { verb: 'post', object: `${COURSE}/comments/9`, course: COURSE });
  expect(res.statusCode).toBe(201);
});
afterAll(async () => {
  await t.close();
});

async function generatorName(): Promise<string | undefined> {
  const res = await w.feed({ noun: COURSE }, { accept: 'application/activity+json' });
  expect(res.statusCode).toBe(200);
  return res.json<{ orderedItems: { generator: { name: string } }[] }>().orderedItems[0]?.generator.name;
}

describe('the generator of AS2 activities', () => {
  it('shows an app renamed by another process (SQL, the CLI) once the change is announced', async () => {
    await t.deps.pool.query('update oauth_apps set name = $1 where id = $2', ['MOOC', w.client.id]);
    await expect.poll(generatorName).toBe('MOOC');
    await t.deps.pool.query('update oauth_apps set name = $1 where id = $2', ['MOOC Reloaded', w.client.id]);
    await expect.poll(generatorName, { timeout: 5_000 }).toBe('MOOC Reloaded');
  });
});
