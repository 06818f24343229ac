import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../deps.ts';
import { eventsContext } from '../../modules/events/index.ts';
import { authenticateDialect } from '../kit/index.ts';
import { xapiAboutRoutes } from './xapi.about.routes.ts';
import { xapiAgentRoutes } from './xapi.agents.routes.ts';
import { installAlternateSyntax, isAlternate } from './xapi.alternate.ts';
import { authenticateXapi } from './xapi.auth.ts';
import { xapiDocumentRoutes } from './xapi.documents.routes.ts';
import { xapiStatementRoutes } from './xapi.statements.routes.ts';
import { installXapiWire } from './xapi.wire.ts';

export { isAlternate } from './xapi.alternate.ts';
export { authorityOf, XAPI_SCOPE } from './xapi.auth.ts';
export { CONSISTENT_HEADER, parseVersion, VERSION_HEADER, versionOf, xapiErrors } from './xapi.wire.ts';

/**
 * The xAPI Learning Record Store under /xapi, over the Event Store (docs/xapi.md): statements are events.
 * Order matters: the wire (errors, CORS, version) first, then the alternate syntax (which re-enters the
 * dialect as the request it stands for), then credentials, then the resources.
 */
export async function xapiDialect(app: FastifyInstance, { deps }: { deps: Deps }) {
  installXapiWire(app, isAlternate);
  installAlternateSyntax(app);
  authenticateDialect(app, {
    skip: (request) => request.routeOptions.url === `${app.prefix}/about`,
    authenticate: (request) => authenticateXapi(deps, request),
  });
  const ctx = eventsContext(deps);
  await app.register(xapiAboutRoutes);
  await app.register(xapiStatementRoutes, { deps, ctx });
  await app.register(xapiDocumentRoutes, { deps, ctx });
  await app.register(xapiAgentRoutes, { deps, ctx });
}
