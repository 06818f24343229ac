import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/support/app.ts';
import { ManualClock } from '../../lib/runtime.ts';
import { pruneDeliveries } from './webhooks.jobs.ts';
import { RETRY_DELAYS_MS } from './webhooks.retry.ts';
import { bearer, emitFor, type Receiver, runNextAttempt, startReceiver } from './webhooks.testing.ts';
import { createEndpoint } from './webhooks.usecases.ts';

const clock = new ManualClock('2031-06-01T00:00:00Z');
let t: TestApp;
let receiver: Receiver;

beforeAll(async () => {
  t = await buildTestApp({ clock });
  receiver = await startReceiver(clock, 503);
});
afterAll(async () => {
  await receiver.close();
  await t.close();
});

const appId = '5d1e0c3a-3333-4c5e-9a00-00000000000c';
// Operator tokens live a day and this clock moves days: the tests take a fresh one for each request.
const DAY = 86_400_000;

async function runAllAttempts(): Promise<number> {
  let runs = 0;
  while (await runNextAttempt(t, clock)) runs += 1;
  return runs;
}

async function endpointState(id: string) {
  const res = await t.app.inject({ url: `/api/v1/webhooks/${id}`, headers: bearer(await t.operatorToken()) });
  expect(res.statusCode).toBe(200);
  return res.json();
}

describe('an endpoint that keeps failing', () => {
  it('gives a delivery up after the whole retry schedule, then disables the endpoint after 5 failing days with a notice', async () => {
    const started = clock.now();
    const { endpoint } = await createEndpoint(t.deps, appId, { url: receiver.url, eventTypes: ['*'] });

    await emitFor(t, 'message.replied', appId);
    await t.runJobs();
    await runAllAttempts();
    expect(receiver.received).toHaveLength(RETRY_DELAYS_MS.length + 1);
    const first = await t.app.inject({
      url: `/api/v1/webhooks/${endpoint.id}/deliveries`,
      headers: bearer(await t.operatorToken()),
    });
    const [failed] = first.json().data;
    expect(failed).toMatchObject({ status: 'failed', last_status_code: 503, next_attempt_at: null });
    const spent = clock.now().getTime() - started.getTime();
    expect(spent).toBe(RETRY_DELAYS_MS.reduce((a, b) => a + b, 0));
    expect(spent).toBeGreaterThan(3 * DAY);
    // Three and a half days of failure is not yet enough to disable it.
    let state = await endpointState(endpoint.id);
    expect(state).toMatchObject({ enabled: true, failing_since: started.toISOString() });

    clock.set(new Date(started.getTime() + 4 * DAY));
    await emitFor(t, 'message.replied', appId);
    await t.runJobs();
    await runAllAttempts();
    state = await endpointState(endpoint.id);
    expect(state.enabled).toBe(false);
    expect(state.disabled_reason).toContain('5 days');
    expect(Date.parse(state.disabled_at) - started.getTime()).toBeGreaterThanOrEqual(5 * DAY);
    // The second delivery stopped with the endpoint rather than running its schedule out.
    const second = await t.app.inject({
      url: `/api/v1/webhooks/${endpoint.id}/deliveries?status=failed`,
      headers: bearer(await t.operatorToken()),
    });
    expect(second.json().data[0]).toMatchObject({ status: 'failed', last_error: 'endpoint disabled' });

    const notices = await t.deps.pool.query(
      'select kind, message, details from webhook_notices where endpoint_id = $1',
      [endpoint.id],
    );
    expect(notices.rows).toHaveLength(1);
    expect(notices.rows[0]).toMatchObject({ kind: 'endpoint_disabled', details: { url: receiver.url } });

    // A disabled endpoint receives nothing more, and cannot be redelivered to or tested.
    const before = receiver.received.length;
    await emitFor(t, 'message.replied', appId);
    await t.runJobs();
    expect(receiver.received).toHaveLength(before);
    const test = await t.app.inject({
      method: 'POST',
      url: `/api/v1/webhooks/${endpoint.id}/test`,
      headers: bearer(await t.operatorToken()),
    });
    expect(test.statusCode).toBe(409);
    expect(test.json().code).toBe('webhooks.endpoint_disabled');
  });

  it('receives again once re-enabled, with its failure clock reset, and a success clears the failure', async () => {
    const { endpoint } = await createEndpoint(t.deps, appId, {
      url: receiver.url,
      eventTypes: ['course.updated'],
    });
    await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/webhooks/${endpoint.id}`,
      headers: bearer(await t.operatorToken()),
      payload: { enabled: false },
    });
    let state = await endpointState(endpoint.id);
    expect(state).toMatchObject({ enabled: false, disabled_reason: 'Disabled by the app.' });

    const res = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/webhooks/${endpoint.id}`,
      headers: bearer(await t.operatorToken()),
      payload: { enabled: true },
    });
    expect(res.json()).toMatchObject({ enabled: true, disabled_reason: null, failing_since: null });
    receiver.answers = [500, 200];
    await emitFor(t, 'course.updated', appId);
    await t.runJobs();
    state = await endpointState(endpoint.id);
    expect(state.failing_since).toBe(clock.now().toISOString());
    await runNextAttempt(t, clock);
    state = await endpointState(endpoint.id);
    expect(state).toMatchObject({ enabled: true, failing_since: null });
  });
  it('prunes finished deliveries after 30 days and keeps pending ones', async () => {
    const { endpoint } = await createEndpoint(t.deps, appId, {
      url: receiver.url,
      eventTypes: ['course.deleted'],
    });
    receiver.answers = [200, 500];
    await emitFor(t, 'course.deleted', appId);
    await emitFor(t, 'course.deleted', appId);
    await t.runJobs();
    const list = async () =>
      (
        await t.app.inject({
          url: `/api/v1/webhooks/${endpoint.id}/deliveries`,
          headers: bearer(await t.operatorToken()),
        })
      ).json().data as { status: string }[];
    expect((await list()).map((d) => d.status).sort()).toEqual(['pending', 'succeeded']);
    clock.advance(29 * DAY);
    await pruneDeliveries(t.deps);
    expect(await list()).toHaveLength(2);
    clock.advance(2 * DAY);
    await pruneDeliveries(t.deps);
    expect((await list()).map((d) => d.status)).toEqual(['pending']);
  });
});
