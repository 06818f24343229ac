import type { FastifyInstance } from 'fastify';
import { type Static, Type } from 'typebox';
import type { Deps } from '../../deps.ts';
import { createClass, listCourseClasses } from './courses.classes.ts';
import { courseErrors } from './courses.errors.ts';
import {
  ClassBody,
  ClassJson,
  CourseBody,
  CourseJson,
  RefParams,
  SearchQuery,
  SearchResultJson,
  ShortcodeParams,
} from './courses.schemas.ts';
import { searchCoursesJson } from './courses.search.ts';
import {
  type Course,
  createCourse,
  deleteCourse,
  resolveCourseRef,
  updateCourse,
  upsertCourseByShortcode,
} from './courses.usecases.ts';
import { classJson, courseInput, courseJson } from './courses.views.ts';

const owners = { principals: ['app', 'app_user', 'user', 'institution', 'operator'] as const };
const security: Record<string, string[]>[] = [{ bearer: [] }, { session: [] }];

export async function courseOrThrow(deps: Deps, ref: string): Promise<Course> {
  const course = await resolveCourseRef(deps, ref);
  if (!course) throw courseErrors.notFound();
  return course;
}

/** The course register: `/api/v1/courses`. */
export async function courseRoutes(app: FastifyInstance, { deps }: { deps: Deps }) {
  app.get<{ Querystring: Static<typeof SearchQuery> }>(
    '/api/v1/courses',
    {
      schema: {
        tags: ['courses'],
        summary:
          'Search the register: ranked full text (title > tags > description), misspelling fallback, facets',
        querystring: SearchQuery,
        response: { 200: SearchResultJson },
      },
    },
    async (request, reply) => {
      const { q, style, language, limit, cursor, facets } = request.query;
      const tags = request.query.tags
        ?.split(',')
        .map((t) => t.trim().toLowerCase())
        .filter((t) => t.length > 0);
      const body = await searchCoursesJson(deps, { q, tags, style, language, limit, cursor, facets });
      // PostgreSQL built the body in the schema's shape (see courses.search.repository.ts): sent as is.
      return reply.type('application/json; charset=utf-8').send(body);
    },
  );

  app.post<{ Body: Static<typeof CourseBody> }>(
    '/api/v1/courses',
    {
      schema: {
        tags: ['courses'],
        summary: 'Publish a course; the caller (app, institution or user) owns it',
        security,
        body: CourseBody,
        response: { 201: CourseJson },
      },
      config: owners,
    },
    async (request, reply) => {
      const course = await createCourse(deps, request.principal, courseInput(request.body));
      return reply.code(201).header('location', `/api/v1/courses/${course.id}`).send(courseJson(course));
    },
  );

  app.put<{ Params: Static<typeof ShortcodeParams>; Body: Static<typeof CourseBody> }>(
    '/api/v1/courses/:shortcode',
    {
      schema: {
        tags: ['courses'],
        summary: "Create or update the caller's course with this shortcode (idempotent)",
        security,
        params: ShortcodeParams,
        body: CourseBody,
        response: { 200: CourseJson, 201: CourseJson },
      },
      config: owners,
    },
    async (request, reply) => {
      const { course, created } = await upsertCourseByShortcode(
        deps,
        request.principal,
        request.params.shortcode,
        courseInput(request.body),
      );
      return reply.code(created ? 201 : 200).send(courseJson(course));
    },
  );

  app.get<{ Params: Static<typeof RefParams> }>(
    '/api/v1/courses/:ref',
    {
      schema: {
        tags: ['courses'],
        summary: 'A course by id or path',
        params: RefParams,
        response: { 200: CourseJson },
      },
    },
    async (request) => courseJson(await courseOrThrow(deps, request.params.ref)),
  );

  app.patch<{ Params: Static<typeof RefParams>; Body: Static<typeof CourseBody> }>(
    '/api/v1/courses/:ref',
    {
      schema: {
        tags: ['courses'],
        summary: 'Change a course (owner or its admins only)',
        security,
        params: RefParams,
        body: CourseBody,
        response: { 200: CourseJson },
      },
      config: owners,
    },
    async (request) => {
      const course = await courseOrThrow(deps, request.params.ref);
      return courseJson(await updateCourse(deps, request.principal, course, courseInput(request.body)));
    },
  );

  app.delete<{ Params: Static<typeof RefParams> }>(
    '/api/v1/courses/:ref',
    {
      schema: {
        tags: ['courses'],
        summary: 'Delete a course (owner or its admins only)',
        security,
        params: RefParams,
        response: { 204: Type.Null() },
      },
      config: owners,
    },
    async (request, reply) => {
      await deleteCourse(deps, request.principal, await courseOrThrow(deps, request.params.ref));
      return reply.code(204).send();
    },
  );

  app.get<{ Params: Static<typeof RefParams> }>(
    '/api/v1/courses/:ref/classes',
    {
      schema: {
        tags: ['courses'],
        summary: 'The classes (cohorts) of a course',
        params: RefParams,
        response: { 200: Type.Object({ data: Type.Array(ClassJson) }) },
      },
    },
    async (request) => {
      const course = await courseOrThrow(deps, request.params.ref);
      return { data: (await listCourseClasses(deps, course)).map(classJson) };
    },
  );

  app.post<{ Params: Static<typeof RefParams>; Body: Static<typeof ClassBody> }>(
    '/api/v1/courses/:ref/classes',
    {
      schema: {
        tags: ['courses'],
        summary: 'Add a class (owner only)',
        security,
        params: RefParams,
        body: ClassBody,
        response: { 201: ClassJson },
      },
      config: owners,
    },
    async (request, reply) => {
      const course = await courseOrThrow(deps, request.params.ref);
      const b = request.body;
      const cls = await createClass(deps, request.principal, course, {
        title: b.title,
        type: b.type,
        isBilled: b.is_billed,
        price: b.price,
        currency: b.currency,
        activationCode: b.activation_code,
        startDate: b.start_date,
      });
      return reply.code(201).send(classJson(cls));
    },
  );
}
