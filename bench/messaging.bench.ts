import { generateKeyPairSync } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { dkimVerify } from 'mailauth';
import nodemailer from 'nodemailer';
import pg from 'pg';
import { SMTPServer } from 'smtp-server';
import type { BenchContext, BenchHub, BenchRow, BenchSuite } from './types.ts';

/**
 * A course announcement to 100,000 members, end to end, into a real SMTP server on 127.0.0.1 (this process):
 * the POST, the keyset expansion, the batched send jobs (preferences and suppressions read per batch), the
 * SMTP pool of the hub and the sink's 250 for every mail. The suite runs hubs of its own on a database of its
 * own, with SMTP_URL pointing at the sink:
 *   1. throughput: mails/s from the POST to the sink's last 250, and the hub's memory along the way;
 *   2. SIGTERM half-way, a new hub on the same database: every member mailed exactly once?
 *   3. SIGKILL half-way, a new hub: how many mails were sent twice (those on the wire at the kill);
 *   4. with DKIM signing (RSA-2048), on 20,000 members, each signature checked at the sink's side for one.
 */
// Full-run sizes; run() scales them with ctx.size() (--quick).
let MEMBERS = 100_000;
let DKIM_MEMBERS = 20_000;
let KILL_AT = 40_000;

interface Sink {
  readonly url: string;
  readonly received: Map<string, number>;
  /** performance.now() of the last mail accepted. */
  lastAt: number;
  mails: number;
  unsigned: number;
  sample: string | undefined;
  reset(): void;
  close(): Promise<void>;
}

/** A minimal SMTP sink: counts mails per recipient, keeps one message text, holds nothing else. */
async function startSink(): Promise<Sink> {
  const sink: Sink = {
    url: '',
    received: new Map(),
    lastAt: 0,
    mails: 0,
    unsigned: 0,
    sample: undefined,
    reset() {
      sink.received.clear();
      sink.mails = 0;
      sink.unsigned = 0;
      sink.lastAt = 0;
      sink.sample = undefined;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    size: 1024 * 1024,
    onData(stream, session, callback) {
      let first = '';
      const keep = sink.sample === undefined;
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => {
        if (first.length < 20) first += chunk.toString('latin1', 0, 20);
        if (keep) chunks.push(chunk);
      });
      stream.on('end', () => {
        for (const r of session.envelope.rcptTo) {
          sink.received.set(r.address, (sink.received.get(r.address) ?? 0) + 1);
        }
        if (!first.startsWith('DKIM-Signature:')) sink.unsigned++;
        if (keep && sink.sample === undefined) sink.sample = Buffer.concat(chunks).toString('latin1');
        sink.mails++;
        sink.lastAt = performance.now();
        callback();
      });
    },
  });
  // A hub killed mid-mail resets its connections; that is part of the test, not a failure of the sink.
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  Object.assign(sink, { url: `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}` });
  return sink;
}

async function sql<T extends pg.QueryResultRow>(url: string, text: string, values: unknown[] = []) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

/** Users, verified, and their active memberships, made with SQL. */
async function seed(url: string, courseId: string, dkimCourseId: string): Promise<void> {
  await sql(
    url,
    `insert into users (id, username, name, email, email_verified_at, password_hash, created_at, updated_at)
     select gen_random_uuid(), 'bench' || i, 'Bench ' || i, 'bench' || i || '@bench.example', now(), 'x', now(), now()
     from generate_series(1, ${MEMBERS}) as i`,
  );
  await sql(
    url,
    `insert into course_memberships (course_id, user_id, role, status, enabled, progress, created_at, updated_at)
     select $1::uuid, id, 'Student', 'active', true, 0, now(), now() from users where email like '%@bench.example'`,
    [courseId],
  );
  await sql(
    url,
    `insert into course_memberships (course_id, user_id, role, status, enabled, progress, created_at, updated_at)
     select $1::uuid, id, 'Student', 'active', true, 0, now(), now() from users where email like '%@bench.example'
     order by id limit ${DKIM_MEMBERS}`,
    [dkimCourseId],
  );
  await sql(url, 'analyze');
}

interface World {
  readonly authorization: string;
  readonly courseId: string;
  readonly dkimCourseId: string;
}

