import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/support/app.ts';
import type { Principal } from '../../http/principal.ts';
import { FakePlatform, LaunchDriver, ROLES } from '../lti/lti.testing.ts';
import { RUBRIC } from './assessment.testing.ts';
import {
  createActivity,
  myReviews,
  recomputeGrades,
  saveReview,
  saveWork,
  setInstructorGrade,
  setPhase,
} from './index.ts';

/**
 * A peer-assessment activity placed in an LMS through LTI, end to end: the fake platform (real HTTP on
 * loopback: its JWKS, token endpoint and AGS scores) launches a teacher and two learners into the activity,
 * they submit and review, the activity closes, and the platform's gradebook receives each final grade once.
 */
let hub: TestApp;
let platform: FakePlatform;
let lti: LaunchDriver;
let platformId: string;
let admin: string;
let activityId: number;
const CUSTOM = 'https://purl.imsglobal.org/spec/lti/claim/custom';
const RESOURCE_LINK = 'https://purl.imsglobal.org/spec/lti/claim/resource_link';
const teacher = { sub: 'teacher-1', name: 'Ada Teacher', roles: [ROLES.instructor] };
const learners = [
  { sub: 'learner-a', name: 'Ann Learner', roles: [ROLES.learner] },
  { sub: 'learner-b', name: 'Ben Learner', roles: [ROLES.learner] },
];

async function userOf(sub: string): Promise<Principal> {
  const { rows } = await hub.deps.pool.query<{ user_id: string }>(
    'select user_id from lti_accounts where sub = $1',
    [sub],
  );
  return { kind: 'user', userId: rows[0]?.user_id ?? '', admin: false };
}

/** A launch through the resource link that the teacher placed for the activity. */
const intoActivity = (person: { sub: string; name: string; roles: string[] }) => ({
  ...platform.claimsFor(person),
  [RESOURCE_LINK]: { id: 'rl-peer', title: 'Peer essay' },
  [CUSTOM]: { hub_activity: `assessment:${activityId}` },
});

async function deliveries() {
  const res = await hub.app.inject({
    method: 'GET',
    url: `/api/v1/lti/platforms/${platformId}/deliveries`,
    headers: { authorization: `Bearer ${admin}` },
  });
  expect(res.statusCode).toBe(200);
  return res.json().data as { status: string; attempts: number; last_status: number | null }[];
}

beforeAll(async () => {
  hub = await buildTestApp();
  admin = await hub.operatorToken();
  platform = await FakePlatform.start();
  platform.toolJwks = async () => (await hub.app.inject({ method: 'GET', url: '/lti/jwks' })).json();
  lti = new LaunchDriver(hub, platform);
  // The LMS roster (an instructor's launch syncs it: people missing from it would be dropped).
  platform.members = [teacher, ...learners].map((p) => ({ user_id: p.sub, name: p.name, roles: p.roles }));
  platformId = await lti.register({ auto_create_courses: true });
  // The teacher's first launch links the LMS course to a new hub course.
  expect((await lti.launch(platform.claimsFor(teacher))).res.statusCode).toBe(303);
  const { rows } = await hub.deps.pool.query<{ course_id: string }>('select course_id from lti_contexts');
  const activity = await createActivity(hub.deps, await userOf('teacher-1'), rows[0]?.course_id ?? '', {
    title: 'Peer essay',
    rubric: RUBRIC,
    reviewersPerSubmission: 1,
  });
  activityId = activity.id;
}, 120_000);
afterAll(async () => {
  await platform.close();
  await hub.close();
});

