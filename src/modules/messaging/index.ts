import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../deps.ts';
import type { AuthenticatorRegistry } from '../../http/auth.ts';
import { announcementPageRoutes } from './messaging.announcements.pages.routes.ts';
import { announcementRoutes } from './messaging.announcements.routes.ts';
import { inboundRoutes } from './messaging.inbound.routes.ts';
import { registerMessagingJobs } from './messaging.jobs.ts';
import { messagingPageRoutes } from './messaging.pages.routes.ts';
import { messagingRoutes } from './messaging.routes.ts';

export { type AnnounceInput, announce, EXPAND, RECUR, SEND_BATCH } from './messaging.announcements.ts';
export { ingestRawMessage } from './messaging.inbound.ts';
export { listInbox, unreadMessageCount } from './messaging.inbox.ts';
export { DIGEST_DAILY, DIGEST_WEEKLY } from './messaging.jobs.ts';
export { type InboundSmtp, startInboundSmtp } from './messaging.smtp.ts';
export { sendMessage } from './messaging.usecases.ts';

/** Messages from apps to people: inbox, email per preferences, digests, reply-by-email, announcements. */
export async function registerMessaging(app: FastifyInstance, deps: Deps, _auth: AuthenticatorRegistry) {
  registerMessagingJobs(deps);
  await app.register(messagingRoutes, { deps });
  await app.register(inboundRoutes, { deps });
  await app.register(messagingPageRoutes, { deps });
  await app.register(announcementRoutes, { deps });
  await app.register(announcementPageRoutes, { deps });
}
