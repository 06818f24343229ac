import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.ts';
import { Grouped } from './grouped.ts';

/**
 * Grouped against the real PostgreSQL: each group is one statement that doubles its inputs (and fails on a
 * zero, through a real division-by-zero error), optionally holding its connection for a while so that later
 * items have to wait.
 */
let db: TestDatabase;
let pool: pg.Pool;

beforeAll(async () => {
  db = await createTestDatabase();
  pool = new pg.Pool({ connectionString: db.url, max: 4 });
});
afterAll(async () => {
  await pool.end();
  await db.drop();
});

interface Item {
  readonly key: string;
  readonly n: number;
  /** Seconds the statement holding this item sleeps first. */
  readonly hold?: number;
}

function doubler(options: { maxInFlight: number; maxGroup: number; duplicates?: 'apart' | 'share' }) {
  const statements: Item[][] = [];
  const grouped = new Grouped<Item, number>({
    ...options,
    key: (item) => item.key,
    run: async (items) => {
      statements.push([...items]);
      const hold = Math.max(0, ...items.map((i) => i.hold ?? 0));
      const result = await pool.query<{ v: number }>(
        `select (n * 2 / (case when n = 0 then 0 else 1 end))::int as v
         from unnest($1::int[]) with ordinality as x(n, i), pg_sleep($2::float8)
         order by i`,
        [items.map((i) => i.n), hold],
      );
      return result.rows.map((r) => r.v);
    },
  });
  return { grouped, statements };
}

/** Resolves once the statement for the items submitted so far has been sent (after the next turn). */
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('Grouped', () => {
  it('sends items at once while a slot is free, and groups the ones that wait for a slot', async () => {
    const { grouped, statements } = doubler({ maxInFlight: 1, maxGroup: 10 });
    const first = grouped.submit({ key: 'a', n: 1, hold: 0.2 });
    await nextTurn();
    // The first statement is running; these wait for it and then share one statement.
    const waiting = [2, 3, 4, 5].map((n) => grouped.submit({ key: `k${n}`, n }));
    expect(await first).toBe(2);
    expect(await Promise.all(waiting)).toEqual([4, 6, 8, 10]);
    expect(statements.map((s) => s.map((i) => i.n))).toEqual([[1], [2, 3, 4, 5]]);
  });

  it('puts at most maxGroup items in one statement, oldest first', async () => {
    const { grouped, statements } = doubler({ maxInFlight: 1, maxGroup: 3 });
    const results = await Promise.all([1, 2, 3, 4, 5, 6, 7].map((n) => grouped.submit({ key: `${n}`, n })));
    expect(results).toEqual([2, 4, 6, 8, 10, 12, 14]);
    expect(statements.map((s) => s.map((i) => i.n))).toEqual([[1, 2, 3], [4, 5, 6], [7]]);
  });

  it('runs identical waiting items once with duplicates: share, and answers each of them', async () => {
    const { grouped, statements } = doubler({ maxInFlight: 1, maxGroup: 10, duplicates: 'share' });
    const first = grouped.submit({ key: 'same', n: 21, hold: 0.2 });
    await nextTurn();
    // This one arrives while an identical item is already running: it must not join it.
    const later = [grouped.submit({ key: 'same', n: 21 }), grouped.submit({ key: 'same', n: 21 })];
    const other = grouped.submit({ key: 'other', n: 5 });
    expect(await first).toBe(42);
    expect(await Promise.all(later)).toEqual([42, 42]);
    expect(await other).toBe(10);
    expect(statements.map((s) => s.map((i) => i.key))).toEqual([['same'], ['same', 'other']]);
  });

  it('never puts two items with the same key in one statement with duplicates: apart', async () => {
    const { grouped, statements } = doubler({ maxInFlight: 1, maxGroup: 10, duplicates: 'apart' });
    const results = await Promise.all([
      grouped.submit({ key: 'x', n: 1 }),
      grouped.submit({ key: 'x', n: 2 }),
      grouped.submit({ key: 'y', n: 3 }),
      grouped.submit({ key: 'x', n: 4 }),
    ]);
    expect(results).toEqual([2, 4, 6, 8]);
    for (const statement of statements) {
      expect(new Set(statement.map((i) => i.key)).size).toBe(statement.length);
    }
    expect(statements.map((s) => s.map((i) => i.n))).toEqual([[1, 3], [2], [4]]);
  });

  it('keeps at most maxInFlight statements running', async () => {
    let running = 0;
    let most = 0;
    const grouped = new Grouped<number, number>({
      maxInFlight: 2,
      maxGroup: 1,
      run: async (items) => {
        running++;
        most = Math.max(most, running);
        try {
          await pool.query('select pg_sleep(0.02)');
          return items;
        } finally {
          running--;
        }
      },
    });
    expect(await Promise.all([1, 2, 3, 4, 5, 6].map((n) => grouped.submit(n)))).toEqual([1, 2, 3, 4, 5, 6]);
    expect(most).toBe(2);
  });

  it('fails only the bad item when a shared statement fails: the others are run again on their own', async () => {
    const { grouped, statements } = doubler({ maxInFlight: 1, maxGroup: 10 });
    const settled = await Promise.allSettled([
      grouped.submit({ key: 'a', n: 1 }),
      grouped.submit({ key: 'b', n: 0 }),
      grouped.submit({ key: 'c', n: 3 }),
    ]);
    expect(settled[0]).toEqual({ status: 'fulfilled', value: 2 });
    expect(settled[1]).toMatchObject({ status: 'rejected', reason: { code: '22012' } });
    expect(settled[2]).toEqual({ status: 'fulfilled', value: 6 });
    expect(statements.map((s) => s.length)).toEqual([3, 1, 1, 1]);
  });

  it('fails every item at once, without trying each again, when the database is not there', async () => {
    const gone = new pg.Pool({ connectionString: db.url.replace(/\/\/[^/]*\//, '//postgres@127.0.0.1:1/') });
    gone.on('error', () => {});
    const statements: number[][] = [];
    const grouped = new Grouped<number, number>({
      maxInFlight: 1,
      maxGroup: 10,
      run: async (items) => {
        statements.push([...items]);
        const result = await gone.query<{ v: number }>('select unnest($1::int[]) as v', [items]);
        return result.rows.map((r) => r.v);
      },
    });
    const settled = await Promise.allSettled([1, 2, 3].map((n) => grouped.submit(n)));
    expect(settled.map((s) => s.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(settled[0]).toMatchObject({ reason: { code: 'ECONNREFUSED' } });
    expect(statements).toEqual([[1, 2, 3]]);
    await gone.end();
  });
});
