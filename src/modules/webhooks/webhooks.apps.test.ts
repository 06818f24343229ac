import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/support/app.ts';
import { ManualClock } from '../../lib/runtime.ts';
import { createUser } from '../identity/index.ts';
import { createApp } from '../oauth/index.ts';
import { bearer, emitFor, type Receiver, runNextAttempt, startReceiver, verify } from './webhooks.testing.ts';

// Apps as principals (the oauth module's client authentication), and the owner's notice by mail.
const clock = new ManualClock('2031-08-01T00:00:00Z');
let t: TestApp;
let receiver: Receiver;
let owned: { id: string; basic: string };
let other: { id: string; basic: string };

const basic = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

beforeAll(async () => {
  t = await buildTestApp({ clock });
  receiver = await startReceiver(clock);
  const owner = await createUser(t.deps, {
    username: 'hookowner',
    name: 'Hook Owner',
    email: 'owner@example.org',
    password: 'a long and unguessable passphrase',
  });
  const a = await createApp(t.deps, {
    name: 'Owned app',
    redirectUris: ['https://owned.example/cb'],
    ownerUserId: owner.id,
  });
  const b = await createApp(t.deps, { name: 'Other app', redirectUris: ['https://other.example/cb'] });
  owned = { id: a.app.id, basic: basic(a.app.clientId, a.clientSecret) };
  other = { id: b.app.id, basic: basic(b.app.clientId, b.clientSecret) };
});
afterAll(async () => {
  await receiver.close();
  await t.close();
});

async function createAs(app: { basic: string }, body: Record<string, unknown>) {
  return t.app.inject({
    method: 'POST',
    url: '/api/v1/webhooks',
    headers: { authorization: app.basic },
    payload: { url: receiver.url, event_types: ['*'], ...body },
  });
}

describe('webhooks for a real app', () => {
  it('lets an app manage its own endpoints without naming itself, and receive its events', async () => {
    const res = await createAs(owned, {});
    expect(res.statusCode).toBe(201);
    const endpoint = res.json();
    expect(endpoint.app_id).toBe(owned.id);
    const list = await t.app.inject({ url: '/api/v1/webhooks', headers: { authorization: owned.basic } });
    expect(list.json().data.map((e: { id: string }) => e.id)).toEqual([endpoint.id]);

    receiver.received.length = 0;
    await emitFor(t, 'app.authorized', owned.id);
    await t.runJobs();
    expect(receiver.received).toHaveLength(1);
    const [request] = receiver.received;
    if (request) expect(verify(endpoint.secret, request)).toMatchObject({ type: 'app.authorized' });

    await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/webhooks/${endpoint.id}`,
      headers: { authorization: owned.basic },
    });
  });

  it("refuses an app naming another app, and hides the other app's endpoints from it", async () => {
    const naming = await createAs(owned, { app_id: other.id });
    expect(naming.statusCode).toBe(403);
    expect(naming.json().code).toBe('webhooks.wrong_app');

    const theirs = (await createAs(other, {})).json();
    const headers = { authorization: owned.basic };
    const get = await t.app.inject({ url: `/api/v1/webhooks/${theirs.id}`, headers });
    expect(get.statusCode).toBe(404);
    const patch = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/webhooks/${theirs.id}`,
      headers,
      payload: { url: 'https://attacker.example/' },
    });
    expect(patch.statusCode).toBe(404);
    const del = await t.app.inject({ method: 'DELETE', url: `/api/v1/webhooks/${theirs.id}`, headers });
    expect(del.statusCode).toBe(404);
    const still = await t.app.inject({
      url: `/api/v1/webhooks/${theirs.id}`,
      headers: { authorization: other.basic },
    });
    expect(still.json().url).toBe(receiver.url);
    const wrongSecret = await t.app.inject({
      url: '/api/v1/webhooks',
      headers: { authorization: basic(owned.id, 'lh_cs_wrong') },
    });
    expect(wrongSecret.statusCode).toBe(401);
  });

  it("disables an owned app's failing endpoint and mails its owner", async () => {
    const endpoint = (await createAs(owned, { event_types: ['enrolment.dropped'] })).json();
    receiver.fallback = 500;
    const started = clock.now().getTime();
    await emitFor(t, 'enrolment.dropped', owned.id);
    await t.runJobs();
    while (await runNextAttempt(t, clock));
    clock.set(new Date(started + 4 * 86_400_000));
    await emitFor(t, 'enrolment.dropped', owned.id);
    await t.runJobs();
    while (await runNextAttempt(t, clock));
    receiver.fallback = 200;
    await t.runJobs();

    const state = await t.app.inject({
      url: `/api/v1/webhooks/${endpoint.id}`,
      headers: { authorization: owned.basic },
    });
    expect(state.json().enabled).toBe(false);
    const mail = await t.app.inject({ url: '/api/v1/admin/mail', headers: bearer(await t.operatorToken()) });
    const sent = mail
      .json()
      .data.filter(
        (m: { to: string[]; subject: string }) =>
          m.to.includes('owner@example.org') && m.subject.startsWith('Webhook endpoint disabled'),
      );
    expect(sent).toHaveLength(1);
    expect(sent[0].text).toContain(receiver.url);
    expect(sent[0].text).toContain('Owned app');
  });
});
