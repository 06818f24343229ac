import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type Static, Type } from 'typebox';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../errors/index.ts';
import { assertCsrf, csrfToken, sendHtml } from '../../web/index.ts';
import { requireSignedInUser } from '../identity/index.ts';
import type { App } from '../oauth/index.ts';
import { ownedApp, parseEventTypes, webhookOverview } from './webhooks.account.ts';
import { WebhooksPage, type WebhooksView } from './webhooks.pages.tsx';
import {
  changeEndpoint,
  createEndpoint,
  redeliver,
  removeEndpoint,
  rotateSecret,
  sendTestEvent,
} from './webhooks.usecases.ts';

const Uuid = Type.String({ format: 'uuid' });
const AppParams = Type.Object({ id: Uuid });
const EndpointParams = Type.Object({ id: Uuid, endpoint_id: Uuid });
const DeliveryParams = Type.Object({ id: Uuid, endpoint_id: Uuid, delivery_id: Uuid });
const Csrf = { _csrf: Type.Optional(Type.String({ maxLength: 200 })) };
const CsrfBody = Type.Object(Csrf);
const CreateForm = Type.Object({
  ...Csrf,
  url: Type.String({ maxLength: 2000 }),
  event_types: Type.String({ maxLength: 5000 }),
});
const NoticeQuery = Type.Object({ done: Type.Optional(Type.String({ maxLength: 20 })) });

/** Fixed messages for the redirect after an action, so nothing from the URL is echoed into the page. */
const DONE: Record<string, string> = {
  test: 'A test event is on its way.',
  redeliver: 'The delivery is being sent again.',
  disabled: 'The endpoint is disabled.',
  enabled: 'The endpoint is enabled again.',
  deleted: 'The endpoint was deleted.',
};

const signedIn = (deps: Deps, request: FastifyRequest, reply: FastifyReply) =>
  requireSignedInUser(deps, request, reply, '/account/apps');

/** The owner's webhooks page for each app: /account/apps/<app id>/webhooks, forms with CSRF tokens. */
export async function webhookAccountRoutes(app: FastifyInstance, { deps }: { deps: Deps }): Promise<void> {
  async function page(
    request: FastifyRequest,
    reply: FastifyReply,
    owned: App,
    extra: Partial<WebhooksView>,
  ) {
    const view: WebhooksView = {
      app: owned,
      csrf: csrfToken(request, reply, deps.secretKey),
      endpoints: await webhookOverview(deps, owned.id),
      ...extra,
    };
    return WebhooksPage(view);
  }

  /** Resolves the signed-in owner's app for a form post (after the CSRF check), or has redirected. */
  async function ownerPost(request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply) {
    const user = await signedIn(deps, request, reply);
    if (!user) return undefined;
    assertCsrf(request, deps.secretKey);
    return ownedApp(deps, user, request.params.id);
  }

  const back = (reply: FastifyReply, owned: App, done: string) =>
    reply.redirect(`/account/apps/${owned.id}/webhooks?done=${done}`, 303);

  app.get<{ Params: Static<typeof AppParams>; Querystring: Static<typeof NoticeQuery> }>(
    '/account/apps/:id/webhooks',
    { schema: { hide: true, params: AppParams, querystring: NoticeQuery } },
    async (request, reply) => {
      const user = await signedIn(deps, request, reply);
      if (!user) return reply;
      const owned = await ownedApp(deps, user, request.params.id);
      const notice = request.query.done ? DONE[request.query.done] : undefined;
      return sendHtml(reply, await page(request, reply, owned, { notice }));
    },
  );

  app.post<{ Params: Static<typeof AppParams>; Body: Static<typeof CreateForm> }>(
    '/account/apps/:id/webhooks',
    { schema: { hide: true, params: AppParams, body: CreateForm } },
    async (request, reply) => {
      const owned = await ownerPost(request, reply);
      if (!owned) return reply;
      const { url, event_types } = request.body;
      try {
        const created = await createEndpoint(deps, owned.id, {
          url,
          eventTypes: parseEventTypes(event_types),
        });
        return sendHtml(reply, await page(request, reply, owned, { revealed: created }), 201);
      } catch (error) {
        if (!(error instanceof AppError) || error.status !== 400) throw error;
        const extra = { error: error.message, values: { url, event_types } };
        return sendHtml(reply, await page(request, reply, owned, extra), 400);
      }
    },
  );

  app.post<{ Params: Static<typeof EndpointParams>; Body: Static<typeof CsrfBody> }>(
    '/account/apps/:id/webhooks/:endpoint_id/rotate-secret',
    { schema: { hide: true, params: EndpointParams, body: CsrfBody } },
    async (request, reply) => {
      const owned = await ownerPost(request, reply);
      if (!owned) return reply;
      const rotated = await rotateSecret(deps, owned.id, request.params.endpoint_id);
      return sendHtml(reply, await page(request, reply, owned, { revealed: rotated }));
    },
  );

  const actions: Record<string, (appId: string, endpointId: string) => Promise<unknown>> = {
    test: (appId, id) => sendTestEvent(deps, appId, id),
    disabled: (appId, id) => changeEndpoint(deps, appId, id, { enabled: false }),
    enabled: (appId, id) => changeEndpoint(deps, appId, id, { enabled: true }),
    deleted: (appId, id) => removeEndpoint(deps, appId, id),
  };
  const paths: Record<string, string> = {
    test: 'test',
    disabled: 'disable',
    enabled: 'enable',
    deleted: 'delete',
  };
  for (const [done, run] of Object.entries(actions)) {
    app.post<{ Params: Static<typeof EndpointParams>; Body: Static<typeof CsrfBody> }>(
      `/account/apps/:id/webhooks/:endpoint_id/${paths[done]}`,
      { schema: { hide: true, params: EndpointParams, body: CsrfBody } },
      async (request, reply) => {
        const owned = await ownerPost(request, reply);
        if (!owned) return reply;
        await run(owned.id, request.params.endpoint_id);
        return back(reply, owned, done);
      },
    );
  }

  app.post<{ Params: Static<typeof DeliveryParams>; Body: Static<typeof CsrfBody> }>(
    '/account/apps/:id/webhooks/:endpoint_id/deliveries/:delivery_id/redeliver',
    { schema: { hide: true, params: DeliveryParams, body: CsrfBody } },
    async (request, reply) => {
      const owned = await ownerPost(request, reply);
      if (!owned) return reply;
      await redeliver(deps, owned.id, request.params.endpoint_id, request.params.delivery_id);
      return back(reply, owned, 'redeliver');
    },
  );
}
