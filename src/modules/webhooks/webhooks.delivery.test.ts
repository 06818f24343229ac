import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/support/app.ts';
import { ManualClock } from '../../lib/runtime.ts';
import {
  bearer,
  emit,
  emitFor,
  type Receiver,
  releaseDueAttempts,
  runNextAttempt,
  SAMPLES,
  startReceiver,
  verify,
} from './webhooks.testing.ts';
import { createEndpoint } from './webhooks.usecases.ts';

// Years ahead of the database's clock: a retry becomes runnable only when the test moves this clock past it.
const clock = new ManualClock('2031-05-01T12:00:00Z');
let t: TestApp;
let receiver: Receiver;
let operator: string;

beforeAll(async () => {
  t = await buildTestApp({ clock });
  receiver = await startReceiver(clock);
  operator = await t.operatorToken();
});
afterAll(async () => {
  await receiver.close();
  await t.close();
});

const appA = '0b1c7a7e-1111-4c5e-9a00-00000000000a';
const fail = () => {
  throw new Error('missing sample');
};
const appB = '0b1c7a7e-2222-4c5e-9a00-00000000000b';

async function deliveriesOf(endpointId: string, appId = appA) {
  const res = await t.app.inject({
    url: `/api/v1/webhooks/${endpointId}/deliveries?app_id=${appId}`,
    headers: bearer(operator),
  });
  expect(res.statusCode).toBe(200);
  return res.json().data as { id: string; status: string; event_type: string }[];
}

async function deliveryLog(endpointId: string, deliveryId: string) {
  const res = await t.app.inject({
    url: `/api/v1/webhooks/${endpointId}/deliveries/${deliveryId}`,
    headers: bearer(operator),
  });
  expect(res.statusCode).toBe(200);
  return res.json();
}

