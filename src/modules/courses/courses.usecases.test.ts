import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/support/app.ts';
import type { Principal } from '../../http/principal.ts';
import { createUser } from '../identity/index.ts';
import { eventsOfType } from './courses.testing.ts';
import {
  createCourse,
  deleteCourse,
  getCourseById,
  updateCourse,
  upsertCourseByShortcode,
} from './courses.usecases.ts';

// The course register's use-cases called directly (the routes and the OpenLearning dialect are thin
// translations onto these), on a real database. Each case makes the people and courses it needs.
let t: TestApp;
let n = 0;

beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => {
  await t.close();
});

async function someone(admin = false): Promise<Principal> {
  n++;
  const user = await createUser(t.deps, {
    username: `uc${n}`,
    name: `Person ${n}`,
    email: `uc${n}@example.org`,
    password: 'correct horse battery staple',
    emailVerified: true,
    admin,
  });
  return { kind: 'user', userId: user.id, admin };
}

async function courseCount(): Promise<number> {
  const { rows } = await t.deps.pool.query<{ n: number }>('select count(*)::int as n from courses');
  return rows[0]?.n ?? 0;
}

describe('createCourse', () => {
  it('creates a published course owned by its creator and announces it once', async () => {
    const owner = await someone();
    const before = (await eventsOfType(t, 'course.published')).length;
    const course = await createCourse(t.deps, owner, { title: 'Open Data 101', shortcode: 'OD101' });
    expect(course).toMatchObject({ title: 'Open Data 101', shortcode: 'OD101', published: true });
    expect(course.ownerUserId).toBe(owner.kind === 'user' ? owner.userId : null);
    expect(course.path).toMatch(/^od101-/i);
    expect(await getCourseById(t.deps, course.id)).toEqual(course);
    const events = await eventsOfType(t, 'course.published');
    expect(events).toHaveLength(before + 1);
    expect(JSON.stringify(events.at(-1))).toContain(course.id);
  });

  it('refuses a course without a title, or with an end before its start, and stores nothing', async () => {
    const owner = await someone();
    const before = await courseCount();
    await expect(createCourse(t.deps, owner, { description: 'no title' })).rejects.toMatchObject({
      code: 'courses.invalid_input',
      status: 400,
    });
    await expect(
      createCourse(t.deps, owner, {
        title: 'Backwards',
        startsAt: new Date('2026-02-01T00:00:00Z'),
        endsAt: new Date('2026-01-01T00:00:00Z'),
      }),
    ).rejects.toMatchObject({ code: 'courses.invalid_input' });
    expect(await courseCount()).toBe(before);
  });

  it('refuses an owner-less principal (an operator token) with courses.no_owner', async () => {
    const operator: Principal = { kind: 'operator', tokenId: 'ops', admin: true };
    await expect(createCourse(t.deps, operator, { title: 'Nobody’s' })).rejects.toMatchObject({
      code: 'courses.no_owner',
      status: 403,
    });
  });

  it('refuses a taken path and a shortcode the owner already uses, keeping the first course', async () => {
    const owner = await someone();
    const first = await createCourse(t.deps, owner, {
      title: 'First',
      path: `taken-${n}`,
      shortcode: `TK${n}`,
    });
    await expect(createCourse(t.deps, owner, { title: 'Second', path: first.path })).rejects.toMatchObject({
      code: 'courses.path_taken',
      status: 409,
    });
    await expect(createCourse(t.deps, owner, { title: 'Third', shortcode: `TK${n}` })).rejects.toMatchObject({
      code: 'courses.shortcode_taken',
      status: 409,
    });
    // Another owner may use the same shortcode.
    const other = await createCourse(t.deps, await someone(), {
      title: 'Elsewhere',
      shortcode: first.shortcode,
    });
    expect(other.shortcode).toBe(first.shortcode);
  });
});

describe('updateCourse and deleteCourse', () => {
  it('lets the owner and a hub admin change a course, announcing each change', async () => {
    const owner = await someone();
    const course = await createCourse(t.deps, owner, { title: 'Draft' });
    const before = (await eventsOfType(t, 'course.updated')).length;
    const renamed = await updateCourse(t.deps, owner, course, { title: 'Final', status: 'offline' });
    expect(renamed).toMatchObject({ id: course.id, title: 'Final', status: 'offline' });
    const byAdmin = await updateCourse(t.deps, await someone(true), renamed, { tags: ['data'] });
    expect(byAdmin.tags).toEqual(['data']);
    expect((await eventsOfType(t, 'course.updated')).length).toBe(before + 2);
  });

  it("refuses someone else's change or deletion with courses.not_owner, changing nothing", async () => {
    const course = await createCourse(t.deps, await someone(), { title: 'Mine' });
    const stranger = await someone();
    await expect(updateCourse(t.deps, stranger, course, { title: 'Theirs' })).rejects.toMatchObject({
      code: 'courses.not_owner',
      status: 403,
    });
    await expect(deleteCourse(t.deps, stranger, course)).rejects.toMatchObject({ code: 'courses.not_owner' });
    expect(await getCourseById(t.deps, course.id)).toMatchObject({ title: 'Mine' });
  });

  it('deletes a course for its owner and announces course.deleted', async () => {
    const owner = await someone();
    const course = await createCourse(t.deps, owner, { title: 'Short-lived' });
    await deleteCourse(t.deps, owner, course);
    expect(await getCourseById(t.deps, course.id)).toBeUndefined();
    const deleted = await eventsOfType(t, 'course.deleted');
    expect(JSON.stringify(deleted.at(-1))).toContain(course.id);
  });
});

describe('upsertCourseByShortcode', () => {
  it('creates the caller’s course once, then updates that same course', async () => {
    const owner = await someone();
    const code = `UP${n}`;
    const first = await upsertCourseByShortcode(t.deps, owner, code, { title: 'Version 1' });
    expect(first.created).toBe(true);
    const second = await upsertCourseByShortcode(t.deps, owner, code, { title: 'Version 2' });
    expect(second).toMatchObject({ created: false, course: { id: first.course.id, title: 'Version 2' } });
    // Another owner's course with the same shortcode is their own.
    const theirs = await upsertCourseByShortcode(t.deps, await someone(), code, { title: 'Other' });
    expect(theirs.created).toBe(true);
    expect(theirs.course.id).not.toBe(first.course.id);
  });
});
