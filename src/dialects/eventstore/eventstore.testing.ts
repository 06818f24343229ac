import type { TestApp } from '../../../test/support/app.ts';

/** Test helpers shared by the Event Store dialect's test files. */
export interface ProgramKey {
  readonly user_id: string;
  readonly api_key: string;
}

export const basic = (k: ProgramKey) =>
  `Basic ${Buffer.from(`${k.user_id}:${k.api_key}`).toString('base64')}`;

/** A valid seed-shaped event body for program FOO, with any field overridden. */
export function event(overrides: Record<string, unknown> = {}) {
  return {
    ProgramId: 'FOO',
    ProgramMemberId: 'joebob@example.com',
    EventType: 'course.completed',
    EventStartUTC: '2026-03-01T10:00:00Z',
    EventEndUTC: '2026-03-01T11:00:00Z',
    EventData: { course: { id: 'c1', title: 'Intro' }, score: 93 },
    ...overrides,
  };
}

export function putEvent(t: TestApp, id: string, body: unknown, key: ProgramKey) {
  return t.app.inject({
    method: 'PUT',
    url: `/eventstore/events/${id}`,
    headers: { authorization: basic(key) },
    payload: body as Record<string, unknown>,
  });
}
