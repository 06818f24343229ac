import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../deps.ts';
import type { EventsContext } from '../../modules/events/index.ts';

/** Statements resource (being built). */
export async function xapiStatementRoutes(app: FastifyInstance, _opts: { deps: Deps; ctx: EventsContext }) {
  app.get('/statements', { schema: { tags: ['xapi'], summary: 'Statements (skeleton)' } }, async () => ({
    statements: [],
    more: '',
  }));
}
