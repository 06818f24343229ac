import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { vi } from 'vitest';
import type { TestApp } from '../../../test/support/app.ts';
import {
  appendDomainEvent,
  type DomainEvent,
  type DomainEventType,
  type EventPayload,
  type NewDomainEvent,
} from '../../jobs/domain-events.ts';
import type { Clock, ManualClock } from '../../lib/runtime.ts';
import { DELIVER } from './webhooks.fanout.ts';

/** Test helpers for the webhook tests (not a test file itself). */

export interface Received {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** When it arrived, by the hub's clock (which the receiver shares in these tests). */
  readonly at: Date;
}

export interface Receiver {
  readonly url: string;
  readonly received: Received[];
  /** Status codes to answer, in order; once used up, `fallback`. */
  answers: number[];
  fallback: number;
  close(): Promise<void>;
}

/** An outside party: a real HTTP server on 127.0.0.1 that records every request. */
export async function startReceiver(clock: Clock, fallback = 200): Promise<Receiver> {
  const received: Received[] = [];
  const receiver: Receiver = {
    url: '',
    received,
    answers: [],
    fallback,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // The hub's HTTP client keeps connections alive; do not wait for them to time out.
        server.closeAllConnections();
      }),
  };
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        at: clock.now(),
      });
      response.statusCode = receiver.answers.shift() ?? receiver.fallback;
      response.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(receiver, { url: `http://127.0.0.1:${port}/hook` });
}

/**
 * Verifies a received request as a receiver would, with the `standardwebhooks` library. Its timestamp
 * tolerance check reads Date.now(), so Date is set to the request's arrival time (by the shared manual
 * clock) meanwhile.
 */
export function verify(secret: string, request: Received): unknown {
  vi.setSystemTime(request.at);
  try {
    const headers: Record<string, string> = {};
    for (const name of ['webhook-id', 'webhook-timestamp', 'webhook-signature']) {
      const value = request.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    return new Webhook(secret).verify(request.body, headers);
  } finally {
    vi.useRealTimers();
  }
}

export async function emit<T extends DomainEventType>(
  t: TestApp,
  type: T,
  payload: EventPayload<T>,
  subject = 'test:1',
): Promise<DomainEvent<T>> {
  const event = { type, subject, payload } as NewDomainEvent<T>;
  return t.deps.db.transaction((tx) => appendDomainEvent(tx, t.deps, event));
}

const person = {
  id: '0b6f7c1e-1111-4c5e-9a00-000000000001',
  username: 'ann',
  email: 'ann@example.org',
  profile_url: 'https://hub.test/u/ann',
};
const course = {
  id: 'c0ffee00-1111-4c5e-9a00-000000000002',
  path: 'rivers',
  title: 'Rivers',
  url: 'https://hub.test/courses/rivers',
};
const badge = {
  id: '7',
  slug: 'river-walker',
  name: 'River walker',
  url: 'https://hub.test/ob/badges/river-walker',
};
const activity = { id: 12, title: 'Peer essay' };
const assertion = { id: 'a1b2', url: 'https://hub.test/ob/assertions/a1b2' };

/**
 * A real payload of each type that apps can receive, concerning `appId`, with every internal field set
 * (a person's email, the routing `app_ids`), so tests can show what a webhook keeps and what it drops.
 */
export const SAMPLES: { readonly [T in DomainEventType]?: (appId: string) => EventPayload<T> } = {
  'user.created': () => ({ user: person }),
  'app.authorized': (appId) => ({ app_id: appId, user: person, scopes: ['openid', 'profile'] }),
  'course.published': (appId) => ({ course, app_ids: [appId] }),
  'course.updated': (appId) => ({ course, app_ids: [appId] }),
  'course.deleted': (appId) => ({ course, app_ids: [appId] }),
  'enrolment.created': (appId) => ({
    course,
    app_ids: [appId],
    user: person,
    class_id: null,
    role: 'Student',
  }),
  'enrolment.dropped': (appId) => ({ course, app_ids: [appId], user: person }),
  'course.completed': (appId) => ({
    course,
    app_ids: [appId],
    user: person,
    completed_at: '2031-06-01T00:00:00.000Z',
  }),
  'badge.awarded': (appId) => ({
    badge,
    assertion,
    user: person,
    recipient_email_hash: 'sha256$ab',
    app_ids: [appId],
  }),
  'badge.revoked': (appId) => ({
    badge,
    assertion,
    user: null,
    recipient_email_hash: 'sha256$ab',
    reason: 'issued in error',
    app_ids: [appId],
  }),
  'assessment.activity_created': (appId) => ({ course, app_ids: [appId], activity }),
  'assessment.phase_opened': (appId) => ({ course, app_ids: [appId], activity, phase: 'Create' }),
  'assessment.phase_closed': (appId) => ({ course, app_ids: [appId], activity, phase: 'Create' }),
  'assessment.submitted': (appId) => ({ course, app_ids: [appId], activity, user: person, late: false }),
  'assessment.reviewed': (appId) => ({
    course,
    app_ids: [appId],
    activity,
    user: person,
    review_id: 'r-1',
    anonymous: true,
  }),
  'assessment.graded': (appId) => ({
    course,
    app_ids: [appId],
    activity,
    user: person,
    grade: 72.5,
    scale: { min: 0, max: 100 },
    final: true,
    version: 1,
  }),
  'message.replied': (appId) => ({ message_id: 'm-1', reply_id: 'r-1', user_id: person.id, app_id: appId }),
};

/** Appends the sample event of `type` concerning `appId`. */
export function emitFor<T extends DomainEventType>(
  t: TestApp,
  type: T,
  appId: string,
): Promise<DomainEvent<T>> {
  const sample = SAMPLES[type];
  if (!sample) throw new Error(`no sample payload for ${type}`);
  return emit(t, type, sample(appId));
}

/**
 * Makes the delivery jobs that are due by the hub's manual clock runnable now. Attempts are scheduled with
 * run_at from deps.clock; the tests run on a clock years ahead of the database's, so a retry never becomes
 * due by itself, only when the test has moved the clock past its time.
 */
export async function releaseDueAttempts(t: TestApp, clock: ManualClock): Promise<void> {
  await t.deps.pool.query(
    `update graphile_worker._private_jobs set run_at = now()
      where task_id = (select id from graphile_worker._private_tasks where identifier = $1)
        and run_at <= $2 and locked_at is null`,
    [DELIVER, clock.now()],
  );
}

/** Moves the clock to the next scheduled attempt, if any, and runs it. False when none is scheduled. */
export async function runNextAttempt(t: TestApp, clock: ManualClock): Promise<boolean> {
  const next = await t.deps.pool.query<{ run_at: Date }>(
    `select min(j.run_at) as run_at from graphile_worker._private_jobs j
       join graphile_worker._private_tasks k on k.id = j.task_id
      where k.identifier = $1 and j.attempts < j.max_attempts`,
    [DELIVER],
  );
  const runAt = next.rows[0]?.run_at;
  if (!runAt) return false;
  if (runAt > clock.now()) clock.set(runAt);
  await releaseDueAttempts(t, clock);
  await t.runJobs();
  return true;
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
