import autocannon from 'autocannon';
import pg from 'pg';
import type { BenchContext, BenchRow, BenchSuite } from './types.ts';

/**
 * The course register: 100,000 generated courses seeded with SQL, searched by 50 concurrent clients with
 * two-word queries (like "geographic art"), and a 10,000-address institution invite timed as a job.
 */
const COURSES = 100_000;
const SYLLABLES = [
  'ka',
  'lo',
  'mi',
  'ne',
  'su',
  'ta',
  'ri',
  'po',
  've',
  'zu',
  'ba',
  'do',
  'fe',
  'gi',
  'ho',
  'ju',
  'ly',
  'mo',
  'nu',
  'pe',
  'qa',
  'ro',
  'si',
  'to',
  'ul',
  'vi',
  'wa',
  'xe',
  'yo',
  'za',
];

async function seed(ctx: BenchContext, run: string, courses: number): Promise<void> {
  // bench/run.ts only knows the URL when BENCH_DATABASE_URL is set (not with the embedded server).
  if (!ctx.databaseUrl)
    throw new Error('courses bench: set BENCH_DATABASE_URL so the suite can seed with SQL');
  const client = new pg.Client({ connectionString: ctx.databaseUrl });
  await client.connect();
  try {
    const syllables = `array[${SYLLABLES.map((s) => `'${s}'`).join(',')}]`;
    // Word k of course i: a hash picks one of 900 two-syllable words, so titles differ and word pairs are selective.
    const w = (expr: string) =>
      `(${syllables})[((hashint4(${expr}) & 2147483647) / 30) % 30 + 1] || (${syllables})[(hashint4(${expr}) & 2147483647) % 30 + 1]`;
    await client.query(`
      insert into courses (id, path, shortcode, title, description, tags, course_style, language, status,
                           published, search, created_at, updated_at)
      select gen_random_uuid(), '${run}-' || i, null, t.title, t.description, t.tags,
             (array['MOOC','cohort','self-paced'])[i % 3 + 1], (array['en','es','fr','de'])[i % 4 + 1], 'online', true,
             setweight(to_tsvector('english', t.title), 'A') || setweight(to_tsvector('english', array_to_string(t.tags, ' ')), 'B')
               || setweight(to_tsvector('english', t.description), 'C'),
             now() - (i || ' seconds')::interval, now()
      from generate_series(1, ${courses}) as i,
      lateral (select
        ${w('i * 7')} || ' ' || ${w('i * 13 + 1')} || ' ' || ${w('i * 17 + 2')} || ' ' || ${w('i * 19 + 3')} || ' ' || ${w('i * 23 + 4')} as title,
        'A course about ' || ${w('i * 29 + 5')} || ' and ' || ${w('i * 31 + 6')} || '.' as description,
        array[${w('i % 50')}, ${w('i % 70 + 100')}] as tags) as t`);
    // A bulk load leaves the GIN index's pending list full; autovacuum would merge it soon after.
    await client.query('vacuum analyze courses');
  } finally {
    await client.end();
  }
}

async function sampleQueries(ctx: BenchContext, run: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: ctx.databaseUrl });
  await client.connect();
  try {
    // Two words of a real title, like "geographic art": each query finds at least its course.
    const res = await client.query<{ title: string }>(
      `select title from courses where path like $1 order by random() limit 500`,
      [`${run}-%`],
    );
    return res.rows.map((r) => {
      const words = r.title.split(' ');
      return `${words[0]} ${words[3]}`;
    });
  } finally {
    await client.end();
  }
}

async function searchLoad(url: string, prefix: string, queries: string[], seconds: number) {
  let n = 0;
  const path = () => `${prefix}${encodeURIComponent(queries[n++ % queries.length] ?? '')}`;
  const requests = [{ setupRequest: (r: autocannon.Request) => ({ ...r, path: path() }) }];
  await autocannon({ url, connections: 10, duration: 3, requests });
  return autocannon({ url, connections: 50, duration: seconds, requests });
}

/** Search next to its baseline: the bare FTS query (ranked page of 20, as JSON) from a bare Fastify route. */
async function search(ctx: BenchContext, queries: string[], courses: number): Promise<BenchRow> {
  const seconds = ctx.seconds(10);
  const bare = await ctx.bare();
  const base = await searchLoad(bare.url, '/search?q=', queries, seconds);
  const result = await searchLoad(ctx.url, '/api/v1/courses?q=', queries, seconds);
  return {
    name: `GET /api/v1/courses?q= (2 words, facets; ${courses.toLocaleString('en')} courses), 50 clients`,
    rate: Math.round(result.requests.average),
    unit: 'req/s',
    baseline: { name: 'bare FTS query, ranked page', rate: Math.round(base.requests.average) },
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    note: `${result.non2xx + result.errors + result.timeouts} non-2xx/errors; bare p99 ${base.latency.p99} ms`,
    goal: { minRatio: 0.35, minRate: 1500, maxP99Ms: 50 },
  };
}

async function invite(ctx: BenchContext, run: string): Promise<BenchRow> {
  const path = `bench${run.replace(/[^A-Za-z0-9]/g, '')}`;
  const created = JSON.parse(
    await ctx.cli(['institutions', 'create', '--path', path, '--name', 'Bench', '--json']),
  ) as {
    api_username: string;
    api_password: string;
  };
  const auth = `Basic ${Buffer.from(`${created.api_username}:${created.api_password}`).toString('base64')}`;
  const lines = Array.from(
    { length: 10_000 },
    (_, i) => `student${i}@${path.toLowerCase()}.example,Student ${i},Group ${i % 10}`,
  );
  const started = performance.now();
  const res = await fetch(`${ctx.url}/openlearning/api/institution/invite`, {
    method: 'POST',
    headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ institution: path, emailAddressList: lines.join('\n') }).toString(),
  });
  const body = (await res.json()) as { job?: { url: string } };
  let status = '';
  let pending = 0;
  while (body.job && status !== 'done' && performance.now() - started < 300_000) {
    await new Promise((r) => setTimeout(r, 250));
    const job = (await (await fetch(body.job.url, { headers: { authorization: auth } })).json()) as {
      job: { status: string };
      pendingEnrolledEmails?: unknown[];
    };
    status = job.job.status;
    pending = job.pendingEnrolledEmails?.length ?? 0;
  }
  const seconds = (performance.now() - started) / 1000;
  return {
    name: 'institution invite, 10,000 addresses (job)',
    seconds,
    note: `status ${status || res.status}; ${pending} pending invitations`,
    goal: { maxSeconds: 60 },
  };
}

export const run: BenchSuite = async (ctx) => {
  const runId = `b${Date.now().toString(36)}`;
  const courses = ctx.size(COURSES);
  const started = performance.now();
  await seed(ctx, runId, courses);
  const seeded: BenchRow = {
    name: `seed ${courses.toLocaleString('en')} courses (SQL)`,
    note: `${((performance.now() - started) / 1000).toFixed(1)} s`,
  };
  return [seeded, await search(ctx, await sampleQueries(ctx, runId), courses), await invite(ctx, runId)];
};
