import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/support/app.ts';
import type { Principal } from '../../http/principal.ts';
import { createUser } from '../identity/index.ts';
import { createClass } from './courses.classes.ts';
import { dropMember, joinCourse, listCourseMembers, setProgress } from './courses.enrolment.ts';
import { eventsOfType } from './courses.testing.ts';
import { type Course, createCourse, updateCourse } from './courses.usecases.ts';

// Enrolment use-cases called directly, on a real database. Each case makes its own course and people.
let t: TestApp;
let n = 0;

beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => {
  await t.close();
});

type UserPrincipal = Extract<Principal, { kind: 'user' }>;

async function someone(): Promise<UserPrincipal> {
  n++;
  const user = await createUser(t.deps, {
    username: `en${n}`,
    name: `Learner ${n}`,
    email: `en${n}@example.org`,
    password: 'correct horse battery staple',
    emailVerified: true,
  });
  return { kind: 'user', userId: user.id, admin: false };
}

async function ownedCourse(): Promise<{ owner: UserPrincipal; course: Course }> {
  const owner = await someone();
  return { owner, course: await createCourse(t.deps, owner, { title: `Course ${n}` }) };
}

describe('joinCourse', () => {
  it('enrols a person in an open course once; joining again changes nothing', async () => {
    const { course } = await ownedCourse();
    const learner = await someone();
    const before = (await eventsOfType(t, 'enrolment.created')).length;
    const first = await joinCourse(t.deps, learner, course, {});
    expect(first).toMatchObject({ created: true, membership: { userId: learner.userId, status: 'active' } });
    const again = await joinCourse(t.deps, learner, course, {});
    expect(again.created).toBe(false);
    expect((await eventsOfType(t, 'enrolment.created')).length).toBe(before + 1);
  });

  it('refuses an offline course, and a principal that is not a person', async () => {
    const { owner, course } = await ownedCourse();
    const offline = await updateCourse(t.deps, owner, course, { status: 'offline' });
    await expect(joinCourse(t.deps, await someone(), offline, {})).rejects.toMatchObject({
      code: 'courses.class_closed',
      status: 403,
    });
    const app: Principal = { kind: 'app', appId: '00000000-0000-4000-8000-000000000001', scopes: [] };
    await expect(joinCourse(t.deps, app, course, {})).rejects.toMatchObject({ code: 'courses.no_owner' });
  });

  it('asks for the right activation code of a code-protected class', async () => {
    const { owner, course } = await ownedCourse();
    const cls = await createClass(t.deps, owner, course, {
      title: 'Spring cohort',
      type: 'requires-activation-code',
      activationCode: 'open-sesame',
    });
    const learner = await someone();
    for (const activationCode of [undefined, 'open-barley']) {
      await expect(
        joinCourse(t.deps, learner, course, {
          classId: cls.id,
          ...(activationCode ? { activationCode } : {}),
        }),
      ).rejects.toMatchObject({ code: 'courses.bad_activation_code', status: 403 });
    }
    const joined = await joinCourse(t.deps, learner, course, {
      classId: cls.id,
      activationCode: 'open-sesame',
    });
    expect(joined.membership.classId).toBe(cls.id);
  });
});

describe('members and progress', () => {
  it('lists members to the course owner only', async () => {
    const { owner, course } = await ownedCourse();
    const learner = await someone();
    await joinCourse(t.deps, learner, course, {});
    const members = await listCourseMembers(t.deps, owner, course, { limit: 10 });
    expect(members.map((m) => m.userId)).toEqual([learner.userId]);
    await expect(listCourseMembers(t.deps, learner, course, { limit: 10 })).rejects.toMatchObject({
      code: 'courses.not_owner',
    });
  });

  it('records progress for the owner and announces completion exactly once', async () => {
    const { owner, course } = await ownedCourse();
    const learner = await someone();
    await joinCourse(t.deps, learner, course, {});
    const before = (await eventsOfType(t, 'course.completed')).length;
    expect(await setProgress(t.deps, owner, course, learner.userId, { progress: 40 })).toMatchObject({
      progress: 40,
      completedAt: null,
    });
    const done = await setProgress(t.deps, owner, course, learner.userId, { completed: true });
    expect(done.progress).toBe(100);
    expect(done.completedAt).toBeInstanceOf(Date);
    await setProgress(t.deps, owner, course, learner.userId, { progress: 100 });
    expect((await eventsOfType(t, 'course.completed')).length).toBe(before + 1);
  });

  it('refuses progress from a stranger, out of range, or for a non-member', async () => {
    const { owner, course } = await ownedCourse();
    const learner = await someone();
    await joinCourse(t.deps, learner, course, {});
    await expect(
      setProgress(t.deps, learner, course, learner.userId, { progress: 90 }),
    ).rejects.toMatchObject({ code: 'courses.not_owner' });
    await expect(setProgress(t.deps, owner, course, learner.userId, { progress: 101 })).rejects.toMatchObject(
      { status: 400 },
    );
    const outsider = await someone();
    await expect(setProgress(t.deps, owner, course, outsider.userId, { progress: 10 })).rejects.toMatchObject(
      { code: 'courses.not_member', status: 404 },
    );
  });

  it('lets a member leave and refuses a stranger dropping them', async () => {
    const { course } = await ownedCourse();
    const learner = await someone();
    await joinCourse(t.deps, learner, course, {});
    await expect(dropMember(t.deps, await someone(), course, learner.userId)).rejects.toMatchObject({
      code: 'courses.not_owner',
    });
    await dropMember(t.deps, learner, course, learner.userId);
    await expect(dropMember(t.deps, learner, course, learner.userId)).rejects.toMatchObject({
      code: 'courses.not_member',
    });
    const dropped = await eventsOfType(t, 'enrolment.dropped');
    expect(JSON.stringify(dropped.at(-1))).toContain(learner.userId);
  });
});
