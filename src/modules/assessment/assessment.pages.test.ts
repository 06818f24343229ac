import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/support/app.ts';
import { Browser, formOf } from '../../../test/support/web.ts';
import { csvCell, toCsv } from '../../lib/csv.ts';
import type { Course } from '../courses/index.ts';
import type { User } from '../identity/index.ts';
import { as, courseWith, PASSWORD, people, RUBRIC } from './assessment.testing.ts';
import { createActivity, setPhase } from './index.ts';

let t: TestApp;
let teacher: User;
let students: User[];
let outsider: User;
let course: Course;
let otherCourse: Course;
let activityId: number;
let otherActivity: number;

async function signIn(user: User): Promise<Browser> {
  const browser = new Browser(t.app);
  await browser.submit('/login', { email: user.email, password: PASSWORD });
  return browser;
}

/** The CSRF field of a signed-in browser, from a page that always has a form (the account page). */
async function tokenOf(browser: Browser): Promise<Record<string, string>> {
  const { hidden } = formOf((await browser.get('/account')).body);
  return { _csrf: hidden._csrf ?? '' };
}

/**
 * A minimal RFC 4180 reader (quoted fields, doubled quotes, CRLF), independent of the writer, to prove the
 * export parses back to the cells that were written.
 */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += ch;
  }
  if (cell !== '' || row.length > 0) rows.push([...row, cell]);
  return rows;
}

beforeAll(async () => {
  t = await buildTestApp();
  [teacher] = (await people(t, 'pgteacher', 1)) as [User];
  students = await people(t, 'pgstudent', 3);
  [outsider] = (await people(t, 'pgoutsider', 1)) as [User];
  course = await courseWith(t, teacher, students, 'Essays');
  otherCourse = await courseWith(t, outsider, [], 'Elsewhere');
  activityId = (
    await createActivity(t.deps, as(teacher), course.id, {
      title: 'Page essay',
      rubric: RUBRIC,
      reviewersPerSubmission: 2,
    })
  ).id;
  otherActivity = (
    await createActivity(t.deps, as(outsider), otherCourse.id, { title: 'Not yours', rubric: RUBRIC })
  ).id;
}, 120_000);
afterAll(() => t.close());

describe('CSV export', () => {
  it('quotes, guards formulas and starts with a BOM, and parses back to the same cells', () => {
    const cells = ['=HYPERLINK("x")', '+1', '-2', '@SUM(A1)', 'a,b', 'line\nbreak', 'say "hi"', 'Zoë'];
    const csv = toCsv([cells, [1.5, -3, null]]);
    expect(csv.startsWith('\uFEFF')).toBe(true);
    const parsed = parseCsv(csv.slice(1));
    expect(parsed[0]).toEqual([
      '\'=HYPERLINK("x")',
      "'+1",
      "'-2",
      "'@SUM(A1)",
      'a,b',
      'line\nbreak',
      'say "hi"',
      'Zoë',
    ]);
    // Numbers stay numbers, a negative one included; empty for null.
    expect(parsed[1]).toEqual(['1.5', '-3', '']);
    expect(csvCell('\tcmd')).toBe("'\tcmd");
  });
});

