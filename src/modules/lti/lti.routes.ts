import type { FastifyInstance } from 'fastify';
import { type Static, Type } from 'typebox';
import type { Config } from '../../config/config.ts';
import type { Deps } from '../../deps.ts';
import { isAdmin } from '../../http/principal.ts';
import { ltiErrors } from './lti.errors.ts';
import { listToolKeySummaries, rotateToolKey, type ToolKeySummary } from './lti.keys.ts';
import {
  createPlatformAs,
  deletePlatformAs,
  getPlatformAs,
  listPlatformsAs,
  type PlatformInput,
  type Platform as PlatformRow,
  toolUrls,
  updatePlatformAs,
} from './lti.platforms.ts';
import {
  IdParams,
  ListQuery,
  Platform,
  PlatformBody,
  PlatformList,
  PlatformPatch,
  ToolKey,
  ToolKeyList,
} from './lti.schemas.ts';

const tags = ['lti'];
const security = [{ bearer: [] }];
const config = { principals: ['operator', 'user'] as const };

export function platformJson(cfg: Pick<Config, 'publicUrl'>, p: PlatformRow): Static<typeof Platform> {
  return {
    id: p.id,
    name: p.name,
    issuer: p.issuer,
    client_id: p.clientId,
    deployment_ids: p.deploymentIds,
    auth_endpoint: p.authEndpoint,
    token_endpoint: p.tokenEndpoint,
    token_audience: p.tokenAudience,
    jwks_url: p.jwksUrl,
    auto_create_courses: p.autoCreateCourses,
    link_by_email: p.linkByEmail,
    institution_id: p.institutionId,
    created_at: p.createdAt.toISOString(),
    updated_at: p.updatedAt.toISOString(),
    tool: toolUrls(cfg),
  };
}

export function keyJson(k: ToolKeySummary): Static<typeof ToolKey> {
  return {
    kid: k.kid,
    created_at: k.createdAt.toISOString(),
    retired_at: k.retiredAt?.toISOString() ?? null,
    last_signed_at: k.lastSignedAt?.toISOString() ?? null,
  };
}

function input(body: Partial<Static<typeof PlatformBody>>): PlatformInput {
  return {
    name: body.name,
    issuer: body.issuer,
    clientId: body.client_id,
    deploymentIds: body.deployment_ids,
    authEndpoint: body.auth_endpoint,
    tokenEndpoint: body.token_endpoint,
    tokenAudience: body.token_audience,
    jwksUrl: body.jwks_url,
    autoCreateCourses: body.auto_create_courses,
    linkByEmail: body.link_by_email,
    institutionId: body.institution_id,
  };
}

/** Platform registrations and the tool's keys in the native API (hub operators). */
export async function ltiAdminRoutes(app: FastifyInstance, { deps }: { deps: Deps }) {
  const base = '/api/v1/lti/platforms';
  app.post<{ Body: Static<typeof PlatformBody> }>(
    base,
    {
      schema: {
        tags,
        security,
        summary: 'Register an LTI 1.3 platform',
        body: PlatformBody,
        response: { 201: Platform },
      },
      config,
    },
    async (request, reply) => {
      const row = await createPlatformAs(deps, request.principal, input(request.body));
      return reply.code(201).send(platformJson(deps.config, row));
    },
  );
  app.get<{ Querystring: Static<typeof ListQuery> }>(
    base,
    {
      schema: {
        tags,
        security,
        summary: 'LTI platform registrations',
        querystring: ListQuery,
        response: { 200: PlatformList },
      },
      config,
    },
    async (request) => {
      const limit = request.query.limit ?? 50;
      const rows = await listPlatformsAs(deps, request.principal, {
        afterId: request.query.cursor,
        limit: limit + 1,
      });
      const page = rows.slice(0, limit);
      return {
        data: page.map((p) => platformJson(deps.config, p)),
        next_cursor: rows.length > limit ? (page.at(-1)?.id ?? null) : null,
      };
    },
  );
  app.get<{ Params: Static<typeof IdParams> }>(
    `${base}/:id`,
    {
      schema: {
        tags,
        security,
        summary: 'One LTI platform registration',
        params: IdParams,
        response: { 200: Platform },
      },
      config,
    },
    async (request) =>
      platformJson(deps.config, await getPlatformAs(deps, request.principal, request.params.id)),
  );
  app.patch<{ Params: Static<typeof IdParams>; Body: Static<typeof PlatformPatch> }>(
    `${base}/:id`,
    {
      schema: {
        tags,
        security,
        summary: 'Change an LTI platform registration (issuer and client id stay)',
        params: IdParams,
        body: PlatformPatch,
        response: { 200: Platform },
      },
      config,
    },
    async (request) =>
      platformJson(
        deps.config,
        await updatePlatformAs(deps, request.principal, request.params.id, input(request.body)),
      ),
  );
  app.delete<{ Params: Static<typeof IdParams> }>(
    `${base}/:id`,
    {
      schema: {
        tags,
        security,
        summary: 'Remove an LTI platform registration',
        params: IdParams,
        response: { 204: Type.Null() },
      },
      config,
    },
    async (request, reply) => {
      await deletePlatformAs(deps, request.principal, request.params.id);
      return reply.code(204).send();
    },
  );
  app.get(
    '/api/v1/lti/keys',
    {
      schema: {
        tags,
        security,
        summary: "The tool's signing keys and the URLs to give an LMS",
        response: { 200: ToolKeyList },
      },
      config,
    },
    async (request) => {
      if (!isAdmin(request.principal)) throw ltiErrors.notAllowed();
      return { data: (await listToolKeySummaries(deps)).map(keyJson), tool: toolUrls(deps.config) };
    },
  );
  app.post(
    '/api/v1/lti/keys/rotate',
    {
      schema: {
        tags,
        security,
        summary: 'Start signing with a new key; the old one stays published for a day',
        response: { 201: ToolKey },
      },
      config,
    },
    async (request, reply) => {
      if (!isAdmin(request.principal)) throw ltiErrors.notAllowed();
      return reply.code(201).send(keyJson(await rotateToolKey(deps)));
    },
  );
}
