import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/support/app.ts';
import { ManualClock } from '../../lib/runtime.ts';
import { bearer } from './webhooks.testing.ts';

const clock = new ManualClock('2031-07-01T08:00:00Z');
let t: TestApp;
let operator: string;

beforeAll(async () => {
  t = await buildTestApp({ clock });
  operator = await t.operatorToken();
});
afterAll(async () => {
  await t.close();
});

const appA = '7a000000-aaaa-4c5e-9a00-00000000000a';
const appB = '7b000000-bbbb-4c5e-9a00-00000000000b';

async function create(appId: string, body: Record<string, unknown> = {}) {
  return t.app.inject({
    method: 'POST',
    url: '/api/v1/webhooks',
    headers: bearer(operator),
    payload: { app_id: appId, url: 'https://receiver.example/hook', event_types: ['user.created'], ...body },
  });
}

async function endpointCount(): Promise<number> {
  const res = await t.deps.pool.query<{ n: string }>('select count(*) as n from webhook_endpoints');
  return Number(res.rows[0]?.n);
}

describe('webhook endpoints API', () => {
  it('creates an endpoint and shows its signing secret only in the creation answer', async () => {
    const res = await create(appA, { description: 'main receiver', event_types: ['user.created', '*'] });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({
      app_id: appA,
      url: 'https://receiver.example/hook',
      event_types: ['user.created', '*'],
      enabled: true,
      description: 'main receiver',
    });
    expect(body.secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    const got = await t.app.inject({ url: `/api/v1/webhooks/${body.id}`, headers: bearer(operator) });
    expect(got.statusCode).toBe(200);
    expect(got.json()).not.toHaveProperty('secret');
    expect(got.json()).not.toHaveProperty('secret_sealed');
  });

  it.each([
    ['ftp://receiver.example/hook', 'webhooks.invalid_url'],
    ['javascript:alert(1)', 'webhooks.invalid_url'],
    ['file:///etc/passwd', 'webhooks.invalid_url'],
    ['not a url', 'webhooks.invalid_url'],
    ['https://user:secret@receiver.example/hook', 'webhooks.invalid_url'],
    ['https://receiver.example/hook#part', 'webhooks.invalid_url'],
    ['', 'request.invalid'],
  ])('refuses the URL %j with 400 and stores nothing', async (url, code) => {
    const before = await endpointCount();
    const res = await create(appA, { url });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe(code);
    expect(res.json().detail).toContain('url');
    expect(await endpointCount()).toBe(before);
  });

  it('refuses malformed event types, an empty list and unknown fields with 400 naming the field', async () => {
    const before = await endpointCount();
    const bad = await create(appA, { event_types: ['User Created'] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'webhooks.invalid_event_type' });
    expect(bad.json().detail).toContain('event_types');
    const empty = await create(appA, { event_types: [] });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().detail).toContain('event_types');
    const extra = await create(appA, { secret: 'whsec_mine' });
    expect(extra.statusCode).toBe(400);
    expect(extra.json().detail).toContain('secret');
    expect(await endpointCount()).toBe(before);
  });

  it('requires operators to name the app, refuses non-admin operators and anonymous callers', async () => {
    const noApp = await t.app.inject({
      method: 'POST',
      url: '/api/v1/webhooks',
      headers: bearer(operator),
      payload: { url: 'https://receiver.example/hook', event_types: ['a.b'] },
    });
    expect(noApp.statusCode).toBe(400);
    expect(noApp.json().code).toBe('webhooks.app_id_required');
    const reader = await t.operatorToken({ admin: false });
    const list = await t.app.inject({ url: `/api/v1/webhooks?app_id=${appA}`, headers: bearer(reader) });
    expect(list.statusCode).toBe(403);
    expect(list.json().code).toBe('webhooks.not_allowed');
    const anonymous = await t.app.inject({ url: `/api/v1/webhooks?app_id=${appA}` });
    expect(anonymous.statusCode).toBe(401);
  });

  it("keeps another app's endpoint invisible and unchangeable (404)", async () => {
    const mine = (await create(appA)).json();
    const asB = (path: string) => `${path}${path.includes('?') ? '&' : '?'}app_id=${appB}`;
    const base = `/api/v1/webhooks/${mine.id}`;
    const attempts = [
      { method: 'GET' as const, url: asB(base) },
      { method: 'PATCH' as const, url: base, payload: { app_id: appB, url: 'https://evil.example/' } },
      { method: 'DELETE' as const, url: asB(base) },
      { method: 'POST' as const, url: asB(`${base}/rotate-secret`) },
      { method: 'POST' as const, url: asB(`${base}/test`) },
      { method: 'GET' as const, url: asB(`${base}/deliveries`) },
    ];
    for (const attempt of attempts) {
      const res = await t.app.inject({ ...attempt, headers: bearer(operator) });
      expect(res.statusCode, `${attempt.method} ${attempt.url}`).toBe(404);
      expect(res.json().code).toBe('webhooks.endpoint_not_found');
    }
    const listB = await t.app.inject({ url: `/api/v1/webhooks?app_id=${appB}`, headers: bearer(operator) });
    expect(listB.json().data.map((e: { id: string }) => e.id)).not.toContain(mine.id);
    const still = await t.app.inject({ url: base, headers: bearer(operator) });
    expect(still.json()).toMatchObject({ url: mine.url, updated_at: mine.updated_at });
  });

  it('updates an endpoint, refusing a bad URL without changing anything', async () => {
    const created = (await create(appA)).json();
    const url = `/api/v1/webhooks/${created.id}`;
    const bad = await t.app.inject({
      method: 'PATCH',
      url,
      headers: bearer(operator),
      payload: { url: 'gopher://x', event_types: ['z.z'] },
    });
    expect(bad.statusCode).toBe(400);
    expect((await t.app.inject({ url, headers: bearer(operator) })).json().event_types).toEqual([
      'user.created',
    ]);
    const good = await t.app.inject({
      method: 'PATCH',
      url,
      headers: bearer(operator),
      payload: { url: 'http://other.example/in', event_types: ['z.z'], description: 'moved' },
    });
    expect(good.statusCode).toBe(200);
    expect(good.json()).toMatchObject({
      url: 'http://other.example/in',
      event_types: ['z.z'],
      description: 'moved',
    });
  });

  it('deletes an endpoint, after which it is gone', async () => {
    const created = (await create(appA)).json();
    const url = `/api/v1/webhooks/${created.id}`;
    expect((await t.app.inject({ method: 'DELETE', url, headers: bearer(operator) })).statusCode).toBe(204);
    expect((await t.app.inject({ url, headers: bearer(operator) })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'DELETE', url, headers: bearer(operator) })).statusCode).toBe(404);
  });

  it('pages endpoints and deliveries with limit and next_cursor, without gaps or repeats', async () => {
    const appC = '7c000000-cccc-4c5e-9a00-00000000000c';
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push((await create(appC)).json().id);
      clock.advance(1000);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = `app_id=${appC}&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const res = await t.app.inject({ url: `/api/v1/webhooks?${query}`, headers: bearer(operator) });
      expect(res.statusCode).toBe(200);
      seen.push(...res.json().data.map((e: { id: string }) => e.id));
      cursor = res.json().next_cursor;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual([...ids].reverse());

    const endpoint = ids[0] ?? '';
    for (let i = 0; i < 3; i++) {
      const sent = await t.app.inject({
        method: 'POST',
        url: `/api/v1/webhooks/${endpoint}/test`,
        headers: bearer(operator),
      });
      expect(sent.statusCode).toBe(202);
      clock.advance(1000);
    }
    const first = await t.app.inject({
      url: `/api/v1/webhooks/${endpoint}/deliveries?limit=2`,
      headers: bearer(operator),
    });
    const next = first.json().next_cursor;
    expect(first.json().data).toHaveLength(2);
    const second = await t.app.inject({
      url: `/api/v1/webhooks/${endpoint}/deliveries?limit=2&cursor=${next}`,
      headers: bearer(operator),
    });
    expect(second.json().data).toHaveLength(1);
    expect(second.json().next_cursor).toBeNull();
    const bad = await t.app.inject({
      url: `/api/v1/webhooks/${endpoint}/deliveries?cursor=abc`,
      headers: bearer(operator),
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('request.invalid_cursor');
    const tooMany = await t.app.inject({
      url: `/api/v1/webhooks?app_id=${appC}&limit=1000`,
      headers: bearer(operator),
    });
    expect(tooMany.statusCode).toBe(400);
  });

  it('answers 404 for a delivery of another endpoint and for an unknown delivery', async () => {
    const one = (await create(appA)).json();
    const two = (await create(appA)).json();
    const sent = await t.app.inject({
      method: 'POST',
      url: `/api/v1/webhooks/${one.id}/test`,
      headers: bearer(operator),
    });
    const deliveryId = sent.json().id;
    const wrong = await t.app.inject({
      url: `/api/v1/webhooks/${two.id}/deliveries/${deliveryId}`,
      headers: bearer(operator),
    });
    expect(wrong.statusCode).toBe(404);
    expect(wrong.json().code).toBe('webhooks.delivery_not_found');
    const redeliver = await t.app.inject({
      method: 'POST',
      url: `/api/v1/webhooks/${two.id}/deliveries/${deliveryId}/redeliver`,
      headers: bearer(operator),
    });
    expect(redeliver.statusCode).toBe(404);
  });

  it('refuses more than 20 endpoints for one app with 409', async () => {
    const appD = '7d000000-dddd-4c5e-9a00-00000000000d';
    for (let i = 0; i < 20; i++) expect((await create(appD)).statusCode).toBe(201);
    const over = await create(appD);
    expect(over.statusCode).toBe(409);
    expect(over.json().code).toBe('webhooks.too_many_endpoints');
  });

  it('lists the webhook routes in the OpenAPI document', async () => {
    const doc = (await t.app.inject('/openapi.json')).json();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/webhooks',
        '/api/v1/webhooks/{id}/deliveries/{delivery_id}/redeliver',
      ]),
    );
  });
});
