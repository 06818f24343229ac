import { Value } from 'typebox/value';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/support/app.ts';
import { DOMAIN_EVENT_TYPES, type EventPayload } from '../../jobs/domain-events.ts';
import { ManualClock } from '../../lib/runtime.ts';
import { envelopeSchema } from './webhooks.envelope.ts';
import { INTERNAL, publishedWebhookEvents, TEST_EVENT, WEBHOOK_EVENTS } from './webhooks.events.ts';
import { emit, emitFor, type Receiver, SAMPLES, startReceiver, verify } from './webhooks.testing.ts';
import { createEndpoint } from './webhooks.usecases.ts';

const clock = new ManualClock('2031-07-01T00:00:00Z');
let t: TestApp;
let receiver: Receiver;

beforeAll(async () => {
  t = await buildTestApp({ clock });
  receiver = await startReceiver(clock);
});
afterAll(async () => {
  await receiver.close();
  await t.close();
});

// One app per case, so that each case's endpoints alone receive its events.
const appId = '5d1e0c3a-4444-4c5e-9a00-00000000000d';
const appB = '5d1e0c3a-5555-4c5e-9a00-00000000000e';
const appC = '5d1e0c3a-6666-4c5e-9a00-00000000000f';
const published = publishedWebhookEvents().filter((spec) => spec.type !== TEST_EVENT.type);

/** What internal payloads carry and no webhook may: emails, routing, the hub's subject and event ids. */
const INTERNAL_MARKERS = ['ann@example.org', '"email"', 'app_ids', 'subject', 'event_id'];

describe('public webhook payloads', () => {
  it('has a sample for every type apps can receive, and only such types are published', () => {
    for (const spec of published) expect(SAMPLES[spec.type as keyof typeof SAMPLES], spec.type).toBeDefined();
    const internal = DOMAIN_EVENT_TYPES.filter((type) => WEBHOOK_EVENTS[type] === INTERNAL);
    expect(internal).toEqual(['user.email_verified', 'application.reviewed']);
  });

  it('sends each type as its versioned public schema, with no internal field, signed', async () => {
    const { secret } = await createEndpoint(t.deps, appId, { url: receiver.url, eventTypes: ['*'] });
    receiver.received.length = 0;
    // user.created concerns no app (its payload names none), so it is sent to nobody.
    const routed = published.filter((spec) => spec.type !== 'user.created');
    const ids = new Map<string, string>();
    for (const spec of routed) {
      const event = await emitFor(t, spec.type as keyof typeof SAMPLES, appId);
      ids.set(spec.type, event.id);
    }
    await t.runJobs();
    expect(receiver.received.map((r) => JSON.parse(r.body).type).sort()).toEqual(
      routed.map((spec) => spec.type).sort(),
    );
    for (const request of receiver.received) {
      const body = verify(secret, request) as { type: string; id: string; version: number };
      const spec = routed.find((s) => s.type === body.type);
      if (!spec) throw new Error(`unexpected type ${body.type}`);
      expect(Value.Check(envelopeSchema(spec), body), body.type).toBe(true);
      expect(body).toMatchObject({ version: 1, id: ids.get(body.type) });
      for (const marker of INTERNAL_MARKERS)
        expect(request.body, `${body.type}: ${marker}`).not.toContain(marker);
    }
  });

  it('drops a field an internal payload carries beyond its schema instead of forwarding it', async () => {
    const { secret } = await createEndpoint(t.deps, appB, {
      url: receiver.url,
      eventTypes: ['course.updated'],
    });
    receiver.received.length = 0;
    const sample = SAMPLES['course.updated']?.(appB);
    if (!sample) throw new Error('no sample');
    // As a row written by another version of the hub could: extra fields at the top and inside `course`.
    const stored = {
      ...sample,
      owner_user_id: 'internal-owner',
      course: { ...sample.course, owner_institution_id: 'internal-institution' },
    };
    const event = await emit(t, 'course.updated', stored as EventPayload<'course.updated'>);
    await t.runJobs();
    expect(receiver.received).toHaveLength(1);
    const [request] = receiver.received;
    if (!request) throw new Error('nothing received');
    expect(verify(secret, request)).toEqual({
      type: 'course.updated',
      version: 1,
      id: event.id,
      timestamp: event.occurredAt.toISOString(),
      data: { course: sample.course },
    });
    expect(request.body).not.toContain('internal-');
  });

  it('never sends an internal-only type, even to an endpoint subscribed to it by name', async () => {
    await createEndpoint(t.deps, appC, { url: receiver.url, eventTypes: ['user.email_verified', '*'] });
    receiver.received.length = 0;
    const user = {
      id: 'u-1',
      username: 'ann',
      email: 'ann@example.org',
      profile_url: 'http://hub.test/u/ann',
    };
    // Even if an internal event named the app, it would not be delivered.
    await emit(t, 'user.email_verified', { user, app_ids: [appC] } as EventPayload<'user.email_verified'>);
    await t.runJobs();
    expect(receiver.received).toHaveLength(0);
    const deliveries = await t.deps.pool.query(
      `select count(*)::int as n from webhook_deliveries where event_type = 'user.email_verified'`,
    );
    expect(deliveries.rows[0].n).toBe(0);
  });
});
