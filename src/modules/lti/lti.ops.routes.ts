import type { FastifyInstance } from 'fastify';
import { type Static, Type } from 'typebox';
import type { Deps } from '../../deps.ts';
import { isAdmin } from '../../http/principal.ts';
import { enqueue } from '../../jobs/enqueue.ts';
import { type DeliveryRow, listDeliveries } from './lti.ags.repository.ts';
import { ltiErrors } from './lti.errors.ts';
import { getPlatformAs } from './lti.platforms.ts';
import { registrationUrl } from './lti.register.ts';
import { findContextById } from './lti.repository.ts';
import { IdParams } from './lti.schemas.ts';
import { SYNC_ROSTER } from './lti.services.ts';

const tags = ['lti'];
const security = [{ bearer: [] }];
const config = { principals: ['operator', 'user'] as const };
const iso = (d: Date | null) => d?.toISOString() ?? null;

const Delivery = Type.Object({
  id: Type.String(),
  line_item_url: Type.Union([Type.String(), Type.Null()]),
  user_id: Type.String(),
  sub: Type.String(),
  score: Type.Record(Type.String(), Type.Unknown()),
  score_timestamp: Type.String({ format: 'date-time' }),
  status: Type.Union([Type.Literal('pending'), Type.Literal('delivered'), Type.Literal('failed')]),
  attempts: Type.Integer(),
  last_status: Type.Union([Type.Integer(), Type.Null()]),
  last_error: Type.Union([Type.String(), Type.Null()]),
  created_at: Type.String({ format: 'date-time' }),
  delivered_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});
const DeliveryQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
});

const json = (d: DeliveryRow): Static<typeof Delivery> => ({
  id: d.id,
  line_item_url: d.lineItemUrl,
  user_id: d.userId,
  sub: d.sub,
  score: d.score,
  score_timestamp: d.scoreTimestamp.toISOString(),
  status: d.status,
  attempts: d.attempts,
  last_status: d.lastStatus,
  last_error: d.lastError,
  created_at: d.createdAt.toISOString(),
  delivered_at: iso(d.deliveredAt),
});

/** What operators watch: the score delivery log of a platform, and a roster sync on demand. */
export async function ltiOpsRoutes(app: FastifyInstance, { deps }: { deps: Deps }) {
  app.get<{ Params: Static<typeof IdParams>; Querystring: Static<typeof DeliveryQuery> }>(
    '/api/v1/lti/platforms/:id/deliveries',
    {
      schema: {
        tags,
        security,
        summary: 'Score deliveries to a platform (AGS), newest first: status, attempts, last error',
        params: IdParams,
        querystring: DeliveryQuery,
        response: { 200: Type.Object({ data: Type.Array(Delivery) }) },
      },
      config,
    },
    async (request) => {
      const platform = await getPlatformAs(deps, request.principal, request.params.id);
      return { data: (await listDeliveries(deps.db, platform.id, request.query.limit ?? 50)).map(json) };
    },
  );
  app.post(
    '/api/v1/lti/registration-urls',
    {
      schema: {
        tags,
        security,
        summary: 'A registration URL (valid 7 days) for LTI Dynamic Registration in an LMS',
        response: {
          201: Type.Object({ url: Type.String(), expires_at: Type.String({ format: 'date-time' }) }),
        },
      },
      config,
    },
    async (request, reply) => {
      if (!isAdmin(request.principal)) throw ltiErrors.notAllowed();
      return reply.code(201).send(await registrationUrl(deps));
    },
  );
  app.post<{ Params: Static<typeof IdParams> }>(
    '/api/v1/lti/contexts/:id/roster-sync',
    {
      schema: {
        tags,
        security,
        summary: 'Queue a roster sync (NRPS) of a linked LMS context',
        params: IdParams,
        response: { 202: Type.Object({ queued: Type.Boolean() }) },
      },
      config,
    },
    async (request, reply) => {
      if (!isAdmin(request.principal)) throw ltiErrors.notAllowed();
      const uuid = /^[0-9a-f-]{36}$/i.test(request.params.id);
      const context = uuid ? await findContextById(deps.db, request.params.id.toLowerCase()) : undefined;
      if (!context) throw ltiErrors.contextNotFound();
      await enqueue(
        deps.db,
        SYNC_ROSTER,
        { contextId: context.id },
        { jobKey: `${SYNC_ROSTER}:${context.id}` },
      );
      return reply.code(202).send({ queued: true });
    },
  );
}
