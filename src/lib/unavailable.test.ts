import { describe, expect, it } from 'vitest';
import { isDatabaseUnavailable } from './unavailable.ts';

/** pg's errors as the driver raises them: a DatabaseError carries severity and SQLSTATE. */
const pgError = (code: string) => Object.assign(new Error('x'), { code, severity: 'FATAL' });
const drizzle = (cause: unknown) =>
  Object.assign(new Error('Failed query: select 1'), { query: 'select 1', cause });

describe('isDatabaseUnavailable', () => {
  it('recognises a stopped, restarting or unreachable database, directly or inside Drizzle', () => {
    for (const error of [
      pgError('57P01'),
      pgError('57P03'),
      pgError('08006'),
      pgError('53300'),
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
      new Error('Connection terminated unexpectedly'),
      new Error('timeout exceeded when trying to connect'),
      drizzle(pgError('57P01')),
      drizzle(new Error('Connection terminated unexpectedly')),
    ]) {
      expect(isDatabaseUnavailable(error), String((error as Error).message)).toBe(true);
    }
  });

  it('leaves other failures alone: bad SQL, constraint violations, a failed outbound fetch', () => {
    const fetchFailed = new TypeError('fetch failed', {
      cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
    });
    for (const error of [
      pgError('23505'),
      pgError('42601'),
      drizzle(pgError('22P02')),
      fetchFailed,
      new Error('boom'),
      undefined,
      'Connection terminated unexpectedly',
    ]) {
      expect(isDatabaseUnavailable(error)).toBe(false);
    }
  });
});
