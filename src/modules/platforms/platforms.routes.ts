import type { FastifyInstance } from 'fastify';
import { type Static, Type } from 'typebox';
import type { Deps } from '../../deps.ts';
import { createPlatform, listPlatforms, type Platform, setPlatformEnabled } from './platforms.usecases.ts';

const PlatformJson = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  scope: Type.Union([Type.Literal('courses'), Type.Literal('institutions'), Type.Literal('all')]),
  course_ids: Type.Array(Type.String()),
  institution_ids: Type.Array(Type.String()),
  jwks_url: Type.Union([Type.String(), Type.Null()]),
  kids: Type.Array(Type.String()),
  issuer: Type.String(),
  audience: Type.String(),
  enabled: Type.Boolean(),
  created_at: Type.String({ format: 'date-time' }),
});

const PlatformBody = Type.Object(
  {
    name: Type.String({ maxLength: 200 }),
    jwks_url: Type.Optional(Type.String({ maxLength: 2000 })),
    public_keys: Type.Optional(
      Type.Array(
        Type.Object({
          pem: Type.String({ maxLength: 10_000 }),
          kid: Type.Optional(Type.String({ maxLength: 200 })),
        }),
        { maxItems: 10 },
      ),
    ),
    course_ids: Type.Optional(Type.Array(Type.String({ format: 'uuid' }), { maxItems: 10_000 })),
    institution_ids: Type.Optional(Type.Array(Type.String({ format: 'uuid' }), { maxItems: 1000 })),
    all_courses: Type.Optional(Type.Boolean()),
    issuer: Type.Optional(Type.String({ maxLength: 2000 })),
    audience: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);

const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const EnabledBody = Type.Object({ enabled: Type.Boolean() }, { additionalProperties: false });

export const platformJson = (p: Platform): Static<typeof PlatformJson> => ({
  id: p.id,
  name: p.name,
  scope: p.scope,
  course_ids: p.courseIds,
  institution_ids: p.institutionIds,
  jwks_url: p.jwksUrl,
  kids: p.kids,
  issuer: p.issuer,
  audience: p.audience,
  enabled: p.enabled,
  created_at: p.createdAt.toISOString(),
});

const config = { principals: ['operator', 'user'] as const };
const security: Record<string, string[]>[] = [{ bearer: [] }];
const tags = ['platforms'];

/** Platform registrations for the peerScholar dialect (hub operators): `/api/v1/platforms`. */
export async function platformRoutes(app: FastifyInstance, { deps }: { deps: Deps }) {
  app.post<{ Body: Static<typeof PlatformBody> }>(
    '/api/v1/platforms',
    {
      schema: {
        tags,
        security,
        summary: 'Register an LMS platform (RS256 keys, course scope)',
        body: PlatformBody,
        response: { 201: PlatformJson },
      },
      config,
    },
    async (request, reply) => {
      const b = request.body;
      const p = await createPlatform(deps, request.principal, {
        name: b.name,
        jwksUrl: b.jwks_url,
        publicKeys: b.public_keys,
        courseIds: b.course_ids,
        institutionIds: b.institution_ids,
        allCourses: b.all_courses,
        issuer: b.issuer,
        audience: b.audience,
      });
      return reply.code(201).send(platformJson(p));
    },
  );
  app.get(
    '/api/v1/platforms',
    {
      schema: {
        tags,
        security,
        summary: 'Registered platforms',
        response: { 200: Type.Object({ data: Type.Array(PlatformJson) }) },
      },
      config,
    },
    async (request) => ({ data: (await listPlatforms(deps, request.principal)).map(platformJson) }),
  );
  app.patch<{ Params: Static<typeof IdParams>; Body: Static<typeof EnabledBody> }>(
    '/api/v1/platforms/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Enable or disable a platform',
        params: IdParams,
        body: EnabledBody,
        response: { 200: PlatformJson },
      },
      config,
    },
    async (request) =>
      platformJson(
        await setPlatformEnabled(deps, request.principal, request.params.id, request.body.enabled),
      ),
  );
}
