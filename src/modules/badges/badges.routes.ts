import type { FastifyInstance } from 'fastify';
import type { Static } from 'typebox';
import type { Deps } from '../../deps.ts';
import { importToBackpack, listBackpack } from './badges.backpack.ts';
import {
  awardAppBadge,
  createAppBadge,
  getBadgeNative,
  listBadgesNative,
  userAwardsByRef,
} from './badges.native.ts';
import {
  AwardBody,
  AwardList,
  BackpackImport,
  BackpackItem,
  BackpackList,
  BadgeList,
  CreateBadgeBody,
  IdParams,
  ListQuery,
  NativeAward,
  NativeBadge,
  UserParams,
} from './badges.schemas.ts';
import type { WebhookDeps } from './badges.webhooks.ts';

const security = [{ bearer: [] }];
const apps = { principals: ['app', 'app_user'] as const };

/** The native badge API: public badges and awards, and apps awarding their participation badge. */
export async function badgeRoutes(app: FastifyInstance, { deps }: { deps: Deps & WebhookDeps }) {
  app.get<{ Querystring: Static<typeof ListQuery> }>(
    '/api/v1/badges',
    {
      schema: {
        tags: ['badges'],
        summary: 'Badges (not archived), oldest first',
        querystring: ListQuery,
        response: { 200: BadgeList },
      },
    },
    async (request) => listBadgesNative(deps, request.query.limit ?? 50, request.query.cursor),
  );
  app.post<{ Body: Static<typeof CreateBadgeBody> }>(
    '/api/v1/badges',
    {
      schema: {
        tags: ['badges'],
        summary: "Create the calling app's participation badge",
        security,
        body: CreateBadgeBody,
        response: { 201: NativeBadge },
      },
      config: apps,
    },
    async (request, reply) =>
      reply.code(201).send(await createAppBadge(deps, request.principal, request.body)),
  );
  app.get<{ Params: Static<typeof IdParams> }>(
    '/api/v1/badges/:id',
    { schema: { tags: ['badges'], summary: 'A badge', params: IdParams, response: { 200: NativeBadge } } },
    async (request) => getBadgeNative(deps, request.params.id),
  );
  app.post<{ Params: Static<typeof IdParams>; Body: Static<typeof AwardBody> }>(
    '/api/v1/badges/:id/awards',
    {
      schema: {
        tags: ['badges'],
        summary: "Award the app's badge to a person who connected to the app",
        description:
          'Needs an app token carrying the `badges:award` scope (client credentials, or a token the person ' +
          'granted it in); without it the answer is 403 `badges.scope_required`.',
        security,
        params: IdParams,
        body: AwardBody,
        response: { 201: NativeAward },
      },
      config: apps,
    },
    async (request, reply) =>
      reply.code(201).send(await awardAppBadge(deps, request.principal, request.params.id, request.body)),
  );
  const me = { principals: ['user'] as const };
  app.post<{ Body: Static<typeof BackpackImport> }>(
    '/api/v1/me/backpack',
    {
      bodyLimit: 2 * 1024 * 1024,
      schema: {
        tags: ['badges'],
        summary: 'Import a badge earned elsewhere into your backpack (kept only if it verifies)',
        security: [{ session: [] }],
        body: BackpackImport,
        response: { 201: BackpackItem },
      },
      config: me,
    },
    async (request, reply) => {
      const userId = request.principal.kind === 'user' ? request.principal.userId : '';
      return reply.code(201).send(await importToBackpack(deps, userId, request.body));
    },
  );
  app.get(
    '/api/v1/me/backpack',
    {
      schema: {
        tags: ['badges'],
        summary: 'Your backpack',
        security: [{ session: [] }],
        response: { 200: BackpackList },
      },
      config: me,
    },
    async (request) => ({
      data: await listBackpack(deps, request.principal.kind === 'user' ? request.principal.userId : ''),
    }),
  );
  app.get<{ Params: Static<typeof UserParams> }>(
    '/api/v1/users/:username/badges',
    {
      schema: {
        tags: ['badges'],
        summary: "A person's badges (awarded to their verified email), with verify links",
        params: UserParams,
        response: { 200: AwardList },
      },
    },
    async (request) => ({ data: await userAwardsByRef(deps, request.params.username) }),
  );
}
