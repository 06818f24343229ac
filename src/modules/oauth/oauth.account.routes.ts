import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../errors/index.ts';
import type { Principal } from '../../http/principal.ts';
import { assertCsrf, csrfToken, sendHtml } from '../../web/index.ts';
import { requireSignedInUser, type User } from '../identity/index.ts';
import { AppsPage, type AppsView, ConfirmPage, ConnectionsPage } from './oauth.account.pages.tsx';
import { listConnections, revokeConnection } from './oauth.tokens.ts';
import { createAppAs, deleteAppAs, getAppAs, listOwnedApps, rotateAppSecret } from './oauth.usecases.ts';

const Csrf = { _csrf: Type.Optional(Type.String({ maxLength: 200 })) };
const CsrfBody = Type.Object(Csrf);
const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const AppForm = Type.Object({
  ...Csrf,
  name: Type.String({ maxLength: 200 }),
  homepage_url: Type.Optional(Type.String({ maxLength: 2000 })),
  logo_url: Type.Optional(Type.String({ maxLength: 2000 })),
  redirect_uris: Type.Optional(Type.String({ maxLength: 25_000 })),
  reply_url: Type.Optional(Type.String({ maxLength: 2000 })),
});
type AppFormBody = {
  _csrf?: string | undefined;
  name: string;
  homepage_url?: string | undefined;
  logo_url?: string | undefined;
  redirect_uris?: string | undefined;
  reply_url?: string | undefined;
};

function asPrincipal(user: User): Principal {
  return { kind: 'user', userId: user.id, admin: user.admin };
}

const signedIn = (deps: Deps, request: FastifyRequest, reply: FastifyReply) =>
  requireSignedInUser(deps, request, reply, '/account/apps');

