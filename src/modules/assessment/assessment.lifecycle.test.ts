import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/support/app.ts';
import { type Course, dropMember } from '../courses/index.ts';
import type { User } from '../identity/index.ts';
import { as, courseWith, people, RUBRIC } from './assessment.testing.ts';
import {
  addFile,
  addGroup,
  changePhase,
  createActivity,
  getActivity,
  getAllocation,
  getFile,
  myReviews,
  saveWork,
  setPhase,
  updateActivity,
} from './index.ts';

let t: TestApp;
let teacher: User;
let students: User[];
let course: Course;

beforeAll(async () => {
  t = await buildTestApp();
  [teacher] = (await people(t, 'prof', 1)) as [User];
  students = await people(t, 'learner', 8);
  course = await courseWith(t, teacher, students);
}, 120_000);
afterAll(() => t.close());

const hour = 3_600_000;
const countEvents = async (type: string) =>
  (
    await t.deps.pool.query<{ n: number }>('select count(*)::int as n from domain_events where type = $1', [
      type,
    ])
  ).rows[0]?.n ?? 0;
const dueNow = (key: string) =>
  t.deps.pool.query(
    'select graphile_worker.reschedule_jobs(array(select id from graphile_worker.jobs where key = $1), run_at := now())',
    [key],
  );

describe('phases on time', () => {
  it('opens and closes scheduled phases as jobs, once, notifying the course, and allocates when Create closes', async () => {
    const now = Date.now();
    const a = await createActivity(t.deps, as(teacher), course.id, {
      title: 'Scheduled',
      rubric: RUBRIC,
      reviewersPerSubmission: 2,
      allowLate: true,
      schedule: [
        {
          phase: 'Create',
          manual: false,
          startsAt: new Date(now - 60_000),
          endsAt: new Date(now + hour),
          enabled: true,
        },
        {
          phase: 'Assess',
          manual: false,
          startsAt: new Date(now + hour),
          endsAt: new Date(now + 2 * hour),
          enabled: true,
        },
        { phase: 'Reflect', manual: true, startsAt: null, endsAt: null, enabled: true },
      ],
    });
    const opened = await countEvents('assessment.phase_opened');
    await t.runJobs();
    expect((await getActivity(t.deps, as(teacher), a.id)).schedules.find((s) => s.openedAt)?.phase).toBe(
      'Create',
    );
    expect(await countEvents('assessment.phase_opened')).toBe(opened + 1);
    const announced = await t.deps.pool.query<{ subject: string }>(
      'select subject from announcements where course_id = $1',
      [course.id],
    );
    expect(announced.rows.some((r) => r.subject.endsWith('Scheduled: Create opened'))).toBe(true);
    // A repeat (a retried job) changes nothing.
    const create = (await getActivity(t.deps, as(teacher), a.id)).schedules.find((s) => s.phase === 'Create');
    await changePhase(t.deps, create?.id ?? 0, 'open');
    expect(await countEvents('assessment.phase_opened')).toBe(opened + 1);

    for (const s of students.slice(0, 6))
      await saveWork(t.deps, as(s), a.id, { content: `Work of ${s.username}`, submit: true });
    // Moving Create's end replaces its pending close job; the job planned for the old time would do nothing.
    await updateActivity(t.deps, as(teacher), a.id, {
      schedule: [
        {
          phase: 'Create',
          manual: false,
          startsAt: new Date(now - 60_000),
          endsAt: new Date(now + hour / 2),
          enabled: true,
        },
      ],
    });
    await dueNow(`assessment.phase:${create?.id}:close`);
    await dueNow(
      `assessment.phase:${(await getActivity(t.deps, as(teacher), a.id)).schedules.find((s) => s.phase === 'Assess')?.id}:open`,
    );
    await t.runJobs();
    const after = await getActivity(t.deps, as(teacher), a.id);
    expect(after.schedules.find((s) => s.openedAt && !s.closedAt)?.phase).toBe('Assess');
    expect(after.allocatedAt).not.toBeNull();
    const allocation = await getAllocation(t.deps, as(teacher), a.id);
    expect(allocation).toHaveLength(12);

    // A late submitter gets two reviewers and two reviews to do.
    const late = students[6] as User;
    const row = await saveWork(t.deps, as(late), a.id, { content: 'Late work', submit: true });
    expect(row.late).toBe(true);
    const withLate = await getAllocation(t.deps, as(teacher), a.id);
    expect(withLate.filter((e) => e.authorKey === late.id)).toHaveLength(2);
    expect(withLate.filter((e) => e.reviewerId === late.id)).toHaveLength(2);
    expect(withLate.every((e) => e.authorKey !== e.reviewerId)).toBe(true);

    // A student who drops the course: their open reviews go to others; their work leaves the pool.
    const leaver = students[0] as User;
    await dropMember(t.deps, as(leaver), course, leaver.id);
    await t.runJobs();
    const rebalanced = await getAllocation(t.deps, as(teacher), a.id);
    expect(rebalanced.some((e) => e.reviewerId === leaver.id)).toBe(false);
    expect(rebalanced.some((e) => e.authorKey === leaver.id)).toBe(false);
    for (const author of new Set(rebalanced.map((e) => e.authorKey))) {
      const reviewers = rebalanced.filter((e) => e.authorKey === author);
      expect(reviewers.length).toBeGreaterThanOrEqual(2);
      expect(reviewers.every((e) => e.reviewerId !== author)).toBe(true);
    }
    // Students and the public cannot see the allocation.
    await expect(getAllocation(t.deps, as(students[1] as User), a.id)).rejects.toMatchObject({
      code: 'assessment.not_instructor',
    });
  }, 120_000);
});

