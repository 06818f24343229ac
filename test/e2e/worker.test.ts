import { spawn } from 'node:child_process';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN } from '../support/cli.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

/** `learnhub worker` alone: it picks up jobs that a web process (here: plain SQL) enqueued. */
let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.drop();
});

describe('learnhub worker', () => {
  it('sends queued mail to the outbox while no web server runs, and stops cleanly on SIGTERM', async () => {
    const pool = new pg.Pool({ connectionString: database.url, max: 1 });
    try {
      await pool.query(
        `select graphile_worker.add_job('mail.send', json_build_object(
           'to', json_build_array('someone@example.org'), 'subject', 'From the worker', 'text', 'hi',
           'messageId', '<worker-test@hub.test>'))`,
      );
      const child = spawn(BIN, ['worker'], {
        env: {
          PATH: `${process.cwd()}/node_modules/.bin:${process.env.PATH ?? ''}`,
          DATABASE_URL: database.url,
          DATA_DIR: '/tmp',
          SECRET_KEY: 'worker-test-secret-key-0123456789abcdef',
          LOG_LEVEL: 'warn',
          INBOUND_SMTP_PORT: '0',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
      let delivered = 0;
      for (let i = 0; i < 100 && delivered === 0; i++) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        const rows = await pool.query(
          `select count(*)::int as n from outbox where subject = 'From the worker'`,
        );
        delivered = rows.rows[0].n;
      }
      expect(delivered).toBe(1);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      await pool.end();
    }
  });
});