describe('peer-assessment pages', () => {
  it('walks students through submit, review and grade, and the instructor through progress and the CSV', async () => {
    const staff = await signIn(teacher);
    const list = await staff.get(`/assessment/course/${course.id}`);
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('Page essay');
    let res = await staff.submit(
      `/assessment/${activityId}`,
      { change: 'Create:open' },
      `/assessment/${activityId}/phase`,
    );
    expect(res.statusCode).toBe(303);

    const browsers = await Promise.all(students.map(signIn));
    for (const [i, b] of browsers.entries()) {
      const page = await b.get(`/assessment/${activityId}`);
      expect(page.body).toContain('Create is open');
      res = await b.submit(
        `/assessment/${activityId}`,
        { content: `My essay ${i} =1+1`, action: 'submit' },
        `/assessment/${activityId}/work`,
      );
      expect(res.headers.location).toBe(`/assessment/${activityId}?done=submitted`);
    }
    // A second submission is refused in the page, with the reason and the right status.
    const again = await (browsers[0] as Browser).post(`/assessment/${activityId}/work`, {
      ...(await tokenOf(browsers[0] as Browser)),
      content: 'again',
      action: 'submit',
    });
    expect(again.statusCode).toBe(409);

    await staff.submit(
      `/assessment/${activityId}`,
      { change: 'Assess:open' },
      `/assessment/${activityId}/phase`,
    );
    for (const b of browsers) {
      const page = await b.get(`/assessment/${activityId}`);
      const actions = [...page.body.matchAll(/action="(\/assessment\/\d+\/reviews\/[0-9a-f-]+)"/g)].map(
        (m) => m[1] ?? '',
      );
      expect(actions).toHaveLength(2);
      for (const [n, action] of actions.entries()) {
        res = await b.submit(
          `/assessment/${activityId}`,
          { [`r${n}_quality`]: '7', comment: 'Clear', action: 'submit' },
          action,
        );
        expect(res.headers.location).toBe(`/assessment/${activityId}?done=reviewed`);
      }
    }
    const progress = await staff.get(`/assessment/${activityId}`);
    expect(progress.body).toContain('data-count="submitted">3<');
    expect(progress.body).toContain('data-count="reviewed">3<');

    await staff.submit(
      `/assessment/${activityId}`,
      { change: 'Reflect:open' },
      `/assessment/${activityId}/phase`,
    );
    await t.runJobs();
    const mine = await (browsers[0] as Browser).get(`/assessment/${activityId}`);
    expect(mine.body).toContain('Feedback you received');
    expect(mine.body).toContain('Your grade');
    // Anonymous reviews: the other students are named nowhere on the author's page.
    for (const other of students.slice(1)) {
      expect(mine.body).not.toContain(other.username);
      expect(mine.body).not.toContain(other.id);
    }
    await staff.submit(
      `/assessment/${activityId}`,
      { change: 'Reflect:close' },
      `/assessment/${activityId}/phase`,
    );
    await t.runJobs();
    expect((await (browsers[0] as Browser).get(`/assessment/${activityId}`)).body).toContain('(final)');

    const csv = await staff.get(`/assessment/${activityId}/grades.csv`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toContain('attachment');
    const rows = parseCsv(csv.body.replace(/^\uFEFF/, ''));
    expect(rows[0]?.slice(0, 5)).toEqual(['name', 'username', 'email', 'overall', 'final']);
    expect(
      rows
        .slice(1)
        .map((r) => r[1])
        .sort(),
    ).toEqual(students.map((s) => s.username).sort());
    expect(rows.slice(1).every((r) => r[4] === 'yes' && Number(r[3]) > 0)).toBe(true);
  });

  it('refuses other courses with 403, students the instructor view and the CSV, and forms without CSRF', async () => {
    const student = await signIn(students[0] as User);
    expect((await student.get(`/assessment/${otherActivity}`)).statusCode).toBe(403);
    expect((await student.get(`/assessment/course/${otherCourse.id}`)).statusCode).toBe(403);
    expect((await student.get(`/assessment/${activityId}/grades.csv`)).statusCode).toBe(403);
    expect((await student.get(`/assessment/course/${course.id}/new`)).statusCode).toBe(403);
    const stranger = await signIn(outsider);
    expect((await stranger.get(`/assessment/${activityId}`)).statusCode).toBe(403);
    expect((await stranger.get(`/assessment/${activityId}/grades.csv`)).statusCode).toBe(403);
    // A student may not move phases, even with a valid token.
    const hidden = await tokenOf(student);
    expect(
      (await student.post(`/assessment/${activityId}/phase`, { ...hidden, change: 'Create:open' }))
        .statusCode,
    ).toBe(403);
    // No CSRF token: refused, nothing saved.
    expect((await student.post(`/assessment/${activityId}/revise`, { content: 'x' })).statusCode).toBe(403);
    expect((await t.app.inject(`/assessment/${activityId}`)).statusCode).toBe(303);
    expect((await student.get('/assessment/99999')).statusCode).toBe(404);
  });

  it('lets an instructor create an activity from the form, and explains a bad one', async () => {
    const staff = await signIn(teacher);
    const bad = await staff.submit(`/assessment/course/${course.id}/new`, {
      title: '',
      criterion: 'Q',
      max: '10',
      reviewers: '3',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('title');
    const ok = await staff.submit(`/assessment/course/${course.id}/new`, {
      title: 'Made by form',
      criterion: 'Argument',
      max: '5',
      reviewers: '2',
      anonymity: 'none',
    });
    expect(ok.statusCode).toBe(303);
    const page = await staff.get(ok.headers.location as string);
    expect(page.body).toContain('Made by form');
    await setPhase(
      t.deps,
      as(teacher),
      Number(/\/assessment\/(\d+)/.exec(ok.headers.location as string)?.[1]),
      'Create',
      'open',
    );
  });
});
