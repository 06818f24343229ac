import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { SignJWT } from 'jose';
import pg from 'pg';
import { allocate } from '../src/modules/assessment/index.ts';
import type { BenchContext, BenchRow, BenchSuite } from './types.ts';

/**
 * Peer assessment: the allocation of 10,000 submissions (k = 3, in process, CPU time), and the peerScholar
 * report of an activity with 1,000 students (3 reviews each, every `incl` field) read by 20 platform clients.
 * The activity is seeded with SQL; the platform is registered with the CLI, as an operator would.
 */
const STUDENTS = 1000;
const AUDIENCE = 'https://bench.example/peerscholar';
const FIELDS =
  'grade_overall,grade_instuctor,grade_peer_mean,grade_peer_median,grade_peer_mode,grade_self_create,grade_self_reflect,content_create,content_revise';

function allocationRow(): BenchRow {
  const reviewers = Array.from({ length: 10_000 }, (_, i) => `u${String(i).padStart(5, '0')}`);
  const submissions = reviewers.map((u) => ({ id: `s-${u}`, authors: [u] }));
  const started = process.cpuUsage();
  const wall = performance.now();
  const pairs = allocate({ submissions, reviewers, k: 3, seed: 'bench' });
  const cpu = process.cpuUsage(started);
  return {
    name: 'assessment: allocate 10,000 submissions, k = 3',
    seconds: (cpu.user + cpu.system) / 1e6,
    note: `${pairs.length} pairs; CPU time (${Math.round(performance.now() - wall)} ms wall)`,
    goal: { maxSeconds: 1 },
  };
}

async function seed(databaseUrl: string): Promise<number> {
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const course = (
      await db.query<{ id: string }>(
        `insert into courses (id, path, title, search, created_at, updated_at)
         values (gen_random_uuid(), 'bench-assessment-' || floor(random() * 1e9)::text, 'Bench course', to_tsvector(''), now(), now())
         returning id`,
      )
    ).rows[0]?.id;
    const activity = (
      await db.query<{ id: number }>(
        `insert into assessment_activities (course_id, title, rubric, weights, allocation_seed, created_at, updated_at)
         values ($1, 'Bench essay', '[{"id":"q","title":"Quality","min":0,"max":10,"weight":1}]',
                 '{"create":60,"assess":20,"reflect":10,"instructor":10}', 'bench', now(), now()) returning id`,
        [course],
      )
    ).rows[0]?.id;
    await db.query(
      `insert into assessment_submissions (id, activity_id, author_key, user_id, content_create, content_revise, status, submitted_at, revised_at, updated_at)
       select gen_random_uuid(), $1, u::text, u, repeat('An essay paragraph. ', 40), repeat('A revised paragraph. ', 40), 'submitted', now(), now(), now()
       from (select gen_random_uuid() as u from generate_series(1, $2)) s`,
      [activity, STUDENTS],
    );
    // Three reviews of each work, by the next three students in id order.
    await db.query(
      `with s as (select id, user_id, row_number() over (order by user_id) - 1 as n from assessment_submissions where activity_id = $1)
       insert into assessment_reviews (id, activity_id, submission_id, reviewer_id, scores, status, submitted_at, helpfulness, created_at)
       select gen_random_uuid(), $1, a.id, b.user_id, jsonb_build_object('q', floor(random() * 11)::int), 'submitted', now(), 4, now()
       from s a cross join generate_series(1, 3) as k join s b on b.n = (a.n + k) % $2`,
      [activity, STUDENTS],
    );
    await db.query(
      `insert into assessment_grades (activity_id, user_id, peer_mean, peer_median, peer_mode, self_create, self_reflect, assess, reflect, instructor, overall, updated_at)
       select $1, user_id, 70, 70, 70, 80, 85, 75, 100, 90, 76.5, now() from assessment_submissions where activity_id = $1`,
      [activity],
    );
    return activity ?? 0;
  } finally {
    await db.end();
  }
}

async function reportRow(ctx: BenchContext): Promise<BenchRow> {
  const activity = await seed(ctx.databaseUrl);
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const file = path.join(tmpdir(), `bench-platform-${process.pid}.pem`);
  writeFileSync(file, publicKey.export({ type: 'spki', format: 'pem' }).toString());
  const kid = `bench-${Date.now()}`;
  await ctx.cli([
    'platforms',
    'create',
    '--name',
    'Bench LMS',
    '--public-key-file',
    file,
    '--kid',
    kid,
    '--all-courses',
    '--issuer',
    AUDIENCE,
    '--audience',
    AUDIENCE,
    '--json',
  ]);
  const now = Math.floor(Date.now() / 1000);
  const token = await new SignJWT({})
    .setProtectedHeader({ alg: 'RS256', typ: 'jwt', kid })
    .setIssuer(AUDIENCE)
    .setAudience(AUDIENCE)
    .setIssuedAt(now)
    .setExpirationTime(now + 3000)
    .sign(privateKey);
  const seconds = ctx.seconds(10);
  // The baseline: the bare query of the same pages (grade rows with each student's contents) as JSON.
  const bare = await ctx.bare();
  let barePage = 0;
  const base = await autocannon({
    url: bare.url,
    connections: 20,
    duration: seconds,
    requests: [
      {
        setupRequest: (request) => ({
          ...request,
          path: `/report?activity=${activity}&limit=100&offset=${(barePage++ % 10) * 100}`,
        }),
      },
    ],
  });
  let page = 0;
  const result = await autocannon({
    url: ctx.url,
    connections: 20,
    duration: seconds,
    headers: { authorization: `Bearer ${token}` },
    requests: [
      {
        // The 1,000 rows in 10 pages of 100, all fields, read in turn.
        setupRequest: (request) => ({
          ...request,
          path: `/peerscholar/v1/activity/${activity}/report?incl=[${FIELDS}]&pp=100&cp=${(page++ % 10) + 1}`,
        }),
      },
    ],
  });
  const ok = result['2xx'];
  return {
    name: 'peerscholar: activity report, 1,000 students, all fields, 20 clients',
    rate: Math.round(ok / result.duration),
    unit: 'req/s',
    baseline: { name: 'bare report query, same pages', rate: Math.round(base['2xx'] / base.duration) },
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    note: `${ok} ok, ${result.non2xx + result.errors} failed (pages of 100)`,
    goal: { minRatio: 0.4, minRate: 300 },
  };
}

export const run: BenchSuite = async (ctx) => [allocationRow(), await reportRow(ctx)];
