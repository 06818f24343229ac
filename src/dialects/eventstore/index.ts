import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../deps.ts';
import type { ErrorCode } from '../../errors/index.ts';
import { eventsContext } from '../../modules/events/index.ts';
import { installDialect } from '../kit/index.ts';
import { eventStoreRoutes } from './eventstore.routes.ts';

const CHALLENGE = 'Basic realm="eventstore"';

/** Codes are the hub's, except the 405 code this dialect documented before the kit existed. */
function wireCode(code: ErrorCode): string {
  return code === 'request.method_not_allowed' ? 'route.method_not_allowed' : code;
}

/**
 * The Event Store dialect under /eventstore: the seed's paths, PascalCase fields and HTTP Basic keys. Errors
 * are `{"error": {"code", "message"}}` with the status the seed implies (401 credentials, 403 rights on the
 * prefix, 400 bad input); a 401 always challenges for Basic credentials.
 */
export async function eventStoreDialect(app: FastifyInstance, { deps }: { deps: Deps }) {
  installDialect(app, {
    name: 'eventstore',
    prefix: app.prefix,
    challenge: CHALLENGE,
    render: (error) => ({
      status: error.status,
      body: { error: { code: wireCode(error.code), message: error.message } },
    }),
  });
  await app.register(eventStoreRoutes, { ctx: eventsContext(deps) });
}
