import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/support/app.ts';
import type { DomainEvent } from '../../jobs/domain-events.ts';
import { activityFeed } from '../activity/index.ts';
import type { Course } from '../courses/index.ts';
import type { User } from '../identity/index.ts';
import { INTERNAL, WEBHOOK_EVENTS } from '../webhooks/index.ts';
import { as, courseWith, people, RUBRIC } from './assessment.testing.ts';
import { createActivity, myFeedback, myReviews, saveReview, saveWork, setPhase } from './index.ts';

/**
 * Where assessment events go beyond the module: the activity feed (sentences, no grades, no anonymous
 * reviewers), the Event Store (`hub.assessment.*`, final grades only) and app webhooks (public payloads).
 */
let t: TestApp;
let teacher: User;
let students: User[];
let course: Course;

beforeAll(async () => {
  t = await buildTestApp();
  [teacher] = (await people(t, 'evteacher', 1)) as [User];
  students = await people(t, 'evstudent', 3);
  course = await courseWith(t, teacher, students, 'Rhetoric');
}, 120_000);
afterAll(() => t.close());

/** Runs an activity through every phase: all submit, all review, the last phase closes. */
async function runActivity(title: string, anonymity: string): Promise<number> {
  const a = await createActivity(t.deps, as(teacher), course.id, {
    title,
    rubric: RUBRIC,
    reviewersPerSubmission: 2,
    anonymity,
  });
  await setPhase(t.deps, as(teacher), a.id, 'Create', 'open');
  for (const s of students)
    await saveWork(t.deps, as(s), a.id, { content: `Work of ${s.username}`, submit: true });
  await setPhase(t.deps, as(teacher), a.id, 'Assess', 'open');
  for (const s of students)
    for (const task of await myReviews(t.deps, as(s), a.id))
      await saveReview(t.deps, as(s), a.id, task.id, {
        scores: { quality: 7 },
        comment: 'Good',
        submit: true,
      });
  await setPhase(t.deps, as(teacher), a.id, 'Reflect', 'open');
  await t.runJobs();
  await setPhase(t.deps, as(teacher), a.id, 'Reflect', 'close');
  await t.runJobs();
  return a.id;
}

async function feedOf(noun: string, viewer?: User) {
  const page = await activityFeed(t.deps, { noun, limit: 100, viewerId: viewer?.id });
  return page.items;
}

async function eventsOf(activityId: number, type: string) {
  const { rows } = await t.deps.pool.query<DomainEvent>(
    "select id, seq, type, subject, payload, occurred_at as \"occurredAt\" from domain_events where type = $1 and (payload->'activity'->>'id')::int = $2 order by seq",
    [type, activityId],
  );
  return rows;
}

let anonymous: number;
let open: number;

describe('assessment events outside the module', () => {
  it('puts submissions and final grades in the course feed, without grades and without anonymous reviewers', async () => {
    anonymous = await runActivity('Speech analysis', 'double');
    const feed = (await feedOf(course.url)).filter((i) => i.object.endsWith(`/assessment/${anonymous}`));
    const byVerb = (verb: string) => feed.filter((i) => i.verb === verb);
    expect(byVerb('submit')).toHaveLength(3);
    expect(byVerb('submit')[0]?.message).toMatch(/^evstudent0\d Person submitted work to Speech analysis$/);
    // Provisional grades moved several times; only the final grade is news, once per student.
    expect((await eventsOf(anonymous, 'assessment.graded')).length).toBeGreaterThan(3);
    expect(byVerb('complete')).toHaveLength(3);
    expect(byVerb('complete').every((i) => !/\d/.test(i.message?.replace(/evstudent0\d/, '') ?? ''))).toBe(
      true,
    );
    // Six reviews were written, none of them shows: the authors must not learn who reviewed them, or when.
    expect(byVerb('review')).toHaveLength(0);
    const author = students[0] as User;
    const authorView = await feedOf(course.url, author);
    expect(authorView.some((i) => i.verb === 'review')).toBe(false);
  });

  it('keeps reviewer identities out of what an author can reach when reviews are anonymous', async () => {
    const author = students[0] as User;
    const feedback = await myFeedback(t.deps, as(author), anonymous);
    const text = JSON.stringify(feedback);
    for (const other of students.slice(1)) {
      expect(text).not.toContain(other.id);
      expect(text).not.toContain(other.username);
    }
    // Webhooks (an app may show them to students) name no reviewer either.
    const spec = WEBHOOK_EVENTS['assessment.reviewed'];
    if (spec === INTERNAL) throw new Error('assessment.reviewed is published');
    const reviewed = await eventsOf(anonymous, 'assessment.reviewed');
    expect(reviewed).toHaveLength(6);
    for (const event of reviewed) {
      const body = JSON.stringify(spec.toPublic(event.payload as never));
      expect(JSON.parse(body)).toMatchObject({ reviewer: null, activity: { id: anonymous } });
      for (const s of students) expect(body).not.toContain(s.username);
    }
  });

  it('names reviewers in the feed and webhooks when the activity is not anonymous', async () => {
    open = await runActivity('Open critique', 'none');
    const feed = (await feedOf(course.url)).filter((i) => i.object.endsWith(`/assessment/${open}`));
    expect(feed.filter((i) => i.verb === 'review')).toHaveLength(6);
    expect(feed.find((i) => i.verb === 'review')?.message).toMatch(
      /^evstudent0\d Person reviewed a classmate's work in Open critique$/,
    );
    const spec = WEBHOOK_EVENTS['assessment.reviewed'];
    if (spec === INTERNAL) throw new Error('assessment.reviewed is published');
    const [event] = await eventsOf(open, 'assessment.reviewed');
    expect(spec.toPublic(event?.payload as never)).toMatchObject({
      reviewer: { username: expect.stringMatching(/^evstudent/) },
    });
  });

  it('records hub.assessment.* events in the Event Store, final grades only, named by the member', async () => {
    const { rows } = await t.deps.pool.query<{ event_type: string; n: number }>(
      "select event_type, count(*)::int as n from stored_events where event_type like 'hub.assessment.%' group by event_type order by event_type",
    );
    // Two activities: 3 submissions, 6 reviews and 3 final grades each.
    expect(rows).toEqual([
      { event_type: 'hub.assessment.graded', n: 6 },
      { event_type: 'hub.assessment.reviewed', n: 12 },
      { event_type: 'hub.assessment.submitted', n: 6 },
    ]);
    const graded = await t.deps.pool.query<{ member_id: string; data: Record<string, unknown> }>(
      "select member_id, data from stored_events where event_type = 'hub.assessment.graded' order by member_id limit 1",
    );
    expect(graded.rows[0]?.member_id).toMatch(/^evstudent0\d@example\.org$/);
    expect(graded.rows[0]?.data).toMatchObject({ final: true, version: 1, scale: { min: 0, max: 100 } });
  });

  it('sends apps public, versioned assessment payloads with no email', () => {
    for (const type of ['assessment.submitted', 'assessment.graded', 'assessment.phase_opened'] as const) {
      const spec = WEBHOOK_EVENTS[type];
      expect(spec, type).not.toBe(INTERNAL);
      if (spec !== INTERNAL) expect(spec.version).toBe(1);
    }
  });
});
