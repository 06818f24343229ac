import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/support/app.ts';
import { createProgram, grantAccess } from './index.ts';

/** Migration 0004 moves what the hub recorded under its old built-in names into the reserved namespace. */
const MIGRATION = new URL('../../db/migrations/0004_event_types_hub_namespace.sql', import.meta.url);

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
  await createProgram(t.deps, { id: 'FOO', name: 'Foo' });
  await grantAccess(t.deps, { consumer: 'FOO', producer: 'HUB', types: ['course.completed', 'x.other'] });
  await grantAccess(t.deps, { consumer: 'HUB', producer: 'FOO', types: ['course.completed'] });
});
afterAll(() => t.close());

async function seed(eventId: string, program: string, type: string) {
  await t.deps.pool.query(
    `insert into stored_events (event_id, program_id, member_id, event_type, start_at, end_at, data, revision, created_at, updated_at)
     values ($1, $2, 'm@example.org', $3, now(), now(), '{}', 1, now(), now())`,
    [eventId, program, type],
  );
  await t.deps.pool.query(
    `insert into event_changes (event_id, revision, kind, program_id, member_id, event_type, recorded_at)
     values ($1, 1, 'put', $2, 'm@example.org', $3, now())`,
    [eventId, program, type],
  );
}

describe('the hub. namespace migration', () => {
  it("renames the HUB program's old built-in types, its grants' types, and nothing of other programs", async () => {
    await seed('HUB-1', 'HUB', 'course.completed');
    await seed('HUB-2', 'HUB', 'credential.earned');
    await seed('FOO-1', 'FOO', 'course.completed');
    for (const statement of readFileSync(MIGRATION, 'utf8').split('--> statement-breakpoint')) {
      await t.deps.pool.query(statement);
    }
    const types = await t.deps.pool.query<{ event_id: string; event_type: string }>(
      'select event_id, event_type from stored_events order by event_id',
    );
    expect(types.rows).toEqual([
      { event_id: 'FOO-1', event_type: 'course.completed' },
      { event_id: 'HUB-1', event_type: 'hub.course.completed' },
      { event_id: 'HUB-2', event_type: 'hub.credential.earned' },
    ]);
    const history = await t.deps.pool.query<{ event_type: string }>(
      "select event_type from event_changes where program_id = 'HUB' order by event_id",
    );
    expect(history.rows.map((r) => r.event_type)).toEqual(['hub.course.completed', 'hub.credential.earned']);
    const grants = await t.deps.pool.query<{ producer_id: string; types: string[] }>(
      'select producer_id, types from event_grants order by producer_id',
    );
    expect(grants.rows).toEqual([
      { producer_id: 'FOO', types: ['course.completed'] },
      { producer_id: 'HUB', types: ['hub.course.completed', 'x.other'] },
    ]);
  });
});
