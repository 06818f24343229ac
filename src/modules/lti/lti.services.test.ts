import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/support/app.ts';
import { appendDomainEvent } from '../../jobs/domain-events.ts';
import { publishScore, type ScoreInput } from './lti.ags.ts';
import { AGS_CLAIM, LTI } from './lti.claims.ts';
import { FakePlatform, LaunchDriver, ROLES } from './lti.testing.ts';

let hub: TestApp;
let platform: FakePlatform;
let lti: LaunchDriver;
let platformId: string;
let courseId: string;
let learnerId: string;
let admin: string;
const teacher = { sub: 'teacher-1', name: 'Ada Teacher', roles: [ROLES.instructor] };
const learner = { sub: 'learner-1', name: 'Lin Learner', roles: [ROLES.learner] };

async function userOf(sub: string) {
  const { rows } = await hub.deps.pool.query<{ user_id: string }>(
    'select user_id from lti_accounts where sub = $1',
    [sub],
  );
  return rows[0]?.user_id ?? '';
}

beforeAll(async () => {
  hub = await buildTestApp();
  admin = await hub.operatorToken();
  platform = await FakePlatform.start();
  platform.toolJwks = async () => (await hub.app.inject({ method: 'GET', url: '/lti/jwks' })).json();
  lti = new LaunchDriver(hub, platform);
  platformId = await lti.register({ auto_create_courses: true });
  expect((await lti.launch(platform.claimsFor(learner))).res.statusCode).toBe(403); // not linked yet
  expect((await lti.launch(platform.claimsFor(teacher))).res.statusCode).toBe(303);
  expect((await lti.launch(platform.claimsFor(learner))).res.statusCode).toBe(303);
  const { rows } = await hub.deps.pool.query<{ course_id: string }>('select course_id from lti_contexts');
  courseId = rows[0]?.course_id ?? '';
  learnerId = await userOf('learner-1');
});
afterAll(async () => {
  await platform.close();
  await hub.close();
});

const score = (at: string, given = 8): ScoreInput => ({
  target: { kind: 'course', ref: courseId },
  userId: learnerId,
  scoreGiven: given,
  scoreMaximum: 10,
  activityProgress: 'Completed',
  gradingProgress: 'FullyGraded',
  timestamp: new Date(at),
});

async function deliveries() {
  const res = await hub.app.inject({
    method: 'GET',
    url: `/api/v1/lti/platforms/${platformId}/deliveries`,
    headers: { authorization: `Bearer ${admin}` },
  });
  expect(res.statusCode).toBe(200);
  return res.json().data as {
    status: string;
    attempts: number;
    last_status: number | null;
    score_timestamp: string;
  }[];
}

