import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/support/app.ts';
import { Browser, formOf } from '../../../test/support/web.ts';
import { ManualClock } from '../../lib/runtime.ts';
import { activityWorld, COURSE } from './activity.testing.ts';

let t: TestApp;
let w: Awaited<ReturnType<typeof activityWorld>>;
const clock = new ManualClock('2026-03-01T10:00:00Z');
let bobToken: string;

beforeAll(async () => {
  t = await buildTestApp({ clock });
  w = await activityWorld(t);
  bobToken = (await w.userToken('bob', 'openid activities:publish')).body.access_token;
});
afterAll(async () => {
  await t.close();
});

const ids = (res: { json: () => { data: { id: string }[] } }) => res.json().data.map((a) => a.id);
const asAlice = () => ({ cookie: w.aliceBrowser.cookieHeader() });

async function publish(token: string, payload: Record<string, unknown>, id?: string): Promise<string> {
  clock.advance(1000);
  const res = id ? await w.put(token, id, payload) : await w.publish(token, payload);
  if (res.statusCode !== 201) throw new Error(`publish answered ${res.statusCode}: ${res.body}`);
  return res.json<{ id: string }>().id;
}

describe('deleting an activity', () => {
  it('lets the person it is about delete it: it leaves every feed and a repeated PUT cannot bring it back', async () => {
    const mine = await publish(
      w.appToken,
      { actor: w.profile('alice'), verb: 'post', object: `${COURSE}/c/1`, course: COURSE },
      'c-1',
    );
    const res = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/activities/${mine}`,
      headers: asAlice(),
    });
    expect(res.statusCode).toBe(204);
    expect(ids(await w.feed({ noun: w.profile('alice') }))).not.toContain(mine);
    expect(ids(await w.feed({ noun: COURSE }))).not.toContain(mine);
    expect(ids(await w.feed({ noun: w.profile('alice') }, asAlice()))).not.toContain(mine);
    const again = await w.put(w.appToken, 'c-1', {
      actor: w.profile('alice'),
      verb: 'post',
      object: `${COURSE}/c/1`,
      course: COURSE,
    });
    expect(again.statusCode).toBe(410);
    expect(again.json().code).toBe('activity.deleted');
    const twice = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/activities/${mine}`,
      headers: asAlice(),
    });
    expect(twice.statusCode).toBe(404);
  });

  it('lets a person delete an activity naming them as its object, but not one that is not about them', async () => {
    const aboutAlice = await publish(bobToken, {
      actor: w.profile('bob'),
      verb: 'follow',
      object: w.profile('alice'),
    });
    const bobsOwn = await publish(bobToken, {
      actor: w.profile('bob'),
      verb: 'post',
      object: `${COURSE}/c/2`,
    });
    const refused = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/activities/${bobsOwn}`,
      headers: asAlice(),
    });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().code).toBe('activity.not_permitted');
    expect(ids(await w.feed({ noun: w.profile('bob') }))).toContain(bobsOwn);
    const ok = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/activities/${aboutAlice}`,
      headers: asAlice(),
    });
    expect(ok.statusCode).toBe(204);
    expect(ids(await w.feed({ noun: w.profile('bob') }))).not.toContain(aboutAlice);
  });

  it('answers an unknown or malformed id with 404 and an anonymous caller with 401', async () => {
    const unknown = await t.app.inject({
      method: 'DELETE',
      url: '/api/v1/activities/00000000-0000-4000-8000-000000000000',
      headers: asAlice(),
    });
    expect(unknown.statusCode).toBe(404);
    const malformed = await t.app.inject({
      method: 'DELETE',
      url: '/api/v1/activities/nope',
      headers: asAlice(),
    });
    expect(malformed.statusCode).toBe(404);
    const anonymous = await t.app.inject({ method: 'DELETE', url: '/api/v1/activities/nope' });
    expect(anonymous.statusCode).toBe(401);
  });

  it('shows the feed on the profile page, with a delete button for its owner that works', async () => {
    const id = await publish(w.appToken, {
      actor: w.profile('alice'),
      verb: 'post',
      object: `${COURSE}/c/3`,
      message: 'Alice posted a <b>comment</b>',
    });
    const anonymousView = await new Browser(t.app).get('/u/alice');
    expect(anonymousView.statusCode).toBe(200);
    expect(anonymousView.body).toContain('Alice posted a &lt;b>comment&lt;/b>');
    expect(anonymousView.body).not.toContain(`/activity/${id}/delete`);
    const own = await w.aliceBrowser.get('/u/alice');
    expect(own.body).toContain(`/activity/${id}/delete`);
    const confirm = await w.aliceBrowser.get(`/activity/${id}/delete`);
    expect(confirm.statusCode).toBe(200);
    const form = formOf(confirm.body, `/activity/${id}/delete`);
    const forged = await w.aliceBrowser.post(form.action, { _csrf: 'forged' });
    expect(forged.statusCode).toBe(403);
    expect(ids(await w.feed({ noun: w.profile('alice') }))).toContain(id);
    const done = await w.aliceBrowser.post(form.action, form.hidden);
    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toBe('/u/alice#activity');
    expect(ids(await w.feed({ noun: w.profile('alice') }))).not.toContain(id);
    expect((await w.aliceBrowser.get('/u/alice')).body).not.toContain('Alice posted a');
  });
});

