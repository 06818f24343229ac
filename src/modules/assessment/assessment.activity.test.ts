import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/support/app.ts';
import type { Course } from '../courses/index.ts';
import type { User } from '../identity/index.ts';
import { as, courseWith, people, RUBRIC } from './assessment.testing.ts';
import {
  createActivity,
  getAllocation,
  getStudentGrade,
  listGrades,
  myFeedback,
  myReviews,
  rateReview,
  reviseWork,
  saveReview,
  saveWork,
  setInstructorGrade,
  setPhase,
} from './index.ts';

let t: TestApp;
let teacher: User;
let students: User[];
let course: Course;
let activityId: number;

beforeAll(async () => {
  t = await buildTestApp();
  [teacher] = await people(t, 'teacher', 1).then((p) => p as [User]);
  students = await people(t, 'student', 30);
  course = await courseWith(t, teacher as User, students);
}, 120_000);
afterAll(() => t.close());

const index = (u: string) => students.findIndex((s) => s.id === u);
/**
 * The scores each piece of work receives, by its author's index modulo 3, given in the order of the reviewers'
 * own indexes: ×10 on the 0–100 scale. Hand-computed: row 0 → 70, 70, 40: mean 60, median 70, mode 70;
 * row 1 → 100, 50, 60: mean 70, median 60, mode 50 (all equally common: the lowest); row 2 → 80 ×3.
 */
const TABLE = [
  [7, 7, 4],
  [10, 5, 6],
  [8, 8, 8],
];
const EXPECTED = [
  { mean: 60, median: 70, mode: 70 },
  { mean: 70, median: 60, mode: 50 },
  { mean: 80, median: 80, mode: 80 },
];