describe('peer-assessment grades go back to the LMS (AGS)', () => {
  it('launches people into the activity through its resource link', async () => {
    const launched = await lti.launch(intoActivity(teacher));
    expect(launched.res.statusCode).toBe(303);
    expect(launched.res.headers.location).toBe(`/assessment/${activityId}`);
    for (const learner of learners) {
      const res = (await lti.launch(intoActivity(learner))).res;
      expect(res.statusCode).toBe(303);
      expect(res.headers.location).toBe(`/assessment/${activityId}`);
    }
    const links = await hub.deps.pool.query<{ target_kind: string; target_ref: string }>(
      "select target_kind, target_ref from lti_resource_links where resource_link_id = 'rl-peer'",
    );
    expect(links.rows).toEqual([{ target_kind: 'activity', target_ref: `assessment:${activityId}` }]);
  });

  it('refuses a launch naming an activity that does not exist, creating nothing', async () => {
    const before = await lti.counts();
    const res = (
      await lti.launch({
        ...platform.claimsFor(learners[0] ?? teacher),
        [CUSTOM]: { hub_activity: 'assessment:999999' },
      })
    ).res;
    expect(res.statusCode).toBe(404);
    expect(await lti.counts()).toEqual(before);
  });

  it('sends nothing while the activity runs, then exactly one final score per learner, retrying a platform 500', async () => {
    const staff = await userOf('teacher-1');
    const [a, b] = [await userOf('learner-a'), await userOf('learner-b')];
    await setPhase(hub.deps, staff, activityId, 'Create', 'open');
    await saveWork(hub.deps, a, activityId, { content: 'Essay by Ann', submit: true });
    await saveWork(hub.deps, b, activityId, { content: 'Essay by Ben', submit: true });
    await setPhase(hub.deps, staff, activityId, 'Assess', 'open');
    for (const [who, score] of [
      [a, 8],
      [b, 6],
    ] as const) {
      const [task] = await myReviews(hub.deps, who, activityId);
      await saveReview(hub.deps, who, activityId, task?.id ?? '', {
        scores: { quality: score },
        comment: 'Clear.',
        submit: true,
      });
    }
    await setPhase(hub.deps, staff, activityId, 'Reflect', 'open');
    await hub.runJobs();
    // Provisional grades exist, but nothing is final yet: the gradebook hears nothing.
    expect(platform.scores).toHaveLength(0);
    expect(await deliveries()).toHaveLength(0);

    platform.scoreFailures = [500];
    await setPhase(hub.deps, staff, activityId, 'Reflect', 'close');
    await hub.runJobs();
    // One of the two deliveries met the 500 and waits for its retry.
    expect(platform.scores).toHaveLength(1);
    const waiting = await deliveries();
    expect(waiting.map((d) => d.status).sort()).toEqual(['delivered', 'pending']);
    expect(waiting.find((d) => d.status === 'pending')).toMatchObject({ attempts: 1, last_status: 500 });
    await hub.makeJobsDue('lti.publish_score');
    await hub.runJobs();

    expect(platform.scores).toHaveLength(2);
    const bySub = new Map(platform.scores.map((s) => [s.body.userId, s.body]));
    const grades = await hub.deps.pool.query<{ sub: string; overall: number }>(
      'select a.sub, g.overall from assessment_grades g join lti_accounts a on a.user_id = g.user_id',
    );
    const overall = new Map(grades.rows.map((r) => [r.sub, Math.round(r.overall * 100) / 100]));
    expect(bySub.get('learner-a')).toMatchObject({
      scoreGiven: overall.get('learner-a'),
      scoreMaximum: 100,
      activityProgress: 'Completed',
      gradingProgress: 'FullyGraded',
    });
    expect(bySub.get('learner-b')).toMatchObject({ scoreGiven: overall.get('learner-b'), scoreMaximum: 100 });
    // Hand-computed: Ann gave Ben's work 8/10 and Ben gave hers 6/10; the default weights count create 60 and
    // reflect 10 (nothing rated or revised: 0), assess and instructor have no value: (80·60 + 0·10) / 70.
    expect(bySub.get('learner-b')?.scoreGiven).toBe(68.57);
    expect(bySub.get('learner-a')?.scoreGiven).toBe(51.43);
    expect(platform.scores.every((s) => s.lineItem === `${platform.lineItemsUrl}/1`)).toBe(true);
    const log = await deliveries();
    expect(log.map((d) => d.status)).toEqual(['delivered', 'delivered']);
    expect(log.map((d) => d.attempts).sort()).toEqual([1, 2]);

    // A repeated recompute (a retried job) sends nothing again.
    await recomputeGrades(hub.deps, activityId);
    await hub.runJobs();
    expect(platform.scores).toHaveLength(2);
  });

  it('sends an update when the instructor changes a final grade, and only for that learner', async () => {
    const staff = await userOf('teacher-1');
    const a = await userOf('learner-a');
    const first = platform.scores.find((s) => s.body.userId === 'learner-a')?.body;
    await setInstructorGrade(hub.deps, staff, activityId, a.kind === 'user' ? a.userId : '', {
      override: 91.5,
    });
    // The same override again is the same version: nothing new.
    await setInstructorGrade(hub.deps, staff, activityId, a.kind === 'user' ? a.userId : '', {
      override: 91.5,
    });
    await hub.runJobs();
    expect(platform.scores).toHaveLength(3);
    const update = platform.scores[2]?.body;
    expect(update).toMatchObject({ userId: 'learner-a', scoreGiven: 91.5, gradingProgress: 'FullyGraded' });
    expect(Date.parse(String(update?.timestamp))).toBeGreaterThan(Date.parse(String(first?.timestamp)));
    const versions = await hub.deps.pool.query<{ v: number }>(
      "select (payload->>'version')::int as v from domain_events where type = 'assessment.graded' and payload->>'final' = 'true' and payload->'user'->>'id' = $1 order by seq",
      [a.kind === 'user' ? a.userId : ''],
    );
    expect(versions.rows.map((r) => r.v)).toEqual([1, 2]);
  });
});
