import type { FastifyInstance } from 'fastify';
import type { Static } from 'typebox';
import type { Deps } from '../../deps.ts';
import { errors } from '../../errors/index.ts';
import { decodeKeyset, encodeCursor } from '../../lib/cursor.ts';
import {
  AppCreateBody,
  AppList,
  AppListQuery,
  AppOut,
  AppParams,
  AppUpdateBody,
  AppWithSecretOut,
  NoContent,
  VerifyBody,
  VerifyOut,
} from './oauth.schemas.ts';
import { verifyUserToken } from './oauth.tokens.ts';
import {
  type App,
  type AppWithSecret,
  createAppAs,
  deleteAppAs,
  getAppAs,
  listAppsAs,
  rotateAppSecret,
  updateAppAs,
} from './oauth.usecases.ts';
import type { AppInput } from './oauth.validation.ts';

type AppBody = Static<typeof AppUpdateBody>;

export function appJson(app: App): Static<typeof AppOut> {
  return {
    id: app.id,
    client_id: app.clientId,
    name: app.name,
    homepage_url: app.homepageUrl,
    logo_url: app.logoUrl,
    redirect_uris: [...app.redirectUris],
    reply_url: app.replyUrl,
    owner_user_id: app.ownerUserId,
    secret_rotated_at: app.secretRotatedAt.toISOString(),
    created_at: app.createdAt.toISOString(),
    updated_at: app.updatedAt.toISOString(),
  };
}

function withSecret({ app, clientSecret }: AppWithSecret): Static<typeof AppWithSecretOut> {
  return { ...appJson(app), client_secret: clientSecret };
}

function appInput(body: AppBody): AppInput {
  return {
    name: body.name,
    homepageUrl: body.homepage_url,
    logoUrl: body.logo_url,
    redirectUris: body.redirect_uris,
    replyUrl: body.reply_url,
  };
}

function parseCursor(cursor: string | undefined): { createdAt: Date; id: string } | undefined {
  if (cursor === undefined) return undefined;
  const position = decodeKeyset(cursor, ['timestamp', 'uuid']);
  if (!position)
    throw errors.badRequest('request.invalid_cursor', 'cursor: is not a cursor this endpoint issued');
  const [createdAt, id] = position;
  return { createdAt, id };
}

const MANAGE = { principals: ['user', 'operator'] } as const;
const SECURITY = [{ bearer: [] }];

/** The native API for apps, and the P2PU token check. */
export async function oauthRoutes(app: FastifyInstance, { deps }: { deps: Deps }): Promise<void> {
  app.post<{ Body: Static<typeof AppCreateBody> }>(
    '/api/v1/apps',
    {
      schema: {
        tags: ['apps'],
        summary: 'Register an app (OAuth client); the response carries its client_secret, shown once',
        security: SECURITY,
        body: AppCreateBody,
        response: { 201: AppWithSecretOut },
      },
      config: MANAGE,
    },
    async (request, reply) => {
      const created = await createAppAs(deps, request.principal, {
        ...appInput(request.body),
        owner: request.body.owner,
      });
      return reply.code(201).send(withSecret(created));
    },
  );

  app.get<{ Querystring: Static<typeof AppListQuery> }>(
    '/api/v1/apps',
    {
      schema: {
        tags: ['apps'],
        summary: 'Apps the caller owns (operators and admins: every app), newest first',
        security: SECURITY,
        querystring: AppListQuery,
        response: { 200: AppList },
      },
      config: MANAGE,
    },
    async (request) => {
      const { limit, cursor } = request.query;
      const page = await listAppsAs(deps, request.principal, { limit, after: parseCursor(cursor) });
      const last = page.at(-1);
      return {
        data: page.map(appJson),
        next_cursor:
          page.length === limit && last ? encodeCursor([last.createdAt.toISOString(), last.id]) : null,
      };
    },
  );

  app.get<{ Params: Static<typeof AppParams> }>(
    '/api/v1/apps/:id',
    {
      schema: {
        tags: ['apps'],
        summary: 'One app',
        security: SECURITY,
        params: AppParams,
        response: { 200: AppOut },
      },
      config: MANAGE,
    },
    async (request) => appJson(await getAppAs(deps, request.principal, request.params.id)),
  );

  app.patch<{ Params: Static<typeof AppParams>; Body: AppBody }>(
    '/api/v1/apps/:id',
    {
      schema: {
        tags: ['apps'],
        summary: 'Change an app; only the fields given change',
        security: SECURITY,
        params: AppParams,
        body: AppUpdateBody,
        response: { 200: AppOut },
      },
      config: MANAGE,
    },
    async (request) =>
      appJson(await updateAppAs(deps, request.principal, request.params.id, appInput(request.body))),
  );

  app.post<{ Params: Static<typeof AppParams> }>(
    '/api/v1/apps/:id/secret',
    {
      schema: {
        tags: ['apps'],
        summary: 'Rotate the client secret: the old one stops working now, the new one is shown once',
        security: SECURITY,
        params: AppParams,
        response: { 200: AppWithSecretOut },
      },
      config: MANAGE,
    },
    async (request) => withSecret(await rotateAppSecret(deps, request.principal, request.params.id)),
  );

  app.delete<{ Params: Static<typeof AppParams> }>(
    '/api/v1/apps/:id',
    {
      schema: {
        tags: ['apps'],
        summary: 'Delete an app with every grant and token issued to it',
        security: SECURITY,
        params: AppParams,
        response: { 204: NoContent },
      },
      config: MANAGE,
    },
    async (request, reply) => {
      await deleteAppAs(deps, request.principal, request.params.id);
      return reply.code(204).send();
    },
  );

  app.post<{ Body: Static<typeof VerifyBody> }>(
    '/api/v1/auth/verify',
    {
      schema: {
        tags: ['apps'],
        summary: 'Check that an access token is active and belongs to a user (call as the app, HTTP Basic)',
        description:
          'Authenticate as the app with HTTP Basic `client_id:client_secret` (or a client-credentials token). ' +
          'Only tokens issued to the calling app verify; anything else is 401 `oauth.token_inactive`.',
        security: SECURITY,
        body: VerifyBody,
        response: { 200: VerifyOut },
      },
      config: { principals: ['app', 'operator'] },
    },
    async (request) => {
      const verified = await verifyUserToken(deps, request.principal, {
        userProfile: request.body.user_profile,
        token: request.body.token,
      });
      return { active: true as const, ...verified };
    },
  );

  // Discovery lives under the issuer (/oidc); these forward the well-known locations at the root.
  for (const path of ['/.well-known/openid-configuration', '/.well-known/oauth-authorization-server/oidc']) {
    app.get(path, { schema: { hide: true } }, async (_request, reply) =>
      reply.redirect('/oidc/.well-known/openid-configuration', 301),
    );
  }
}
