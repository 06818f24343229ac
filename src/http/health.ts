import type { FastifyInstance } from 'fastify';
import type pg from 'pg';
import { Type } from 'typebox';
import { expectedMigrationCount } from '../db/journal.ts';
import { pendingMigrations } from '../db/migrate.ts';

const Health = Type.Object({ status: Type.String() });
const Ready = Type.Object({
  status: Type.Union([Type.Literal('ready'), Type.Literal('not_ready')]),
  checks: Type.Object({ database: Type.String(), migrations: Type.String() }),
});

/** Liveness and readiness for load balancers and orchestrators. */
export async function healthRoutes(app: FastifyInstance, { pool }: { pool: pg.Pool }): Promise<void> {
  const expected = expectedMigrationCount();
  app.get(
    '/healthz',
    {
      schema: { tags: ['operations'], summary: 'Liveness: the process is up', response: { 200: Health } },
      config: { rateLimit: false },
      // Machine endpoints, never rendered by a browser: no need for the security headers' cost.
      helmet: false,
      logLevel: 'warn',
    },
    async () => ({ status: 'ok' }),
  );

  app.get(
    '/readyz',
    {
      schema: {
        tags: ['operations'],
        summary: 'Readiness: the database answers and every migration is applied',
        response: { 200: Ready, 503: Ready },
      },
      config: { rateLimit: false },
      // Machine endpoints, never rendered by a browser: no need for the security headers' cost.
      helmet: false,
      logLevel: 'warn',
    },
    async (_request, reply) => {
      let database = 'ok';
      let migrations = 'ok';
      try {
        await pool.query('select 1');
        const pending = await pendingMigrations(pool, expected);
        if (pending > 0) migrations = `${pending} pending`;
      } catch {
        database = 'unreachable';
        migrations = 'unknown';
      }
      const ready = database === 'ok' && migrations === 'ok';
      return reply
        .code(ready ? 200 : 503)
        .send({ status: ready ? 'ready' : 'not_ready', checks: { database, migrations } });
    },
  );
}