describe('webhook delivery', () => {
  it('retries a failing receiver on schedule until it answers 200, every attempt validly signed and logged', async () => {
    receiver.received.length = 0;
    receiver.answers = [500, 500, 200];
    const { endpoint, secret } = await createEndpoint(t.deps, appA, {
      url: receiver.url,
      eventTypes: ['app.authorized'],
    });
    const event = await emitFor(t, 'app.authorized', appA);
    await t.runJobs();
    expect(receiver.received).toHaveLength(1);

    // The second attempt is not run before its time (5 s later)...
    clock.advance(4_000);
    await releaseDueAttempts(t, clock);
    await t.runJobs();
    expect(receiver.received).toHaveLength(1);
    // ...and is once the clock reaches it; the third follows 5 minutes after the second.
    clock.advance(1_000);
    await releaseDueAttempts(t, clock);
    await t.runJobs();
    expect(receiver.received).toHaveLength(2);
    clock.advance(5 * 60_000);
    await releaseDueAttempts(t, clock);
    await t.runJobs();
    expect(receiver.received).toHaveLength(3);

    const ids = new Set(receiver.received.map((r) => r.headers['webhook-id']));
    expect(ids.size).toBe(1);
    for (const request of receiver.received) {
      const body = verify(secret, request);
      expect(body).toEqual({
        type: 'app.authorized',
        version: 1,
        id: event.id,
        timestamp: event.occurredAt.toISOString(),
        data: {
          app_id: appA,
          user: { id: event.payload.user.id, username: 'ann', profile_url: 'https://hub.test/u/ann' },
          scopes: ['openid', 'profile'],
        },
      });
    }
    const [delivery] = await deliveriesOf(endpoint.id);
    expect(delivery).toMatchObject({ status: 'succeeded', event_type: 'app.authorized' });
    const log = await deliveryLog(endpoint.id, delivery?.id ?? '');
    expect(log.id).toBe([...ids][0]);
    expect(log.attempts.map((a: { status_code: number }) => a.status_code)).toEqual([500, 500, 200]);
    expect(log.attempts.map((a: { succeeded: boolean }) => a.succeeded)).toEqual([false, false, true]);
    for (const attempt of log.attempts) expect(attempt.duration_ms).toBeGreaterThanOrEqual(0);
    // Nothing further is scheduled once it succeeded.
    expect(await runNextAttempt(t, clock)).toBe(false);
    expect(receiver.received).toHaveLength(3);
  });

  it('delivers only the event types an endpoint subscribes to, and only events that concern its app', async () => {
    receiver.received.length = 0;
    const { endpoint } = await createEndpoint(t.deps, appA, {
      url: receiver.url,
      eventTypes: ['course.published'],
    });
    const other = await createEndpoint(t.deps, appB, { url: receiver.url, eventTypes: ['*'] });
    await emitFor(t, 'enrolment.dropped', appA);
    await emitFor(t, 'course.published', appA);
    await emitFor(t, 'course.published', appB);
    const { app_ids: _routing, ...concernsNoApp } = SAMPLES['course.published']?.(appA) ?? fail();
    await emit(t, 'course.published', concernsNoApp);
    await t.runJobs();

    const mine = await deliveriesOf(endpoint.id);
    expect(mine.map((d) => d.event_type)).toEqual(['course.published']);
    const theirs = await deliveriesOf(other.endpoint.id, appB);
    expect(theirs).toHaveLength(1);
    expect(receiver.received.map((r) => JSON.parse(r.body).type)).toEqual([
      'course.published',
      'course.published',
    ]);
  });

  it('creates one delivery per endpoint and event even if the fan-out runs twice', async () => {
    const { endpoint } = await createEndpoint(t.deps, appA, {
      url: receiver.url,
      eventTypes: ['badge.awarded'],
    });
    const event = await emitFor(t, 'badge.awarded', appA);
    await t.runJobs();
    // Run the consumer's job again for the same event, as a crash before acknowledgement would.
    await t.deps.pool.query(
      `select graphile_worker.add_job('webhooks.fanout', json_build_object('id', $1::text))`,
      [event.id],
    );
    await t.runJobs();
    expect(await deliveriesOf(endpoint.id)).toHaveLength(1);
  });

  it('signs with the new secret after rotation, so the old secret no longer verifies', async () => {
    receiver.received.length = 0;
    const created = await createEndpoint(t.deps, appA, { url: receiver.url, eventTypes: ['course.updated'] });
    const rotated = await t.app.inject({
      method: 'POST',
      url: `/api/v1/webhooks/${created.endpoint.id}/rotate-secret`,
      headers: bearer(operator),
      payload: {},
    });
    expect(rotated.statusCode).toBe(200);
    const newSecret: string = rotated.json().secret;
    expect(newSecret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(newSecret).not.toBe(created.secret);
    await emitFor(t, 'course.updated', appA);
    await t.runJobs();
    const [request] = receiver.received;
    if (!request) throw new Error('nothing received');
    expect(() => verify(newSecret, request)).not.toThrow();
    expect(() => verify(created.secret, request)).toThrow();
    // The secret is stored sealed, never in clear.
    const stored = await t.deps.pool.query('select secret_sealed from webhook_endpoints where id = $1', [
      created.endpoint.id,
    ]);
    expect(JSON.stringify(stored.rows)).not.toContain(newSecret.slice(6));
  });

  it('redelivers a delivery with the same webhook-id and a new attempt chain', async () => {
    receiver.received.length = 0;
    const { endpoint, secret } = await createEndpoint(t.deps, appA, {
      url: receiver.url,
      eventTypes: ['course.deleted'],
    });
    await emitFor(t, 'course.deleted', appA);
    await t.runJobs();
    const [delivery] = await deliveriesOf(endpoint.id);
    if (!delivery) throw new Error('no delivery');
    clock.advance(60_000);
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/webhooks/${endpoint.id}/deliveries/${delivery.id}/redeliver`,
      headers: bearer(operator),
    });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({ id: delivery.id, status: 'pending', chain: 2 });
    await t.runJobs();
    expect(receiver.received).toHaveLength(2);
    expect(receiver.received[1]?.headers['webhook-id']).toBe(delivery.id);
    expect(receiver.received[1]?.body).toBe(receiver.received[0]?.body);
    expect(receiver.received[1]?.headers['webhook-timestamp']).not.toBe(
      receiver.received[0]?.headers['webhook-timestamp'],
    );
    const second = receiver.received[1];
    if (second) verify(secret, second);
    const log = await deliveryLog(endpoint.id, delivery.id);
    expect(log.attempts.map((a: { chain: number; attempt: number }) => [a.chain, a.attempt])).toEqual([
      [1, 1],
      [2, 1],
    ]);
    expect(log.status).toBe('succeeded');
  });

  it('sends a test event to an endpoint whatever its type filter', async () => {
    receiver.received.length = 0;
    const { endpoint, secret } = await createEndpoint(t.deps, appA, {
      url: receiver.url,
      eventTypes: ['a.b'],
    });
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/webhooks/${endpoint.id}/test`,
      headers: bearer(operator),
    });
    expect(res.statusCode).toBe(202);
    await t.runJobs();
    const [request] = receiver.received;
    if (!request) throw new Error('nothing received');
    expect(verify(secret, request)).toEqual({
      type: 'webhook.test',
      version: 1,
      id: expect.any(String),
      timestamp: clock.now().toISOString(),
      data: { endpoint_id: endpoint.id, app_id: appA },
    });
  });

  it('records a network error when the receiver cannot be reached, and schedules a retry', async () => {
    const { endpoint } = await createEndpoint(t.deps, appA, {
      url: 'http://127.0.0.1:1/hook',
      eventTypes: ['enrolment.created'],
    });
    await emitFor(t, 'enrolment.created', appA);
    await t.runJobs();
    const [delivery] = await deliveriesOf(endpoint.id);
    const log = await deliveryLog(endpoint.id, delivery?.id ?? '');
    expect(log.status).toBe('pending');
    expect(log.attempts).toHaveLength(1);
    expect(log.attempts[0]).toMatchObject({ succeeded: false, status_code: null });
    expect(log.attempts[0].error).toBeTruthy();
    expect(Date.parse(log.next_attempt_at) - Date.parse(log.attempts[0].attempted_at)).toBe(5_000);
  });
  it('records an attempt that could not be signed (secret sealed under another key) without sending anything', async () => {
    receiver.received.length = 0;
    const { endpoint } = await createEndpoint(t.deps, appA, {
      url: receiver.url,
      eventTypes: ['course.completed'],
    });
    const { encryptSecret } = await import('../../lib/crypto.ts');
    await t.deps.pool.query('update webhook_endpoints set secret_sealed = $1 where id = $2', [
      encryptSecret('another-secret-key-another-secret-key', 'webhooks', 'whsec_AAAA'),
      endpoint.id,
    ]);
    await emitFor(t, 'course.completed', appA);
    await t.runJobs();
    expect(receiver.received).toHaveLength(0);
    const [delivery] = await deliveriesOf(endpoint.id);
    const log = await deliveryLog(endpoint.id, delivery?.id ?? '');
    expect(log).toMatchObject({ status: 'pending', attempts_in_chain: 1 });
    expect(log.attempts[0].error).toContain('rotate the secret');
  });
});