describe('a private feed', () => {
  it('hides a private person’s activities from everyone but themselves, at once and reversibly', async () => {
    const id = await publish(w.appToken, {
      actor: w.profile('alice'),
      verb: 'join',
      object: `${COURSE}/private-test`,
      course: COURSE,
    });
    const set = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/me/activity-settings',
      headers: asAlice(),
      payload: { private: true },
    });
    expect(set.statusCode).toBe(200);
    expect(set.json()).toEqual({ private: true });
    // Hidden from anonymous readers, apps, other people, and in every noun's feed.
    expect(ids(await w.feed({ noun: w.profile('alice') }))).not.toContain(id);
    expect(ids(await w.feed({ noun: COURSE }))).not.toContain(id);
    expect(
      ids(await w.feed({ noun: w.profile('alice') }, { authorization: `Bearer ${w.appToken}` })),
    ).not.toContain(id);
    expect(ids(await w.feed({ noun: COURSE }, { authorization: `Bearer ${bobToken}` }))).not.toContain(id);
    const as2 = await w.feed({ noun: COURSE }, { accept: 'application/activity+json' });
    expect(JSON.stringify(as2.json())).not.toContain(id);
    expect((await new Browser(t.app).get('/u/alice')).body).not.toContain('private-test');
    // Still hers to see, in the API and on her profile.
    expect(ids(await w.feed({ noun: w.profile('alice') }, asAlice()))).toContain(id);
    expect(ids(await w.feed({ noun: COURSE }, { authorization: `Bearer ${w.aliceToken}` }))).toContain(id);
    const own = await w.aliceBrowser.get('/u/alice');
    expect(own.body).toContain('Your feed is private');

    const read = await t.app.inject({ url: '/api/v1/me/activity-settings', headers: asAlice() });
    expect(read.json()).toEqual({ private: true });
    await t.app.inject({
      method: 'PUT',
      url: '/api/v1/me/activity-settings',
      headers: asAlice(),
      payload: { private: false },
    });
    expect(ids(await w.feed({ noun: COURSE }))).toContain(id);
  });

  it('can be switched on and off with the settings form, which needs a valid CSRF token', async () => {
    const page = await w.aliceBrowser.get('/account/activity');
    expect(page.statusCode).toBe(200);
    const form = formOf(page.body, '/account/activity');
    expect((await w.aliceBrowser.post('/account/activity', { private: 'on' })).statusCode).toBe(403);
    const saved = await w.aliceBrowser.post('/account/activity', { ...form.hidden, private: 'on' });
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe('/account/activity?saved=1');
    const after = await w.aliceBrowser.get('/account/activity?saved=1');
    expect(after.body).toContain('were saved');
    expect(after.body).toMatch(/name="private"[^>]*checked/);
    const settings = await t.app.inject({ url: '/api/v1/me/activity-settings', headers: asAlice() });
    expect(settings.json()).toEqual({ private: true });
    await w.aliceBrowser.post('/account/activity', formOf(after.body, '/account/activity').hidden);
    expect((await t.app.inject({ url: '/api/v1/me/activity-settings', headers: asAlice() })).json()).toEqual({
      private: false,
    });
  });

  it('sends someone not signed in to the sign-in page from the settings page', async () => {
    const res = await new Browser(t.app).get('/account/activity');
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toContain('/login');
  });
});
