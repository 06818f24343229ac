import type { FastifyInstance } from 'fastify';
import type { Static } from 'typebox';
import type { Deps } from '../../deps.ts';
import type { PrincipalKind } from '../../http/principal.ts';
import {
  AppQuery,
  CreateEndpointBody,
  Delivery,
  DeliveryList,
  DeliveryListQuery,
  DeliveryParams,
  DeliveryWithAttempts,
  Endpoint,
  EndpointIdParams,
  EndpointList,
  EndpointListQuery,
  EndpointWithSecret,
  UpdateEndpointBody,
} from './webhooks.schemas.ts';
import {
  appOf,
  changeEndpoint,
  createEndpoint,
  getDelivery,
  getEndpoint,
  listAppEndpoints,
  listEndpointDeliveries,
  redeliver,
  removeEndpoint,
  rotateSecret,
  scopeOf,
  sendTestEvent,
} from './webhooks.usecases.ts';
import { attemptView, deliveryView, endpointView, nextCursor, parseCursor } from './webhooks.views.ts';

/** Apps manage their own webhooks; admin operator tokens manage any app's, naming it with `app_id`. */
const principals: readonly PrincipalKind[] = ['app', 'app_user', 'operator'];
const tags = ['webhooks'];
const security = [{ bearer: [] }];