async function world(hub: BenchHub, databaseUrl: string): Promise<World> {
  const app = JSON.parse(
    await hub.cli([
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
  const course = async (title: string) => {
    const res = await fetch(`${hub.url}/api/v1/courses`, {
      method: 'POST',
      headers: { authorization, 'content-type': 'application/json' },
      body: JSON.stringify({ title }),
    });
    if (res.status !== 201) throw new Error(`course: ${res.status} ${await res.text()}`);
    return ((await res.json()) as { id: string }).id;
  };
  const w = { authorization, courseId: await course('Bench MOOC'), dkimCourseId: await course('Bench DKIM') };
  await seed(databaseUrl, w.courseId, w.dkimCourseId);
  return w;
}

async function announce(hub: BenchHub, w: World, courseId: string, key: string): Promise<string> {
  const res = await fetch(`${hub.url}/api/v1/courses/${courseId}/announcements`, {
    method: 'POST',
    headers: { authorization: w.authorization, 'content-type': 'application/json', 'idempotency-key': key },
    body: JSON.stringify({
      subject: `Week ${key}`,
      content: 'Welcome to **this week**. Read chapter 3, then try the exercises.',
      format: 'markdown',
    }),
  });
  if (res.status !== 201) throw new Error(`announce: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { id: string }).id;
}

interface Progress {
  status: string;
  recipients: number;
  sent: number;
  pending: number;
}

async function progress(hub: BenchHub, w: World, courseId: string, id: string): Promise<Progress> {
  const res = await fetch(`${hub.url}/api/v1/courses/${courseId}/announcements/${id}`, {
    headers: { authorization: w.authorization },
  });
  return (await res.json()) as Progress;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until the sink has `count` recipients and the announcement is done; samples the hub's RSS. */
async function finish(hub: BenchHub, w: World, courseId: string, id: string, sink: Sink, count: number) {
  const samples: number[] = [];
  const deadline = Date.now() + 15 * 60_000;
  let last: Progress | undefined;
  while (Date.now() < deadline) {
    await sleep(500);
    samples.push(hub.rss());
    if (sink.received.size < count) continue;
    last = await progress(hub, w, courseId, id);
    if (last.status === 'done' && last.pending === 0) break;
  }
  return { samples, progress: last };
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

function tally(sink: Sink, expected: number) {
  let duplicates = 0;
  for (const n of sink.received.values()) duplicates += n - 1;
  return { unique: sink.received.size, duplicates, missing: expected - sink.received.size };
}

/**
 * The baseline: nodemailer alone, with the hub's pool settings (src/mail/mailer.ts), sending the same number
 * of mails of the same kind to the same sink, 100 in flight; mails/s from the first send to the last 250.
 */
async function nodemailerAlone(sink: Sink, count: number): Promise<number> {
  sink.reset();
  const transport = nodemailer.createTransport({
    url: sink.url,
    pool: true,
    maxConnections: 5,
    maxMessages: 1000,
  });
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: 100 }, async () => {
      for (let i = next++; i < count; i = next++) {
        await transport.sendMail({
          from: 'Learnhub <hub@bench.test>',
          to: `bare${i}@bench.example`,
          subject: 'Week 1',
          text: 'Welcome to this week. Read chapter 3, then try the exercises.',
          html: '<p>Welcome to <strong>this week</strong>. Read chapter 3, then try the exercises.</p>',
        });
      }
    }),
  );
  transport.close();
  const rate = sink.received.size / ((sink.lastAt - started) / 1000);
  sink.reset();
  return rate;
}

async function throughput(hub: BenchHub, w: World, sink: Sink): Promise<BenchRow[]> {
  sink.reset();
  const idle = hub.rss();
  const started = performance.now();
  const id = await announce(hub, w, w.courseId, '1');
  const { samples, progress: p } = await finish(hub, w, w.courseId, id, sink, MEMBERS);
  const seconds = (sink.lastAt - started) / 1000;
  const t = tally(sink, MEMBERS);
  const at = (q: number) => mb(samples[Math.floor(q * (samples.length - 1))] ?? 0);
  const peak = hub.peakRss();
  const bare = await nodemailerAlone(sink, MEMBERS);
  return [
    {
      name: `announcement to ${MEMBERS.toLocaleString('en')} members, to a loopback SMTP sink`,
      rate: Math.round(t.unique / seconds),
      unit: 'mails/s',
      baseline: { name: 'nodemailer alone, same sink', rate: Math.round(bare) },
      note: `${t.unique} recipients in ${seconds.toFixed(1)} s; ${t.duplicates} duplicates, ${t.missing} missing; status ${p?.status}; each member once`,
      goal: { minRatio: 0.4, minRate: 1000 },
    },
    {
      name: 'announcement hub: peak RSS; RSS before, and at 25/50/75/100% of the run',
      bytes: peak,
      note: `${mb(idle)}, then ${[0.25, 0.5, 0.75, 1].map(at).join(' / ')}; flat`,
      goal: { maxBytes: 200 * 1024 * 1024 },
    },
  ];
}

/** Starts an announcement, stops the hub with `signal` part-way, starts a new hub and lets it finish. */
async function restart(
  ctx: BenchContext,
  env: Record<string, string>,
  sink: Sink,
  w: World,
  signal: 'SIGTERM' | 'SIGKILL',
): Promise<BenchRow> {
  sink.reset();
  let hub = await ctx.startHub(env);
  let id: string;
  let killedAt: number;
  let stopSeconds: number;
  try {
    id = await announce(hub, w, w.courseId, signal);
    while (sink.mails < KILL_AT) await sleep(10);
  } finally {
    killedAt = sink.mails;
    const stopStarted = performance.now();
    await hub.stop(signal);
    stopSeconds = (performance.now() - stopStarted) / 1000;
  }
  const afterStop = sink.mails - killedAt;
  const before = sink.received.size;
  const restarted = performance.now();
  hub = await ctx.startHub(env);
  try {
    const { progress: p } = await finish(hub, w, w.courseId, id, sink, MEMBERS);
    const t = tally(sink, MEMBERS);
    return {
      name: `kill -${signal.slice(3)} the hub at ${KILL_AT.toLocaleString('en')} mails, then a new hub`,
      note:
        `${t.unique} recipients mailed, ${t.duplicates} duplicates, ${t.missing} missing; ` +
        `${afterStop} mails after the signal, exit in ${stopSeconds.toFixed(1)} s; ${before} before the restart, ` +
        `done ${((sink.lastAt - restarted) / 1000).toFixed(0)} s after it; status ${p?.status}`,
      target: signal === 'SIGTERM' ? 'each member exactly once' : 'each member at least once, few twice',
    };
  } finally {
    await hub.stop('SIGTERM');
  }
}

async function dkim(ctx: BenchContext, env: Record<string, string>, sink: Sink, w: World): Promise<BenchRow> {
  const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privateKey = keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const publicKey = keys.publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
  const hub = await ctx.startHub({
    ...env,
    DKIM_DOMAIN: 'bench.test',
    DKIM_SELECTOR: 'bench',
    DKIM_PRIVATE_KEY: privateKey,
  });
  try {
    sink.reset();
    const started = performance.now();
    const id = await announce(hub, w, w.dkimCourseId, 'dkim');
    await finish(hub, w, w.dkimCourseId, id, sink, DKIM_MEMBERS);
    const seconds = (sink.lastAt - started) / 1000;
    const t = tally(sink, DKIM_MEMBERS);
    const verified = sink.sample
      ? await dkimVerify(sink.sample, { resolver: async () => [[`v=DKIM1; k=rsa; p=${publicKey}`]] })
      : undefined;
    return {
      name: `announcement to ${DKIM_MEMBERS.toLocaleString('en')} members, DKIM-signed (RSA-2048)`,
      note:
        `${Math.round(t.unique / seconds)} mails/s; ${t.duplicates} duplicates, ${t.missing} missing; ` +
        `${sink.unsigned} unsigned; one signature checked: ${verified?.results[0]?.status.result ?? 'no sample'}`,
    };
  } finally {
    await hub.stop('SIGTERM');
  }
}

export const run: BenchSuite = async (ctx) => {
  MEMBERS = ctx.size(100_000);
  DKIM_MEMBERS = Math.min(MEMBERS, ctx.size(20_000));
  KILL_AT = Math.round(MEMBERS * 0.4);
  const database = await ctx.createDatabase();
  const sink = await startSink();
  // Mail goes to the sink; the sender's domain is the one the DKIM run signs for.
  const env = { DATABASE_URL: database.url, SMTP_URL: sink.url, MAIL_FROM: 'Learnhub <hub@bench.test>' };
  try {
    const hub = await ctx.startHub(env);
    const rows: BenchRow[] = [];
    // Each row as soon as it is known, so a long run that fails later still tells what it measured.
    const report = (row: BenchRow) => {
      process.stderr.write(`bench: messaging: ${row.name}: ${row.note ?? ''}\n`);
      rows.push(row);
    };
    let w: World;
    try {
      w = await world(hub, database.url);
      for (const row of await throughput(hub, w, sink)) report(row);
    } finally {
      await hub.stop('SIGTERM');
    }
    for (const signal of ['SIGTERM', 'SIGKILL'] as const) report(await restart(ctx, env, sink, w, signal));
    report(await dkim(ctx, env, sink, w));
    return rows;
  } finally {
    await sink.close();
    await database.drop();
  }
};
