import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/support/app.ts';
import { ManualClock } from '../../lib/runtime.ts';
import { queueMail } from '../../mail/index.ts';
import { createApiToken } from './index.ts';

let t: TestApp;
const clock = new ManualClock('2026-03-01T10:00:00Z');

beforeAll(async () => {
  t = await buildTestApp({ clock });
});
afterAll(async () => {
  await t.close();
});

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('operator API tokens', () => {
  it('authenticates an admin token and stores only its hash', async () => {
    const created = await createApiToken(t.deps, { name: 'ops', admin: true, expiresInDays: 30 });
    expect(created.token).toMatch(/^lh_op_[A-Za-z0-9_-]{43}$/);
    const res = await t.app.inject({ url: '/api/v1/admin/mail', headers: bearer(created.token) });
    expect(res.statusCode).toBe(200);
    const stored = await t.deps.pool.query('select token_hash from api_tokens where id = $1', [created.id]);
    expect(stored.rows[0].token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(stored.rows)).not.toContain(created.token);
  });

  it('refuses an unknown token, a missing token and a malformed header with 401', async () => {
    const unknown = await t.app.inject({ url: '/api/v1/admin/mail', headers: bearer('lh_op_nope') });
    expect(unknown.statusCode).toBe(401);
    expect(unknown.json().code).toBe('admin.invalid_token');
    expect(unknown.headers['www-authenticate']).toContain('Bearer');
    const missing = await t.app.inject({ url: '/api/v1/admin/mail' });
    expect(missing.statusCode).toBe(401);
    expect(missing.json().code).toBe('auth.unauthenticated');
    const malformed = await t.app.inject({
      url: '/api/v1/admin/mail',
      headers: { authorization: 'Token abc' },
    });
    expect(malformed.statusCode).toBe(401);
  });

  it('refuses a token once it has expired', async () => {
    const created = await createApiToken(t.deps, { name: 'short', admin: true, expiresInDays: 1 });
    clock.advance(86_400_000 + 1);
    const res = await t.app.inject({ url: '/api/v1/admin/mail', headers: bearer(created.token) });
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('admin.invalid_token');
  });

  it('refuses a revoked token', async () => {
    const created = await createApiToken(t.deps, { name: 'revoked', admin: true, expiresInDays: 5 });
    await t.deps.pool.query('update api_tokens set revoked_at = now() where id = $1', [created.id]);
    const res = await t.app.inject({ url: '/api/v1/admin/mail', headers: bearer(created.token) });
    expect(res.statusCode).toBe(401);
  });

  it('lets a non-admin token authenticate but not read the outbox', async () => {
    const created = await createApiToken(t.deps, { name: 'reader', admin: false, expiresInDays: 5 });
    const res = await t.app.inject({ url: '/api/v1/admin/mail', headers: bearer(created.token) });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('admin.not_admin');
  });

  it('refuses an expiry outside 1–3650 days and stores nothing', async () => {
    const before = await t.deps.pool.query('select count(*)::int as n from api_tokens');
    await expect(createApiToken(t.deps, { name: 'x', admin: false, expiresInDays: 0 })).rejects.toMatchObject(
      {
        code: 'admin.invalid_expiry',
        status: 400,
      },
    );
    const after = await t.deps.pool.query('select count(*)::int as n from api_tokens');
    expect(after.rows[0].n).toBe(before.rows[0].n);
  });
});

describe('the built-in outbox', () => {
  it('keeps queued mail after the send job runs, newest first, paged by cursor, readable by admins', async () => {
    const token = await t.operatorToken();
    await t.deps.db.transaction(async (tx) => {
      for (const n of [1, 2, 3]) {
        await queueMail(
          tx,
          { ids: t.deps.ids, mailDomain: 'hub.test' },
          {
            to: [`learner${n}@example.org`],
            subject: `Hello ${n}`,
            text: `Body ${n}`,
          },
        );
        clock.advance(1000);
      }
    });
    // Nothing is sent inside the request/transaction: only the job sends.
    const none = await t.app.inject({ url: '/api/v1/admin/mail', headers: bearer(token) });
    expect(none.json().data).toHaveLength(0);
    await t.runJobs();
    const first = await t.app.inject({ url: '/api/v1/admin/mail?limit=2', headers: bearer(token) });
    const page1 = first.json();
    expect(page1.data).toHaveLength(2);
    expect(page1.data.map((m: { to: string[] }) => m.to[0]).sort()).toHaveLength(2);
    expect(page1.next_cursor).toEqual(expect.any(String));
    const second = await t.app.inject({
      url: `/api/v1/admin/mail?limit=2&cursor=${page1.next_cursor}`,
      headers: bearer(token),
    });
    const page2 = second.json();
    expect(page2.data).toHaveLength(1);
    const all = [...page1.data, ...page2.data].map((m: { subject: string }) => m.subject).sort();
    expect(all).toEqual(['Hello 1', 'Hello 2', 'Hello 3']);
    expect(page1.data[0].message_id).toMatch(/^<.+@hub\.test>$/);
  });

  it('refuses a cursor it did not issue and a limit out of range with 400', async () => {
    const token = await t.operatorToken();
    const badCursor = await t.app.inject({ url: '/api/v1/admin/mail?cursor=zzz', headers: bearer(token) });
    expect(badCursor.statusCode).toBe(400);
    expect(badCursor.json().code).toBe('request.invalid_cursor');
    const badLimit = await t.app.inject({ url: '/api/v1/admin/mail?limit=5000', headers: bearer(token) });
    expect(badLimit.statusCode).toBe(400);
    expect(badLimit.json()).toMatchObject({ code: 'request.invalid' });
    expect(badLimit.json().detail).toContain('limit');
  });

  it('shows the outbox as a page to admins', async () => {
    const token = await t.operatorToken();
    const res = await t.app.inject({ url: '/admin/mail', headers: bearer(token) });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body).toContain('<h1>Outbox</h1>');
    expect(res.body).toContain('Hello 3');
  });
});
