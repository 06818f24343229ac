import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/support/app.ts';
import { createInstitution } from '../../modules/courses/index.ts';
import { basic, curl } from './openlearning.testing.ts';

let t: TestApp;
let auth: string;
let otherAuth: string;
const LINES = Array.from({ length: 600 }, (_, i) => `learner${i}@example.com,Learner ${i}`).join('\n');

beforeAll(async () => {
  t = await buildTestApp();
  const mine = await createInstitution(t.deps, { path: 'bulkInstitute', name: 'Bulk Institute' });
  const other = await createInstitution(t.deps, { path: 'elsewhere', name: 'Elsewhere' });
  auth = basic(mine.apiUsername, mine.apiPassword);
  otherAuth = basic(other.apiUsername, other.apiPassword);
});
afterAll(async () => {
  await t.close();
});

describe('bulk invites as jobs', () => {
  it('answers a large invite with 202 and a job whose progress can be read, then its lists', async () => {
    const res = await curl(t, auth, '/openlearning/api/institution/invite', {
      institution: 'bulkInstitute',
      emailAddressList: `${LINES}\nnot-an-address`,
    });
    expect(res.statusCode).toBe(202);
    const job = res.json().job as {
      id: string;
      url: string;
      status: string;
      total: number;
      processed: number;
    };
    expect(job).toMatchObject({ status: 'queued', total: 601, processed: 0 });
    const jobUrl = `/openlearning/api/institution/jobs/${job.id}?institution=bulkInstitute`;
    const before = await curl(t, auth, jobUrl);
    expect(before.json().job.processed).toBe(0);
    const foreign = await curl(
      t,
      otherAuth,
      `/openlearning/api/institution/jobs/${job.id}?institution=elsewhere`,
    );
    expect(foreign.statusCode).toBe(404);

    // A crash mid-way: the first chunk committed, the worker died. The rerun resumes, inviting nobody twice.
    await t.deps.pool.query(`update course_jobs set position = 250, status = 'running' where id = $1`, [
      job.id,
    ]);
    await t.deps.pool.query(
      `insert into institution_members (id, institution_id, email, full_name, created_at)
       select gen_random_uuid(), institution_id, 'learner' || g || '@example.com', 'Learner', now()
       from course_jobs, generate_series(0, 249) g where course_jobs.id = $1`,
      [job.id],
    );
    await t.runJobs();
    const after = await curl(t, auth, jobUrl);
    expect(after.json().job).toMatchObject({ status: 'done', processed: 601 });
    expect(after.json().pendingEnrolledEmails).toHaveLength(350);
    expect(after.json().unprocessedEmails).toEqual(['not-an-address']);
    const members = await t.deps.pool.query('select count(*)::int as n from institution_members');
    expect(members.rows[0].n).toBe(600);
    const mails = await t.deps.pool.query('select "to" from outbox');
    const recipients = mails.rows.map((r: { to: string[] }) => r.to[0]);
    expect(recipients).toHaveLength(350);
    expect(new Set(recipients).size).toBe(350);
    // Running the job again changes nothing.
    await t.makeJobsDue();
    await t.runJobs();
    expect((await t.deps.pool.query('select count(*)::int as n from outbox')).rows[0].n).toBe(350);
  });
});