describe('Assignment and Grade Services', () => {
  it('publishes a score to the line item with a token got by a JWT client assertion, once per score timestamp', async () => {
    expect(await publishScore(hub.deps, score('2026-03-01T10:00:00.000Z'))).toBe(1);
    expect(await publishScore(hub.deps, score('2026-03-01T10:00:00.000Z'))).toBe(0);
    await hub.runJobs();
    expect(platform.scores).toHaveLength(1);
    expect(platform.scores[0]).toMatchObject({
      lineItem: `${platform.lineItemsUrl}/1`,
      body: {
        userId: 'learner-1',
        scoreGiven: 8,
        scoreMaximum: 10,
        activityProgress: 'Completed',
        gradingProgress: 'FullyGraded',
        timestamp: '2026-03-01T10:00:00.000Z',
      },
    });
    const tokenRequest = platform.tokenRequests.at(-1);
    expect(tokenRequest?.scope).toBe('https://purl.imsglobal.org/spec/lti-ags/scope/score');
    expect((await deliveries())[0]).toMatchObject({ status: 'delivered', attempts: 1, last_status: 204 });
  });

  it('retries after a 5xx from the platform, and replaces an expired access token', async () => {
    platform.scoreFailures = [503];
    platform.expireTokens();
    await publishScore(hub.deps, score('2026-03-02T10:00:00.000Z', 9));
    await hub.runJobs();
    expect((await deliveries())[0]).toMatchObject({ status: 'pending', attempts: 1, last_status: 503 });
    await hub.makeJobsDue('lti.publish_score');
    await hub.runJobs();
    expect((await deliveries())[0]).toMatchObject({ status: 'delivered', attempts: 2 });
    expect(platform.scores.at(-1)?.body.scoreGiven).toBe(9);
  });

  it('stops at a 4xx the platform will not change its mind about, and shows it in the delivery log', async () => {
    platform.scoreFailures = [400];
    await publishScore(hub.deps, score('2026-03-03T10:00:00.000Z'));
    await hub.runJobs();
    expect((await deliveries())[0]).toMatchObject({ status: 'failed', attempts: 1, last_status: 400 });
  });

  it('a completed course sends a full score', async () => {
    const before = platform.scores.length;
    await hub.deps.db.transaction((tx) =>
      appendDomainEvent(tx, hub.deps, {
        type: 'course.completed',
        subject: `course:${courseId}`,
        payload: {
          course: {
            id: courseId,
            path: 'lti-course',
            title: 'LTI course',
            url: 'https://hub.test/courses/lti-course',
          },
          user: {
            id: learnerId,
            email: 'learner@example.org',
            username: 'learner',
            profile_url: 'https://hub.test/u/learner',
          },
          completed_at: '2026-03-04T10:00:00.000Z',
        },
      }),
    );
    await hub.runJobs();
    expect(platform.scores.slice(before).map((s) => s.body)).toMatchObject([
      { userId: 'learner-1', scoreGiven: 100, scoreMaximum: 100 },
    ]);
  });

  it('creates the line item when the link was placed without one', async () => {
    const claims = platform.claimsFor(learner);
    claims[`${LTI}resource_link`] = { id: 'rl-2', title: 'Final essay' };
    claims[AGS_CLAIM] = {
      scope: ['https://purl.imsglobal.org/spec/lti-ags/scope/lineitem'],
      lineitems: platform.lineItemsUrl,
    };
    expect((await lti.launch(claims)).res.statusCode).toBe(303);
    const before = platform.scores.length;
    expect(await publishScore(hub.deps, score('2026-03-04T10:00:00.000Z'))).toBe(2);
    await hub.runJobs();
    expect(platform.lineItems).toMatchObject([
      { label: 'Final essay', resourceLinkId: 'rl-2', scoreMaximum: 100 },
    ]);
    expect(
      platform.scores
        .slice(before)
        .map((s) => s.lineItem)
        .sort(),
    ).toEqual([`${platform.lineItemsUrl}/1`, `${platform.lineItemsUrl}/2`].sort());
  });
});

describe('Names and Role Provisioning Services', () => {
  it('syncs the roster over Link-paged results: newcomers enrolled with their roles, leavers marked dropped', async () => {
    platform.members = [
      { user_id: 'teacher-1', name: 'Ada Teacher', roles: [ROLES.instructor] },
      { user_id: 'new-1', name: 'Nia New', email: 'nia@school.test', roles: [ROLES.learner] },
      { user_id: 'new-2', name: 'Tao TA', roles: [ROLES.instructor, ROLES.ta] },
      { user_id: 'gone-1', name: 'Gil Gone', roles: [ROLES.learner], status: 'Inactive' },
    ];
    const res = await hub.app.inject({
      method: 'POST',
      url: `/api/v1/lti/contexts/${(await hub.deps.pool.query<{ id: string }>('select id from lti_contexts')).rows[0]?.id}/roster-sync`,
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(res.statusCode).toBe(202);
    await hub.runJobs();
    const { rows } = await hub.deps.pool.query<{ sub: string; role: string; status: string }>(
      `select a.sub, m.role, m.status from course_memberships m join lti_accounts a on a.user_id = m.user_id
        where m.course_id = $1 order by a.sub`,
      [courseId],
    );
    expect(rows).toEqual([
      { sub: 'learner-1', role: 'Student', status: 'dropped' },
      { sub: 'new-1', role: 'Student', status: 'active' },
      { sub: 'new-2', role: 'Grader', status: 'active' },
      { sub: 'teacher-1', role: 'Instructor', status: 'active' },
    ]);
    // Deleting nobody: the dropped learner's account and membership rows are still there.
    expect((await lti.counts()).accounts).toBe(4);
  });
});