const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

describe('files and groups', () => {
  it('keeps files within type and size limits, checked against their content, readable only by those concerned', async () => {
    const a = await createActivity(t.deps, as(teacher), course.id, { title: 'With files', rubric: RUBRIC });
    const author = students[1] as User;
    await expect(
      addFile(t.deps, as(author), a.id, { name: 'essay.pdf', contentType: 'application/pdf', data: PDF }),
    ).rejects.toMatchObject({
      code: 'assessment.phase_closed',
    });
    await setPhase(t.deps, as(teacher), a.id, 'Create', 'open');
    const file = await addFile(t.deps, as(author), a.id, {
      name: 'essay.pdf',
      contentType: 'application/pdf',
      data: PDF,
    });
    expect(file).toMatchObject({ contentType: 'application/pdf', size: PDF.length });
    await expect(
      addFile(t.deps, as(author), a.id, {
        name: 'virus.pdf',
        contentType: 'application/pdf',
        data: Buffer.from('MZ\x90\x00 not a pdf'),
      }),
    ).rejects.toMatchObject({ code: 'assessment.file_rejected' });
    await expect(
      addFile(t.deps, as(author), a.id, {
        name: 'script.exe',
        contentType: 'application/octet-stream',
        data: Buffer.from('MZ'),
      }),
    ).rejects.toMatchObject({ code: 'assessment.file_rejected' });
    await expect(
      addFile(t.deps, as(author), a.id, {
        name: 'big.txt',
        contentType: 'text/plain',
        data: Buffer.alloc(6 * 1024 * 1024, 'a'),
      }),
    ).rejects.toMatchObject({ code: 'assessment.file_too_large' });
    expect((await getFile(t.deps, as(author), a.id, file.id)).data.equals(PDF)).toBe(true);
    expect((await getFile(t.deps, as(teacher), a.id, file.id)).name).toBe('essay.pdf');
    await expect(getFile(t.deps, as(students[2] as User), a.id, file.id)).rejects.toMatchObject({
      code: 'assessment.file_not_found',
    });
  });

  it('takes one submission per group and never lets a group review its own work', async () => {
    const a = await createActivity(t.deps, as(teacher), course.id, {
      title: 'Groups',
      type: 'Group',
      rubric: RUBRIC,
      reviewersPerSubmission: 2,
    });
    const active = students.slice(1, 7);
    for (let g = 0; g < 3; g++) {
      await addGroup(t.deps, as(teacher), a.id, {
        name: `Team ${g}`,
        userIds: active.slice(g * 2, g * 2 + 2).map((s) => s.id),
      });
    }
    const [outsider] = await people(t, 'outsider', 1);
    await expect(
      addGroup(t.deps, as(teacher), a.id, { name: 'Ghosts', userIds: [outsider?.id ?? ''] }),
    ).rejects.toMatchObject({
      code: 'assessment.invalid_input',
    });
    await setPhase(t.deps, as(teacher), a.id, 'Create', 'open');
    await saveWork(t.deps, as(active[0] as User), a.id, { content: 'Team 0 work', submit: true });
    // The second member of the same group finds the group's work already submitted.
    await expect(
      saveWork(t.deps, as(active[1] as User), a.id, { content: 'Mine', submit: true }),
    ).rejects.toMatchObject({
      code: 'assessment.already_submitted',
    });
    await saveWork(t.deps, as(active[2] as User), a.id, { content: 'Team 1 work', submit: true });
    await saveWork(t.deps, as(active[4] as User), a.id, { content: 'Team 2 work', submit: true });
    await expect(
      saveWork(t.deps, as(students[7] as User), a.id, { content: 'No group', submit: true }),
    ).rejects.toMatchObject({
      code: 'assessment.not_in_group',
    });
    await setPhase(t.deps, as(teacher), a.id, 'Assess', 'open');
    for (const [i, s] of active.entries()) {
      const tasks = await myReviews(t.deps, as(s), a.id);
      expect(tasks.length).toBeGreaterThan(0);
      expect(tasks.every((x) => !x.submission.content.startsWith(`Team ${Math.floor(i / 2)} `))).toBe(true);
    }
  });
});