export async function webhookRoutes(app: FastifyInstance, { deps }: { deps: Deps }): Promise<void> {
  app.post<{ Body: Static<typeof CreateEndpointBody> }>(
    '/api/v1/webhooks',
    {
      schema: {
        tags,
        security,
        summary: 'Subscribe an endpoint to event types; answers the signing secret once',
        body: CreateEndpointBody,
        response: { 201: EndpointWithSecret },
      },
      config: { principals },
    },
    async (request, reply) => {
      const { app_id, url, event_types, description } = request.body;
      const appId = appOf(request.principal, app_id);
      const created = await createEndpoint(deps, appId, { url, eventTypes: event_types, description });
      reply.code(201);
      return { ...endpointView(created.endpoint), secret: created.secret };
    },
  );

  app.get<{ Querystring: Static<typeof EndpointListQuery> }>(
    '/api/v1/webhooks',
    {
      schema: {
        tags,
        security,
        summary: "The app's endpoints, newest first",
        querystring: EndpointListQuery,
        response: { 200: EndpointList },
      },
      config: { principals },
    },
    async (request) => {
      const { app_id, limit, cursor } = request.query;
      const appId = appOf(request.principal, app_id);
      const page = await listAppEndpoints(deps, appId, { limit, after: parseCursor(cursor) });
      return { data: page.map(endpointView), next_cursor: nextCursor(page, limit) };
    },
  );

  app.get<{ Params: Static<typeof EndpointIdParams>; Querystring: Static<typeof AppQuery> }>(
    '/api/v1/webhooks/:id',
    {
      schema: {
        tags,
        security,
        summary: 'One endpoint',
        params: EndpointIdParams,
        querystring: AppQuery,
        response: { 200: Endpoint },
      },
      config: { principals },
    },
    async (request) => {
      const scope = scopeOf(request.principal, request.query.app_id);
      return endpointView(await getEndpoint(deps, scope, request.params.id));
    },
  );

  app.patch<{ Params: Static<typeof EndpointIdParams>; Body: Static<typeof UpdateEndpointBody> }>(
    '/api/v1/webhooks/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Change the URL, event types or description; enable or disable',
        params: EndpointIdParams,
        body: UpdateEndpointBody,
        response: { 200: Endpoint },
      },
      config: { principals },
    },
    async (request) => {
      const { app_id, url, event_types, description, enabled } = request.body;
      const scope = scopeOf(request.principal, app_id);
      const updated = await changeEndpoint(deps, scope, request.params.id, {
        url,
        eventTypes: event_types,
        description,
        enabled,
      });
      return endpointView(updated);
    },
  );

  app.delete<{ Params: Static<typeof EndpointIdParams>; Querystring: Static<typeof AppQuery> }>(
    '/api/v1/webhooks/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Delete an endpoint with its delivery log',
        params: EndpointIdParams,
        querystring: AppQuery,
        response: { 204: { type: 'null', description: 'Deleted' } },
      },
      config: { principals },
    },
    async (request, reply) => {
      await removeEndpoint(deps, scopeOf(request.principal, request.query.app_id), request.params.id);
      return reply.code(204).send();
    },
  );

  app.post<{ Params: Static<typeof EndpointIdParams>; Querystring: Static<typeof AppQuery> }>(
    '/api/v1/webhooks/:id/rotate-secret',
    {
      schema: {
        tags,
        security,
        summary: 'Replace the signing secret; the new one is answered once and used from now on',
        params: EndpointIdParams,
        querystring: AppQuery,
        response: { 200: EndpointWithSecret },
      },
      config: { principals },
    },
    async (request) => {
      const scope = scopeOf(request.principal, request.query.app_id);
      const rotated = await rotateSecret(deps, scope, request.params.id);
      return { ...endpointView(rotated.endpoint), secret: rotated.secret };
    },
  );

  app.post<{ Params: Static<typeof EndpointIdParams>; Querystring: Static<typeof AppQuery> }>(
    '/api/v1/webhooks/:id/test',
    {
      schema: {
        tags,
        security,
        summary: 'Send a `webhook.test` event to this endpoint',
        params: EndpointIdParams,
        querystring: AppQuery,
        response: { 202: Delivery },
      },
      config: { principals },
    },
    async (request, reply) => {
      const scope = scopeOf(request.principal, request.query.app_id);
      const delivery = await sendTestEvent(deps, scope, request.params.id);
      reply.code(202);
      return deliveryView(delivery);
    },
  );

  app.get<{ Params: Static<typeof EndpointIdParams>; Querystring: Static<typeof DeliveryListQuery> }>(
    '/api/v1/webhooks/:id/deliveries',
    {
      schema: {
        tags,
        security,
        summary: "The endpoint's deliveries, newest first",
        params: EndpointIdParams,
        querystring: DeliveryListQuery,
        response: { 200: DeliveryList },
      },
      config: { principals },
    },
    async (request) => {
      const { app_id, limit, cursor, status } = request.query;
      const page = await listEndpointDeliveries(deps, scopeOf(request.principal, app_id), request.params.id, {
        limit,
        status,
        after: parseCursor(cursor),
      });
      return { data: page.map(deliveryView), next_cursor: nextCursor(page, limit) };
    },
  );

  app.get<{ Params: Static<typeof DeliveryParams>; Querystring: Static<typeof AppQuery> }>(
    '/api/v1/webhooks/:id/deliveries/:delivery_id',
    {
      schema: {
        tags,
        security,
        summary: 'One delivery with every attempt (status code or error, duration, time)',
        params: DeliveryParams,
        querystring: AppQuery,
        response: { 200: DeliveryWithAttempts },
      },
      config: { principals },
    },
    async (request) => {
      const scope = scopeOf(request.principal, request.query.app_id);
      const { delivery, attempts } = await getDelivery(
        deps,
        scope,
        request.params.id,
        request.params.delivery_id,
      );
      return { ...deliveryView(delivery), payload: delivery.body, attempts: attempts.map(attemptView) };
    },
  );

  app.post<{ Params: Static<typeof DeliveryParams>; Querystring: Static<typeof AppQuery> }>(
    '/api/v1/webhooks/:id/deliveries/:delivery_id/redeliver',
    {
      schema: {
        tags,
        security,
        summary: 'Send a delivery again (same webhook-id) with a fresh retry schedule',
        params: DeliveryParams,
        querystring: AppQuery,
        response: { 202: Delivery },
      },
      config: { principals },
    },
    async (request, reply) => {
      const scope = scopeOf(request.principal, request.query.app_id);
      const delivery = await redeliver(deps, scope, request.params.id, request.params.delivery_id);
      reply.code(202);
      return deliveryView(delivery);
    },
  );
}
