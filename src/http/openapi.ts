import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { ICON_SVG } from '../web/icons.ts';

/** Swagger UI's logo: the hub's icon and "← Learnhub" (the top bar is dark, so the text is white). */
const BACK_LOGO = `<svg xmlns="http://www.w3.org/2000/svg" width="190" height="40" viewBox="0 0 190 40"><g transform="translate(0 4) scale(.5)">${ICON_SVG.replace(/^<svg[^>]*>|<\/svg>$/g, '')}</g><text x="42" y="27" fill="#ffffff" font-family="system-ui, sans-serif" font-size="18" font-weight="700">← Learnhub</text></svg>`;

/**
 * The OpenAPI 3.1 document is generated from the route schemas (the contract), served at /openapi.json;
 * /docs renders it for people. Route modules tag their routes so the reference groups them. `webhooks` is
 * OpenAPI 3.1's top-level object of the requests the hub makes to apps (given by the webhooks module).
 */
export const openApiPlugin = fp<{ publicUrl: string; webhooks?: Record<string, unknown> }>(
  async (app: FastifyInstance, { publicUrl, webhooks }) => {
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'Learnhub API',
          version: '1',
          description:
            'The native API of Learnhub, an open learning hub. Errors are RFC 9457 problem+json bodies with a ' +
            'stable `code`. Lists are cursor-paged with `limit` and `cursor`; the next cursor is `next_cursor`.',
          license: { name: 'AGPL-3.0-or-later', identifier: 'AGPL-3.0-or-later' },
        },
        servers: [{ url: publicUrl }],
        ...(webhooks ? { webhooks } : {}),
        components: {
          securitySchemes: {
            bearer: {
              type: 'http',
              scheme: 'bearer',
              description: 'An operator API token (`learnhub tokens create`) or an OAuth 2 access token.',
            },
            session: {
              type: 'apiKey',
              in: 'cookie',
              name: 'lh_session',
              description: 'The session cookie of a person signed in through the web pages.',
            },
            programKey: {
              type: 'http',
              scheme: 'basic',
              description:
                'An Event Store program key: HTTP Basic with the key id as user and the API key as password.',
            },
            openLearningBasic: {
              type: 'http',
              scheme: 'basic',
              description:
                'OpenLearning dialect: an institution API key (ol_…:secret) or a hub email + password.',
            },
          },
        },
        tags: [
          { name: 'operations', description: 'Health, readiness, metrics' },
          { name: 'users', description: 'Public profiles of people with an account' },
          { name: 'apps', description: 'Apps (OAuth clients) and the check of a user access token' },
          { name: 'activities', description: 'The activity feed: publish activities, read them by noun' },
          { name: 'courses', description: 'The course register, classes and enrolment' },
          {
            name: 'messaging',
            description: 'Messages to people, inbox, email preferences, reply-by-email, announcements',
          },
          { name: 'openlearning', description: 'The OpenLearning provisioning dialect (/openlearning)' },
          {
            name: 'badges',
            description: 'Badges, awards and Open Badges 2.0 documents (/api/v1/badges, /ob)',
          },
          { name: 'badgekit', description: 'The BadgeKit API dialect (/badgekit), JWT auth' },
          {
            name: 'webhooks',
            description: 'Webhook endpoints, deliveries and their attempts (Standard Webhooks)',
          },
          { name: 'events', description: 'The Event Store, natively: events, change feed, types, erasure' },
          {
            name: 'eventstore',
            description: 'The Event Store dialect (/eventstore), program keys over Basic',
          },
        ],
      },
    });
    app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
    await app.register(swaggerUi, {
      routePrefix: '/docs',
      uiConfig: { docExpansion: 'list', deepLinking: true },
      staticCSP: true,
      // The way back to the site: Swagger UI's top-bar logo becomes the hub's mark and "Learnhub", linking home.
      logo: { type: 'image/svg+xml', content: Buffer.from(BACK_LOGO), href: '/', target: '_self' },
      theme: {
        title: 'API reference · Learnhub',
        favicon: [
          {
            filename: 'icon.svg',
            rel: 'icon',
            sizes: 'any',
            type: 'image/svg+xml',
            content: Buffer.from(ICON_SVG),
          },
        ],
      },
    });
  },
  { name: 'learnhub-openapi' },
);