describe('a full activity with 30 students', () => {
  it('runs Create → Assess → Reflect and grades everyone with hand-checked mean, median and mode', async () => {
    const activity = await createActivity(t.deps, as(teacher), course.id, {
      title: 'Argumentative essay',
      rubric: RUBRIC,
      reviewersPerSubmission: 3,
      weights: { create: 60, assess: 20, reflect: 10, instructor: 10 },
    });
    activityId = activity.id;
    expect(activity.schedules.map((s) => s.phase)).toEqual(['Create', 'Assess', 'Reflect']);

    // Nobody may submit before Create opens.
    await expect(
      saveWork(t.deps, as(students[0] as User), activityId, { content: 'early', submit: true }),
    ).rejects.toMatchObject({
      code: 'assessment.phase_closed',
    });
    await setPhase(t.deps, as(teacher), activityId, 'Create', 'open');
    for (const [i, s] of students.entries()) {
      await saveWork(t.deps, as(s), activityId, { content: `<p>Draft ${i}</p>`, submit: false });
      const row = await saveWork(t.deps, as(s), activityId, {
        content: `<p>Essay <b>${i}</b></p><script>x()</script>`,
        submit: true,
      });
      expect(row.contentCreate).toBe(`Essay ${i}`);
    }
    await expect(
      saveWork(t.deps, as(students[0] as User), activityId, { content: 'again', submit: true }),
    ).rejects.toMatchObject({
      code: 'assessment.already_submitted',
    });

    // Opening Assess closes Create and allocates.
    await setPhase(t.deps, as(teacher), activityId, 'Assess', 'open');
    const allocation = await getAllocation(t.deps, as(teacher), activityId);
    expect(allocation).toHaveLength(90);
    const perReviewer = new Map<string, number>();
    for (const e of allocation) {
      expect(e.authorKey).not.toBe(e.reviewerId);
      perReviewer.set(e.reviewerId, (perReviewer.get(e.reviewerId) ?? 0) + 1);
    }
    expect(perReviewer.size).toBe(30);
    expect([...perReviewer.values()].every((n) => n === 3)).toBe(true);

    // A student cannot review work not allocated to them.
    const someoneElses = allocation.find((e) => e.reviewerId !== students[0]?.id);
    await expect(
      saveReview(t.deps, as(students[0] as User), activityId, someoneElses?.reviewId ?? '', {
        scores: { quality: 5 },
        comment: '',
        submit: true,
      }),
    ).rejects.toMatchObject({ code: 'assessment.review_not_found' });
    // Create has closed (this activity takes no late work).
    await expect(
      saveWork(t.deps, as(students[1] as User), activityId, { content: 'late', submit: true }),
    ).rejects.toMatchObject({
      code: 'assessment.phase_closed',
    });

    for (const s of students) {
      const tasks = await myReviews(t.deps, as(s), activityId);
      expect(tasks).toHaveLength(3);
      // Anonymity defaults to double: a reviewer does not learn whose work it is.
      expect(tasks.every((x) => x.submission.author === null)).toBe(true);
      for (const task of tasks) {
        const author = allocation.find((e) => e.reviewId === task.id)?.authorKey ?? '';
        const reviewers = allocation
          .filter((e) => e.authorKey === author)
          .map((e) => index(e.reviewerId))
          .sort((a, b) => a - b);
        const score = TABLE[index(author) % 3]?.[reviewers.indexOf(index(s.id))] ?? -1;
        await expect(
          saveReview(t.deps, as(s), activityId, task.id, {
            scores: { quality: 11 },
            comment: 'x',
            submit: true,
          }),
        ).rejects.toMatchObject({ code: 'assessment.invalid_input' });
        await saveReview(t.deps, as(s), activityId, task.id, {
          scores: { quality: score },
          comment: `Comment by ${s.username}`,
          submit: true,
        });
      }
    }

    await setPhase(t.deps, as(teacher), activityId, 'Reflect', 'open');
    for (const s of students) {
      const feedback = await myFeedback(t.deps, as(s), activityId);
      expect(feedback).toHaveLength(3);
      expect(feedback.every((f) => f.reviewer === null)).toBe(true);
      for (const f of feedback) await rateReview(t.deps, as(s), activityId, f.id, 5);
      const revised = await reviseWork(t.deps, as(s), activityId, {
        content: `Essay ${index(s.id)}, revised`,
      });
      expect(revised.contentCreate).toBe(`Essay ${index(s.id)}`);
    }
    await t.runJobs();

    for (const s of students) {
      const g = await getStudentGrade(t.deps, activityId, s.id);
      const expected = EXPECTED[index(s.id) % 3];
      expect({ mean: g?.peerMean, median: g?.peerMedian, mode: g?.peerMode }).toEqual(expected);
      expect(g?.assess).toBe(100);
      expect(g?.reflect).toBe(100);
      // (60 × mean + 20 × 100 + 10 × 100) / 90, the instructor part not given yet.
      expect(g?.overall).toBeCloseTo(((expected?.mean ?? 0) * 60 + 3000) / 90, 2);
    }
    const events = await t.deps.pool.query<{ type: string; n: string }>(
      "select type, count(*) as n from domain_events where type like 'assessment.%' group by type order by type",
    );
    const counts = Object.fromEntries(events.rows.map((r) => [r.type, Number(r.n)]));
    expect(counts['assessment.submitted']).toBe(30);
    expect(counts['assessment.reviewed']).toBe(90);
    expect(counts['assessment.graded']).toBeGreaterThanOrEqual(30);
    expect(counts['assessment.phase_opened']).toBe(3);
  }, 180_000);

  it('lets the instructor grade and override, and emits assessment.graded only when the grade changes', async () => {
    const s = students[0] as User;
    const before = await t.deps.pool.query(
      "select count(*)::int as n from domain_events where type = 'assessment.graded'",
    );
    const g = await setInstructorGrade(t.deps, as(teacher), activityId, s.id, { instructor: 100 });
    expect(g?.overall).toBeCloseTo((60 * 60 + 3000 + 1000) / 100, 2);
    const overridden = await setInstructorGrade(t.deps, as(teacher), activityId, s.id, { override: 95 });
    expect(overridden?.overall).toBe(95);
    await setInstructorGrade(t.deps, as(teacher), activityId, s.id, { override: 95 });
    const after = await t.deps.pool.query(
      "select count(*)::int as n from domain_events where type = 'assessment.graded'",
    );
    expect(after.rows[0].n - before.rows[0].n).toBe(2);
    await expect(
      setInstructorGrade(t.deps, as(students[1] as User), activityId, s.id, { override: 100 }),
    ).rejects.toMatchObject({
      code: 'assessment.not_instructor',
    });
    await expect(
      setInstructorGrade(t.deps, as(teacher), activityId, s.id, { override: 101 }),
    ).rejects.toMatchObject({
      code: 'assessment.invalid_input',
    });
    expect((await listGrades(t.deps, as(teacher), activityId)).length).toBe(30);
  });

  it('refuses late reviews and edits once Reflect has opened', async () => {
    const s = students[2] as User;
    const [task] = await myReviews(t.deps, as(s), activityId);
    await expect(
      saveReview(t.deps, as(s), activityId, task?.id ?? '', {
        scores: { quality: 1 },
        comment: '',
        submit: true,
      }),
    ).rejects.toMatchObject({ code: 'assessment.phase_closed' });
  });
});
