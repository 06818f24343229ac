import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/support/app.ts';
import { ManualClock } from '../../lib/runtime.ts';
import { createProgram } from './index.ts';

// Each process caches the compiled JSON Schema of every event type for 5 s (events.types.ts); a change made
// elsewhere (another web process, SQL) must be in force once that time is up (docs/operations.md, "Caches").
const clock = new ManualClock('2026-05-01T00:00:00Z');
let t: TestApp;
let auth: { authorization: string };

beforeAll(async () => {
  t = await buildTestApp({ clock });
  const key = await createProgram(t.deps, { id: 'QUIZ', name: 'Quizzes' });
  auth = { authorization: `Basic ${Buffer.from(`${key.user_id}:${key.api_key}`).toString('base64')}` };
});
afterAll(async () => {
  await t.close();
});

const put = (id: string, data: Record<string, unknown>) =>
  t.app.inject({
    method: 'PUT',
    url: `/api/v1/events/${id}`,
    headers: auth,
    payload: {
      program_id: 'QUIZ',
      member_id: 'ann@example.com',
      type: 'quiz.scored',
      start_at: '2026-04-01T09:00:00Z',
      data,
    },
  });

describe('the event type cache', () => {
  it('enforces a schema changed by another process within 5 s, and not the cached one after', async () => {
    const registered = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/event-types/quiz.scored',
      headers: auth,
      payload: {
        description: 'A quiz was scored',
        schema: { type: 'object', required: ['score'], properties: { score: { type: 'number' } } },
      },
    });
    expect(registered.statusCode).toBe(200);
    const refused = await put('QUIZ-1', { score: 'ten' });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().code).toBe('events.data_schema_failed');

    // Another process loosens the schema: nothing tells this one, so the cached schema holds for 5 s.
    await t.deps.pool.query(
      `update event_types set schema = '{"type": "object"}' where name = 'quiz.scored'`,
    );
    clock.advance(4_000);
    expect((await put('QUIZ-1', { score: 'ten' })).statusCode).toBe(400);
    clock.advance(1_001);
    const accepted = await put('QUIZ-1', { score: 'ten' });
    expect(accepted.statusCode).toBeLessThan(300);
    expect(accepted.json()).toMatchObject({ event_id: 'QUIZ-1', revision: 1 });
  });
});
