import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/support/app.ts';
import { oauthWorld } from '../../../test/support/oidc.ts';
import { type Browser, formOf } from '../../../test/support/web.ts';
import { systemClock } from '../../lib/runtime.ts';
import { type Receiver, startReceiver, verify } from './webhooks.testing.ts';

// The owner's page: bob owns the app "MOOC" (test/support/oidc.ts); alice does not.
let t: TestApp;
let w: Awaited<ReturnType<typeof oauthWorld>>;
let receiver: Receiver;
let bob: Browser;
let page: string;

beforeAll(async () => {
  t = await buildTestApp();
  w = await oauthWorld(t);
  receiver = await startReceiver(systemClock);
  bob = await w.signIn('bob');
  page = `/account/apps/${w.client.id}/webhooks`;
});
afterAll(async () => {
  await receiver.close();
  await t.close();
});

describe('the webhooks page', () => {
  it('lets the owner add an endpoint, shows its secret once, and lists deliveries with code and duration', async () => {
    const empty = await bob.get(page);
    expect(empty.statusCode).toBe(200);
    expect(empty.body).toContain('No endpoints yet');

    const created = await bob.submit(
      page,
      { url: receiver.url, event_types: 'user.created, app.authorized' },
      page,
    );
    expect(created.statusCode).toBe(201);
    const secret = /data-field="secret">(whsec_[^<]+)</.exec(created.body)?.[1];
    expect(secret).toBeDefined();
    const again = await bob.get(page);
    expect(again.body).toContain(receiver.url);
    expect(again.body).not.toContain(secret);

    const endpointId = /data-endpoint-id="([^"]+)"/.exec(again.body)?.[1] ?? '';
    const tested = await bob.submit(page, {}, `${page}/${endpointId}/test`);
    expect(tested.statusCode).toBe(303);
    await t.runJobs();
    const [request] = receiver.received;
    if (!request || !secret) throw new Error('nothing received');
    expect(verify(secret, request)).toMatchObject({ type: 'webhook.test' });

    const log = await bob.get(page);
    expect(log.body).toContain('webhook.test');
    expect(log.body).toMatch(/data-field="status">succeeded</);
    expect(log.body).toMatch(/data-field="code">200</);
    expect(log.body).toMatch(/data-field="duration">\d+ ms</);

    const deliveryId = /data-delivery-id="([^"]+)"/.exec(log.body)?.[1] ?? '';
    const redeliverAction = `${page}/${endpointId}/deliveries/${deliveryId}/redeliver`;
    const redelivered = await bob.post(redeliverAction, formOf(log.body, redeliverAction).hidden);
    expect(redelivered.statusCode).toBe(303);
    expect(redelivered.headers.location).toBe(`${page}?done=redeliver`);
    await t.runJobs();
    expect(receiver.received).toHaveLength(2);
    expect(receiver.received[1]?.headers['webhook-id']).toBe(deliveryId);
  });

  it('refuses a form without a CSRF token and changes nothing', async () => {
    const before = await t.deps.pool.query('select count(*)::int as n from webhook_endpoints');
    const res = await bob.post(page, { url: 'https://no-csrf.example/', event_types: '*' });
    expect(res.statusCode).toBe(403);
    const after = await t.deps.pool.query('select count(*)::int as n from webhook_endpoints');
    expect(after.rows[0].n).toBe(before.rows[0].n);
  });

  it('shows a bad URL as an error on the form and stores nothing', async () => {
    const res = await bob.submit(page, { url: 'ftp://files.example/', event_types: '*' }, page);
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('must use http or https');
  });

  it('answers 404 to someone who does not own the app, and sends a stranger to sign in', async () => {
    const alice = await w.signIn('alice');
    expect((await alice.get(page)).statusCode).toBe(404);
    const anonymous = await t.app.inject({ url: page });
    expect(anonymous.statusCode).toBe(303);
    expect(anonymous.headers.location).toContain('/login?return_to=');
  });
  it("delivers app.authorized to the app's endpoint when a person consents to the app", async () => {
    receiver.received.length = 0;
    await w.userToken('alice', 'openid notifications');
    await t.runJobs();
    const authorized = receiver.received
      .map((r) => JSON.parse(r.body))
      .filter((b) => b.type === 'app.authorized');
    expect(authorized).toHaveLength(1);
    expect(authorized[0].data).toMatchObject({ app_id: w.client.id, user: { username: 'alice' } });
    // The app asked for no `email` scope, and webhook payloads never carry a person's email.
    expect(authorized[0].data.user.email).toBeUndefined();
    expect(JSON.stringify(authorized[0])).not.toContain('@');
  });
});