/** The developer page (/account/apps) and connected apps (/account/connections). */
export async function accountRoutes(app: FastifyInstance, { deps }: { deps: Deps }): Promise<void> {
  async function appsPage(
    request: FastifyRequest,
    reply: FastifyReply,
    user: User,
    extra: Partial<AppsView>,
  ) {
    const view: AppsView = {
      csrf: csrfToken(request, reply, deps.secretKey),
      apps: await listOwnedApps(deps, user.id),
      ...extra,
    };
    return AppsPage(view);
  }

  app.get('/account/apps', { schema: { hide: true } }, async (request, reply) => {
    const user = await signedIn(deps, request, reply);
    if (!user) return reply;
    return sendHtml(reply, await appsPage(request, reply, user, {}));
  });

  app.post<{ Body: AppFormBody }>(
    '/account/apps',
    { schema: { hide: true, body: AppForm } },
    async (request, reply) => {
      const user = await signedIn(deps, request, reply);
      if (!user) return reply;
      assertCsrf(request, deps.secretKey);
      const { _csrf, ...values } = request.body;
      const redirectUris = (values.redirect_uris ?? '')
        .split(/\r?\n/)
        .map((line) => line.trim())
        .filter(Boolean);
      try {
        const created = await createAppAs(deps, asPrincipal(user), {
          name: values.name,
          homepageUrl: values.homepage_url,
          logoUrl: values.logo_url,
          redirectUris,
          replyUrl: values.reply_url,
        });
        const revealed = { app: created.app, secret: created.clientSecret };
        return sendHtml(reply, await appsPage(request, reply, user, { revealed }), 201);
      } catch (error) {
        if (!(error instanceof AppError) || error.status !== 400) throw error;
        const page = await appsPage(request, reply, user, { error: error.message, values });
        return sendHtml(reply, page, 400);
      }
    },
  );

  app.post<{ Params: { id: string } }>(
    '/account/apps/:id/secret',
    { schema: { hide: true, params: IdParams, body: CsrfBody } },
    async (request, reply) => {
      const user = await signedIn(deps, request, reply);
      if (!user) return reply;
      assertCsrf(request, deps.secretKey);
      const rotated = await rotateAppSecret(deps, asPrincipal(user), request.params.id);
      const revealed = { app: rotated.app, secret: rotated.clientSecret };
      return sendHtml(reply, await appsPage(request, reply, user, { revealed }));
    },
  );

  app.post<{ Params: { id: string } }>(
    '/account/apps/:id/delete',
    { schema: { hide: true, params: IdParams, body: CsrfBody } },
    async (request, reply) => {
      const user = await signedIn(deps, request, reply);
      if (!user) return reply;
      assertCsrf(request, deps.secretKey);
      const gone = await getAppAs(deps, asPrincipal(user), request.params.id);
      await deleteAppAs(deps, asPrincipal(user), request.params.id);
      return sendHtml(reply, await appsPage(request, reply, user, { notice: `${gone.name} was deleted.` }));
    },
  );

  // Destructive actions ask first: these GETs show what will happen and the button that does it.
  app.get<{ Params: { id: string } }>(
    '/account/apps/:id/secret',
    { schema: { hide: true, params: IdParams } },
    async (request, reply) => {
      const user = await signedIn(deps, request, reply);
      if (!user) return reply;
      const target = await getAppAs(deps, asPrincipal(user), request.params.id);
      const page = ConfirmPage({
        title: `Rotate the secret of ${target.name}?`,
        consequences: [
          'A new client secret is made and shown once.',
          'The current secret stops working at once: the app cannot get tokens until it uses the new one.',
        ],
        action: `/account/apps/${target.id}/secret`,
        button: `Rotate the secret of ${target.name}`,
        csrf: csrfToken(request, reply, deps.secretKey),
        cancelHref: '/account/apps',
      });
      return sendHtml(reply, page);
    },
  );

  app.get<{ Params: { id: string } }>(
    '/account/apps/:id/delete',
    { schema: { hide: true, params: IdParams } },
    async (request, reply) => {
      const user = await signedIn(deps, request, reply);
      if (!user) return reply;
      const target = await getAppAs(deps, asPrincipal(user), request.params.id);
      const page = ConfirmPage({
        title: `Delete ${target.name}?`,
        consequences: [
          'People can no longer sign in to it with Learnhub, and its tokens stop working.',
          'This cannot be undone.',
        ],
        action: `/account/apps/${target.id}/delete`,
        button: `Delete ${target.name}`,
        csrf: csrfToken(request, reply, deps.secretKey),
        cancelHref: '/account/apps',
      });
      return sendHtml(reply, page);
    },
  );

  app.get<{ Params: { id: string } }>(
    '/account/connections/:id/revoke',
    { schema: { hide: true, params: IdParams } },
    async (request, reply) => {
      const user = await signedIn(deps, request, reply);
      if (!user) return reply;
      const connection = (await listConnections(deps, user.id)).find((c) => c.app.id === request.params.id);
      if (!connection) return reply.redirect('/account/connections', 303);
      const name = connection.app.name;
      const page = ConfirmPage({
        title: `Disconnect ${name}?`,
        consequences: [
          `${name} loses what you allowed it, and its access to your account ends now.`,
          `To use it with Learnhub again, you sign in to it and allow it again.`,
        ],
        action: `/account/connections/${connection.app.id}/revoke`,
        button: `Disconnect ${name}`,
        csrf: csrfToken(request, reply, deps.secretKey),
        cancelHref: '/account/connections',
      });
      return sendHtml(reply, page);
    },
  );

  app.get<{ Querystring: { revoked?: string } }>(
    '/account/connections',
    {
      schema: {
        hide: true,
        querystring: Type.Object({ revoked: Type.Optional(Type.String({ maxLength: 1 })) }),
      },
    },
    async (request, reply) => {
      const user = await signedIn(deps, request, reply);
      if (!user) return reply;
      const connections = await listConnections(deps, user.id);
      const notice = request.query.revoked ? 'The app was disconnected and its access revoked.' : undefined;
      return sendHtml(
        reply,
        ConnectionsPage({ csrf: csrfToken(request, reply, deps.secretKey), connections, notice }),
      );
    },
  );

  app.post<{ Params: { id: string } }>(
    '/account/connections/:id/revoke',
    { schema: { hide: true, params: IdParams, body: CsrfBody } },
    async (request, reply) => {
      const user = await signedIn(deps, request, reply);
      if (!user) return reply;
      assertCsrf(request, deps.secretKey);
      await revokeConnection(deps, user.id, request.params.id);
      return reply.redirect('/account/connections?revoked=1', 303);
    },
  );
}
