// The physical baselines of the benchmarks: a bare Fastify process with a pg pool of the hub's size on the
// hub's database, and no hub code at all (no auth, validation, schemas, grouping or bookkeeping). Each route
// does the least work the matching hub route cannot avoid; bench/baseline.ts starts it and loads it in the
// same run, under the same conditions, as the hub. Plain JavaScript, like hello-fastify.mjs, so it pays no
// loader or transpiler cost either.
import Fastify from 'fastify';
import pg from 'pg';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
const app = Fastify({ logger: false, bodyLimit: 16 * 1024 * 1024 });

await pool.query(`create table if not exists bench_bare_events (
  event_id text primary key, program_id text not null, member_id text not null, event_type text not null,
  start_at timestamptz not null, end_at timestamptz not null, data jsonb not null)`);

// One prepared INSERT per request: the floor of a single PUT.
app.put('/events/:id', async (request, reply) => {
  const b = request.body;
  await pool.query({
    name: 'bare_put',
    text: 'insert into bench_bare_events values ($1, $2, $3, $4, $5, $6, $7)',
    values: [
      request.params.id,
      b.ProgramId,
      b.ProgramMemberId,
      b.EventType,
      b.EventStartUTC,
      b.EventEndUTC,
      JSON.stringify(b.EventData),
    ],
  });
  return reply.code(200).send();
});

// The same 1,000 change rows the hub's feed page serves, as JSON built by PostgreSQL, sent as text.
app.get('/feed', async (request, reply) => {
  const after = String(request.query.after ?? '0');
  const limit = Number(request.query.limit ?? 1000);
  const page = await pool.query({
    name: 'bare_feed_page',
    text: `with p as materialized (
             select seq, event_id, revision, kind, program_id, member_id, event_type, start_at, end_at, data,
                    reference_event_id, recorded_at
             from event_changes where seq > $1 order by seq limit $2)
           select (select max(seq) from p)::text as last,
                  coalesce((select json_agg(p order by seq) from p), '[]')::text as items`,
    values: [after, limit],
  });
  const row = page.rows[0];
  reply.type('application/json; charset=utf-8');
  return reply.send(`{"Events":${row.items},"Next":${JSON.stringify(row.last ?? after)}}`);
});

// The bare full-text query behind course search: the ranked page of matches, as JSON, without facets.
app.get('/search', async (request, reply) => {
  const { rows } = await pool.query({
    name: 'bare_search',
    text: `select coalesce(json_agg(x), '[]')::text as items from (
             select c.id, c.path, c.title, c.description, c.tags, ts_rank(c.search, q) as rank
             from courses c, websearch_to_tsquery('english', $1) q
             where c.search @@ q and c.published
             order by rank desc, c.id desc limit 20) x`,
    values: [String(request.query.q ?? '')],
  });
  reply.type('application/json; charset=utf-8');
  return reply.send(rows[0].items);
});

// The bare query behind the peerScholar report: one page of grade rows with each student's contents.
app.get('/report', async (request, reply) => {
  const { rows } = await pool.query({
    name: 'bare_report',
    text: `select coalesce(json_agg(x), '[]')::text as items from (
             select g.*, s.content_create, s.content_revise
             from assessment_grades g
             left join assessment_submissions s on s.activity_id = g.activity_id and s.author_key = g.user_id::text
             where g.activity_id = $1 order by g.user_id offset $2 limit $3) x`,
    values: [
      Number(request.query.activity),
      Number(request.query.offset ?? 0),
      Number(request.query.limit ?? 100),
    ],
  });
  reply.type('application/json; charset=utf-8');
  return reply.send(rows[0].items);
});

// Bytes handed in once (the hub's own answer) and sent as they are: the floor of a cached list.
let cached = Buffer.from('{}');
app.post('/bytes', async (request) => {
  cached = Buffer.from(JSON.stringify(request.body));
  return { bytes: cached.length };
});
app.get('/bytes', async (_request, reply) => reply.type('application/json; charset=utf-8').send(cached));

const address = await app.listen({ port: 0, host: '127.0.0.1' });
process.stdout.write(`${JSON.stringify({ url: address })}\n`);
process.on('SIGTERM', () => {
  app.close().then(async () => {
    await pool.end();
    process.exit(0);
  });
});
