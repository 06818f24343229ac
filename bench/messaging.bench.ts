import pg from 'pg';
import type { BenchContext, BenchRow, BenchSuite } from './types.ts';

/**
 * A course announcement to 100,000 members, end to end: the POST, the keyset expansion, the batched send
 * jobs, preferences and suppressions checked per recipient, and the mail handed to the mailer. The bench hub
 * has no SMTP_URL, so its mailer is the built-in outbox (one INSERT per mail in the hub's database) instead
 * of a loopback SMTP sink; mails/s counts outbox rows. Members and users are seeded with SQL.
 */
const MEMBERS = 100_000;

async function seed(ctx: BenchContext, courseId: string): Promise<void> {
  const client = new pg.Client({ connectionString: ctx.databaseUrl });
  await client.connect();
  try {
    await client.query('set synchronous_commit = off');
    await client.query(
      `insert into users (id, username, name, email, email_verified_at, password_hash, created_at, updated_at)
       select gen_random_uuid(), 'bench' || i, 'Bench ' || i, 'bench' || i || '@bench.example', now(), 'x', now(), now()
       from generate_series(1, ${MEMBERS}) as i`,
    );
    await client.query(
      `insert into course_memberships (course_id, user_id, role, status, enabled, progress, created_at, updated_at)
       select $1::uuid, id, 'Student', 'active', true, 0, now(), now() from users where email like '%@bench.example'`,
      [courseId],
    );
    await client.query('analyze users');
    await client.query('analyze course_memberships');
  } finally {
    await client.end();
  }
}

async function outboxCount(ctx: BenchContext, subject: string): Promise<number> {
  const client = new pg.Client({ connectionString: ctx.databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: number }>(
      'select count(*)::int as n from outbox where subject = $1',
      [subject],
    );
    return rows[0]?.n ?? 0;
  } finally {
    await client.end();
  }
}

export const run: BenchSuite = async (ctx) => {
  const app = JSON.parse(
    await ctx.cli([
      'apps',
      'create',
      '--name',
      'Bench MOOC',
      '--redirect-uri',
      'https://bench.example/cb',
      '--json',
    ]),
  ) as { client_id: string; client_secret: string };
  const authorization = `Basic ${Buffer.from(`${app.client_id}:${encodeURIComponent(app.client_secret)}`).toString('base64')}`;
  const course = await fetch(`${ctx.url}/api/v1/courses`, {
    method: 'POST',
    headers: { authorization, 'content-type': 'application/json' },
    body: JSON.stringify({ title: 'Bench MOOC' }),
  });
  if (course.status !== 201) throw new Error(`course: ${course.status} ${await course.text()}`);
  const courseId = ((await course.json()) as { id: string }).id;
  await seed(ctx, courseId);

  const started = performance.now();
  const created = await fetch(`${ctx.url}/api/v1/courses/${courseId}/announcements`, {
    method: 'POST',
    headers: { authorization, 'content-type': 'application/json', 'idempotency-key': 'bench-1' },
    body: JSON.stringify({ subject: 'Week 1', content: 'Welcome to **week 1**.', format: 'markdown' }),
  });
  if (created.status !== 201) throw new Error(`announce: ${created.status} ${await created.text()}`);
  const id = ((await created.json()) as { id: string }).id;
  let progress = { status: '', recipients: 0, sent: 0, pending: 0 };
  const deadline = Date.now() + 15 * 60_000;
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const res = await fetch(`${ctx.url}/api/v1/courses/${courseId}/announcements/${id}`, {
      headers: { authorization },
    });
    progress = (await res.json()) as typeof progress;
    if (progress.status === 'done' && progress.pending === 0) break;
  }
  const seconds = (performance.now() - started) / 1000;
  const mailed = await outboxCount(ctx, '[Bench MOOC] Week 1');
  const rows: BenchRow[] = [
    {
      name: `announcement to ${MEMBERS.toLocaleString('en')} members (to the outbox)`,
      note: `${Math.round(mailed / seconds)} mails/s; ${mailed} mailed in ${seconds.toFixed(1)} s; status ${progress.status}`,
      target: '≥ 1,000 mails/s, each member once',
    },
    {
      name: 'hub peak RSS after the announcement',
      note: `${(ctx.hubRss() / 1024 / 1024).toFixed(0)} MB`,
    },
  ];
  return rows;
};
