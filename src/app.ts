import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { closeNotifications } from './db/notifications.ts';
import type { Deps } from './deps.ts';
import { badgekitDialect, badgekitRootRewrite, badgekitWebhookBody } from './dialects/badgekit/index.ts';
import { eventStoreDialect } from './dialects/eventstore/index.ts';
import { openLearningDialect } from './dialects/openlearning/index.ts';
import { peerScholarDialect } from './dialects/peerscholar/index.ts';
import { xapiDialect } from './dialects/xapi/index.ts';
import { errors } from './errors/index.ts';
import { AuthenticatorRegistry, authPlugin } from './http/auth.ts';
import { installEdgeGuard, MAX_PARAM_LENGTH, rewriteUrl } from './http/edge.ts';
import { installErrorHandlers } from './http/errors.ts';
import { healthRoutes } from './http/health.ts';
import { httpServerOptions } from './http/limits.ts';
import { metricsRoutes } from './http/metrics.ts';
import { openApiPlugin } from './http/openapi.ts';
import { OneLinePerRequest } from './http/request-log.ts';
import { registerMailJobs } from './mail/index.ts';
import { registerActivity } from './modules/activity/index.ts';
import { registerAdmin } from './modules/admin/index.ts';
import { registerAssessment } from './modules/assessment/index.ts';
import { registerBadges } from './modules/badges/index.ts';
import { registerCourses } from './modules/courses/index.ts';
import { registerEvents } from './modules/events/index.ts';
import { registerHome, siteViewer } from './modules/home/index.ts';
import { registerIdentity } from './modules/identity/index.ts';
import { registerLti } from './modules/lti/index.ts';
import { registerMessaging } from './modules/messaging/index.ts';
import { registerOAuth } from './modules/oauth/index.ts';
import { registerPlatforms } from './modules/platforms/index.ts';
import { registerWebhooks, webhooksOpenApi } from './modules/webhooks/index.ts';
import { installSiteChrome, webAssets } from './web/index.ts';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Builds the whole hub (every route, authenticator and job) without listening. server.ts listens; tests
 * use `inject()`; the worker and the CLI build it too so every module's jobs are registered.
 */
export async function buildApp(deps: Deps): Promise<FastifyInstance> {
  const badgekitRoot = badgekitRootRewrite(deps.config);
  const app = Fastify<Server, IncomingMessage, ServerResponse, FastifyBaseLogger>({
    loggerInstance: deps.logger,
    bodyLimit: 1024 * 1024,
    ...httpServerOptions(deps.config.http),
    trustProxy: deps.config.trustProxy,
    // BadgeKit on its own origin (BADGEKIT_HOST, BADGEKIT_PORT) is the /badgekit dialect at `/`; then the edge
    // guard marks malformed percent-escapes so the surface refuses them in its own shape.
    rewriteUrl: (req) => rewriteUrl(req, badgekitRoot(req)),
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    requestIdHeader: false,
    logController: new OneLinePerRequest(),
    genReqId: (request) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : deps.ids.uuid();
    },
    ajv: {
      customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true, allErrors: false },
    },
  });

  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    done();
  });
  installErrorHandlers(app);
  installEdgeGuard(app);
  // Before the cookie plugin: the header may issue a CSRF cookie for its sign-out form (web/chrome.ts).
  installSiteChrome(app, {
    lookup: siteViewer(deps),
    secretKey: deps.secretKey,
    secure: deps.config.publicUrl.startsWith('https:'),
  });

  await app.register(helmet, {
    // Pages are server-rendered with one stylesheet and no inline script.
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', 'https:'],
        formAction: ["'self'", 'https:', 'http:'],
        // Only ask browsers to upgrade to https when the hub is itself served over https.
        upgradeInsecureRequests: deps.config.publicUrl.startsWith('https:') ? [] : null,
      },
    },
    hsts: deps.config.publicUrl.startsWith('https:'),
  });
  if (deps.config.rateLimitPerMinute > 0) {
    await app.register(rateLimit, {
      max: deps.config.rateLimitPerMinute,
      timeWindow: 60_000,
      errorResponseBuilder: (_request, context) => errors.rateLimited(Math.ceil(context.ttl / 1000)),
    });
  }
  // Signed cookies (sessions, CSRF) use a key derived from SECRET_KEY; forms post urlencoded bodies.
  await app.register(cookie, { secret: deps.secretKey, hook: 'onRequest' });
  await app.register(formbody, { bodyLimit: 256 * 1024 });
  await app.register(openApiPlugin, { publicUrl: deps.config.publicUrl, webhooks: webhooksOpenApi() });

  const authenticators = new AuthenticatorRegistry();
  await app.register(authPlugin, { registry: authenticators });

  await app.register(healthRoutes, { pool: deps.pool });
  await app.register(metricsRoutes);
  await app.register(webAssets);
  registerMailJobs(deps.jobs, () => deps.mailer);

  // Modules, foundation first. Each adds its routes, authenticators, jobs and event consumers.
  await registerAdmin(app, deps, authenticators);
  await registerIdentity(app, deps, authenticators);
  await registerOAuth(app, deps, authenticators);
  await registerWebhooks(app, deps, authenticators);
  await registerEvents(app, deps, authenticators);
  await registerCourses(app, deps, authenticators);
  await registerLti(app, deps, authenticators);
  await app.register(openLearningDialect, { prefix: '/openlearning', deps });
  await app.register(eventStoreDialect, { prefix: '/eventstore', deps });
  await app.register(xapiDialect, { prefix: '/xapi', deps });
  await registerBadges(app, deps, authenticators, { badgekitWebhookBody });
  await app.register(badgekitDialect, { prefix: '/badgekit', deps });
  await registerActivity(app, deps, authenticators);
  await registerMessaging(app, deps, authenticators);
  // The badge rule awards through the badges module, which needs the BadgeKit webhook body (a dialect's).
  await registerAssessment(app, deps, authenticators, { badgekitWebhookBody });
  await registerPlatforms(app, deps, authenticators);
  await app.register(peerScholarDialect, { prefix: '/peerscholar', deps });
  await registerHome(app, deps);

  // The LISTEN connection the modules' caches share (opened on first use).
  app.addHook('onClose', () => closeNotifications(deps.pool));

  await app.ready();
  return app;
}
