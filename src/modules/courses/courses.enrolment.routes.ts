import type { FastifyInstance } from 'fastify';
import { type Static, Type } from 'typebox';
import type { Deps } from '../../deps.ts';
import { decodeKeyset, encodeCursor } from '../../lib/cursor.ts';
import { resolveUserRef } from '../identity/index.ts';
import { dropMember, joinCourse, listCourseMembers, setProgress } from './courses.enrolment.ts';
import { courseErrors } from './courses.errors.ts';
import { courseOrThrow } from './courses.routes.ts';
import {
  JoinBody,
  MemberList,
  MemberParams,
  MembershipJson,
  MembersQuery,
  ProgressBody,
  RefParams,
} from './courses.schemas.ts';
import { membershipJson } from './courses.views.ts';

const security: Record<string, string[]>[] = [{ bearer: [] }, { session: [] }];

async function memberId(deps: Deps, ref: string): Promise<string> {
  const user = await resolveUserRef(deps, ref);
  if (!user) throw courseErrors.notMember();
  return user.id;
}

/** Enrolment: join, members, drop, progress and completion. */
export async function enrolmentRoutes(app: FastifyInstance, { deps }: { deps: Deps }) {
  app.post<{ Params: Static<typeof RefParams>; Body: Static<typeof JoinBody> }>(
    '/api/v1/courses/:ref/members',
    {
      schema: {
        tags: ['courses'],
        summary: 'Join a course: the signed-in person, or the person an app acts for',
        security,
        params: RefParams,
        body: JoinBody,
        response: { 200: MembershipJson, 201: MembershipJson },
      },
      config: { principals: ['user', 'app_user'] },
    },
    async (request, reply) => {
      const course = await courseOrThrow(deps, request.params.ref);
      const { membership, created } = await joinCourse(deps, request.principal, course, {
        classId: request.body.class_id,
        activationCode: request.body.activation_code,
      });
      return reply.code(created ? 201 : 200).send(membershipJson(membership));
    },
  );

  app.get<{ Params: Static<typeof RefParams>; Querystring: Static<typeof MembersQuery> }>(
    '/api/v1/courses/:ref/members',
    {
      schema: {
        tags: ['courses'],
        summary: 'Members of a course, by user id, paged (course admins only)',
        security,
        params: RefParams,
        querystring: MembersQuery,
        response: { 200: MemberList },
      },
      config: { principals: ['app', 'app_user', 'user', 'institution', 'operator'] },
    },
    async (request) => {
      const course = await courseOrThrow(deps, request.params.ref);
      const { limit, cursor } = request.query;
      let afterUserId: string | undefined;
      if (cursor !== undefined) {
        const [id] = decodeKeyset(cursor, ['uuid']) ?? [];
        if (id === undefined) throw courseErrors.invalid('cursor', 'is not a cursor this list issued');
        afterUserId = id;
      }
      const page = await listCourseMembers(deps, request.principal, course, { afterUserId, limit });
      const last = page.at(-1);
      return {
        data: page.map(membershipJson),
        next_cursor: last && page.length === limit ? encodeCursor([last.userId]) : null,
      };
    },
  );

  app.delete<{ Params: Static<typeof MemberParams> }>(
    '/api/v1/courses/:ref/members/:user',
    {
      schema: {
        tags: ['courses'],
        summary: 'Leave a course (yourself) or drop a member (course admins)',
        security,
        params: MemberParams,
        response: { 204: Type.Null() },
      },
      config: { principals: ['app', 'app_user', 'user', 'institution', 'operator'] },
    },
    async (request, reply) => {
      const course = await courseOrThrow(deps, request.params.ref);
      await dropMember(deps, request.principal, course, await memberId(deps, request.params.user));
      return reply.code(204).send();
    },
  );

  app.put<{ Params: Static<typeof MemberParams>; Body: Static<typeof ProgressBody> }>(
    '/api/v1/courses/:ref/members/:user/progress',
    {
      schema: {
        tags: ['courses'],
        summary: "Set a member's progress (0–100) or completion (the owning app)",
        security,
        params: MemberParams,
        body: ProgressBody,
        response: { 200: MembershipJson },
      },
      config: { principals: ['app', 'app_user', 'user', 'institution', 'operator'] },
    },
    async (request) => {
      const course = await courseOrThrow(deps, request.params.ref);
      const userId = await memberId(deps, request.params.user);
      return membershipJson(await setProgress(deps, request.principal, course, userId, request.body));
    },
  );
}
