import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/support/app.ts';
import { runCli } from '../../../test/support/cli.ts';
import { platformToken, rsaKey } from '../../dialects/peerscholar/peerscholar.testing.ts';
import { courseWith, people } from '../assessment/assessment.testing.ts';
import type { Course } from '../courses/index.ts';

let t: TestApp;
let course: Course;
const key = rsaKey('cli-key');

beforeAll(async () => {
  t = await buildTestApp();
  const [teacher] = await people(t, 'owner', 1);
  if (!teacher) throw new Error('no teacher');
  course = await courseWith(t, teacher, [], 'Platform course');
}, 60_000);
afterAll(() => t.close());

const count = async () =>
  (await t.deps.pool.query<{ n: number }>('select count(*)::int as n from platforms')).rows[0]?.n;

describe('platform registrations (admin API)', () => {
  it('registers a platform for an admin operator, and refuses others and bad keys, registering nothing', async () => {
    const admin = await t.operatorToken();
    const plain = await t.operatorToken({ admin: false });
    const body = {
      name: 'Brightspace',
      public_keys: [{ pem: key.publicPem, kid: 'api-key' }],
      course_ids: [course.id],
    };
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/platforms',
      headers: { authorization: `Bearer ${admin}` },
      payload: body,
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({
      name: 'Brightspace',
      scope: 'courses',
      kids: ['api-key'],
      issuer: 'http://hub.test/peerscholar',
      enabled: true,
    });
    const before = await count();
    const refused = await t.app.inject({
      method: 'POST',
      url: '/api/v1/platforms',
      headers: { authorization: `Bearer ${plain}` },
      payload: { ...body, public_keys: [{ pem: key.publicPem, kid: 'x' }] },
    });
    expect(refused.statusCode).toBe(403);
    const badKey = await t.app.inject({
      method: 'POST',
      url: '/api/v1/platforms',
      headers: { authorization: `Bearer ${admin}` },
      payload: { ...body, public_keys: [{ pem: 'not a key' }] },
    });
    expect(badKey.statusCode).toBe(400);
    const dupKid = await t.app.inject({
      method: 'POST',
      url: '/api/v1/platforms',
      headers: { authorization: `Bearer ${admin}` },
      payload: body,
    });
    expect(dupKid.statusCode).toBe(409);
    const noKeys = await t.app.inject({
      method: 'POST',
      url: '/api/v1/platforms',
      headers: { authorization: `Bearer ${admin}` },
      payload: { name: 'Nothing' },
    });
    expect(noKeys.statusCode).toBe(400);
    expect(await count()).toBe(before);
    const id = created.json<{ id: string }>().id;
    const disabled = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/platforms/${id}`,
      headers: { authorization: `Bearer ${admin}` },
      payload: { enabled: false },
    });
    expect(disabled.json()).toMatchObject({ enabled: false });
  });
});

describe('npx learnhub platforms create', () => {
  const env = () => ({
    DATABASE_URL: t.database.url,
    SECRET_KEY: 'test-secret-key-test-secret-key-0123456789',
    PUBLIC_URL: 'http://hub.test',
    LOG_LEVEL: 'warn',
  });

  it('registers a platform whose tokens then read exactly its courses', async () => {
    const file = path.join(tmpdir(), `platform-${process.pid}.pem`);
    writeFileSync(file, key.publicPem);
    const res = await runCli(
      [
        'platforms',
        'create',
        '--name',
        'Moodle',
        '--public-key-file',
        file,
        '--kid',
        key.kid,
        '--courses',
        course.path,
        '--json',
      ],
      env(),
    );
    expect(res.code, res.stderr).toBe(0);
    const out = JSON.parse(res.stdout) as { id: string; kids: string[]; course_ids: string[] };
    expect(out.kids).toEqual([key.kid]);
    expect(out.course_ids).toEqual([course.id]);
    const token = await platformToken(key, { now: new Date() });
    const courses = await t.app.inject({
      method: 'GET',
      url: '/peerscholar/v1/courses',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(courses.statusCode).toBe(200);
    expect(courses.json<{ data: { title: string }[] }>().data.map((c) => c.title)).toEqual([
      'Platform course',
    ]);
  }, 60_000);

  it('exits 1 without a key or with an unknown course, registering nothing', async () => {
    const before = await count();
    const noKey = await runCli(['platforms', 'create', '--name', 'X', '--all-courses'], env());
    expect(noKey.code).toBe(1);
    expect(noKey.stderr).toContain('--jwks-url');
    const unknown = await runCli(
      [
        'platforms',
        'create',
        '--name',
        'X',
        '--jwks-url',
        'https://lms.example/jwks',
        '--courses',
        'no-such-course',
      ],
      env(),
    );
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no-such-course');
    expect(await count()).toBe(before);
  }, 60_000);
});
