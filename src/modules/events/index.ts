import type { FastifyInstance } from 'fastify';
import { notificationsFor } from '../../db/notifications.ts';
import type { Deps } from '../../deps.ts';
import type { AuthenticatorRegistry } from '../../http/auth.ts';
import { listenForAccessChanges } from './events.access-listener.ts';
import { registerEventJobs } from './events.jobs.ts';
import { programRoutes } from './events.programs.routes.ts';
import { authenticateProgramKey, clearAccessCaches } from './events.programs.ts';
import { eventRoutes } from './events.routes.ts';
import { TypeCatalog } from './events.types.ts';
import type { EventsContext } from './events.usecases.ts';

export type { FeedShape } from './events.feed.repository.ts';
export { EVENT_STORE_TYPES, recordHubEvent } from './events.jobs.ts';
export {
  authenticateProgramKey,
  createKey,
  createProgram,
  grantAccess,
  HUB_PROGRAM_ID,
  revokeAccess,
  revokeProgramKey,
} from './events.programs.ts';
export { programKeyRateLimit } from './events.rate-limit.ts';
export { FEED_MAX_LIMIT, getEvent, getType, listTypes, putType, readChanges } from './events.read.ts';
export type { ChangeRow } from './events.repository.ts';
export type { EventTypeInfo } from './events.types.ts';
export {
  applyRetention,
  BATCH_MAX,
  type EventsContext,
  eraseMember,
  putBatch,
  putEvent,
} from './events.usecases.ts';
export {
  type EventInput,
  isPlainObject,
  parseDateTime,
  SEED_FIELDS,
} from './events.validation.ts';
export { xapiErrors } from './events.xapi.errors.ts';
export { VOIDED_VERB } from './events.xapi.extract.ts';
export {
  consistentThrough,
  findStatements,
  readActivity,
  readAttachmentBodies,
  readStatement,
  type StatementFilters,
  type StatementPage,
} from './events.xapi.read.ts';
export {
  type AttachmentBody,
  appProgramId,
  prepareXapiPartitions,
  type StoreInput,
  storeStatements,
  XAPI_ATTACHMENT_MAX,
  XAPI_ATTACHMENTS_ANSWER_MAX,
  XAPI_BATCH_MAX,
  XAPI_QUERY_MAX,
  xapiProgramOf,
} from './events.xapi.ts';
export {
  type DocumentSet,
  deleteXapiDocument,
  deleteXapiDocuments,
  getXapiDocument,
  listXapiDocumentIds,
  type Preconditions,
  postXapiDocument,
  putXapiDocument,
  XAPI_DOCUMENT_LIST_MAX,
  XAPI_DOCUMENT_MAX_BYTES,
  type XapiDocument,
  xapiDocumentScope,
} from './events.xapi-documents.usecases.ts';

const contexts = new WeakMap<Deps, EventsContext>();

/** One context (and one compiled-schema cache) per deps, shared by the native API and the dialect. */
export function eventsContext(deps: Deps): EventsContext {
  let ctx = contexts.get(deps);
  if (!ctx) {
    ctx = { deps, catalog: new TypeCatalog() };
    contexts.set(deps, ctx);
  }
  return ctx;
}

/** The Event Store: program keys (HTTP Basic), the native API, and recording of the hub's own events. */
export async function registerEvents(app: FastifyInstance, deps: Deps, auth: AuthenticatorRegistry) {
  const ctx = eventsContext(deps);
  const notifications = notificationsFor(deps);
  listenForAccessChanges(notifications, () => clearAccessCaches(deps.db));
  auth.add({
    name: 'program-key',
    authenticate: async (request) => {
      const principal = await authenticateProgramKey(deps, request.headers.authorization);
      // Opened on first use, so processes that never see a program key hold no extra connection.
      if (principal) notifications.ensure();
      return principal;
    },
  });
  registerEventJobs(deps, ctx);
  await app.register(eventRoutes, { ctx });
  await app.register(programRoutes, { deps });
}
