import type { FastifyInstance } from 'fastify';
import { type Static, Type } from 'typebox';
import type { Deps } from '../../deps.ts';
import { assertCsrf, csrfToken, installPageErrorHandler, renderPage, sendHtml } from '../../web/index.ts';
import { sessionUser } from '../identity/index.ts';
import { listCourseClasses } from './courses.classes.ts';
import { joinCourse } from './courses.enrolment.ts';
import { courseErrors } from './courses.errors.ts';
import { CoursePage, RegisterPage } from './courses.pages.view.tsx';
import { findMembership } from './courses.repository.ts';
import { searchCourses } from './courses.search.ts';
import { getCourseByPath } from './courses.usecases.ts';

const RegisterQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 200 })),
    style: Type.Optional(Type.String({ maxLength: 50 })),
    language: Type.Optional(Type.String({ maxLength: 20 })),
    tags: Type.Optional(Type.String({ maxLength: 200 })),
    cursor: Type.Optional(Type.String({ maxLength: 300 })),
  },
  { additionalProperties: false },
);
const PathParams = Type.Object({ path: Type.String({ maxLength: 100 }) });
const CourseQuery = Type.Object(
  { joined: Type.Optional(Type.String({ maxLength: 5 })) },
  { additionalProperties: false },
);
const JoinForm = Type.Object(
  {
    _csrf: Type.String({ maxLength: 200 }),
    class_id: Type.Optional(Type.String({ maxLength: 40 })),
    activation_code: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);

/** The register's pages: `/courses` (search, filters, result pages) and `/courses/<path>` (sign-up). */
export async function coursePages(app: FastifyInstance, { deps }: { deps: Deps }) {
  installPageErrorHandler(app);

  app.get<{ Querystring: Static<typeof RegisterQuery> }>(
    '/courses',
    { schema: { hide: true, querystring: RegisterQuery } },
    async (request, reply) => {
      const { q = '', style = '', language = '', tags = '', cursor } = request.query;
      const tagList = tags
        .split(',')
        .map((t) => t.trim().toLowerCase())
        .filter((t) => t.length > 0);
      const [result, viewer] = await Promise.all([
        searchCourses(deps, {
          q,
          style: style || undefined,
          language: language || undefined,
          tags: tagList,
          cursor,
          limit: 20,
        }),
        sessionUser(deps, request),
      ]);
      const params = new URLSearchParams({ q, style, language, tags });
      const nextHref = result.nextCursor ? `/courses?${params.toString()}&cursor=${result.nextCursor}` : null;
      const view = {
        q,
        style,
        language,
        tags,
        courses: result.courses,
        facets: result.facets,
        fuzzy: result.fuzzy,
        nextHref,
      };
      return sendHtml(
        reply,
        renderPage({
          title: 'Courses',
          signedIn: viewer !== undefined,
          children: <RegisterPage view={view} />,
        }),
      );
    },
  );

  app.get<{ Params: Static<typeof PathParams>; Querystring: Static<typeof CourseQuery> }>(
    '/courses/:path',
    { schema: { hide: true, params: PathParams, querystring: CourseQuery } },
    async (request, reply) => {
      const course = await getCourseByPath(deps, request.params.path);
      if (!course) throw courseErrors.notFound();
      const [classes, viewer] = await Promise.all([
        listCourseClasses(deps, course),
        sessionUser(deps, request),
      ]);
      const membership = viewer ? await findMembership(deps.db, course.id, viewer.id) : undefined;
      const view = {
        course,
        classes,
        signedIn: viewer !== undefined,
        enrolled: membership?.status === 'active',
        csrf: viewer ? csrfToken(request, reply, deps.secretKey) : null,
        notice: request.query.joined ? 'Welcome! You are signed up.' : null,
      };
      return sendHtml(
        reply,
        renderPage({
          title: course.title,
          signedIn: viewer !== undefined,
          children: <CoursePage view={view} />,
        }),
      );
    },
  );

  app.post<{ Params: Static<typeof PathParams>; Body: Static<typeof JoinForm> }>(
    '/courses/:path/join',
    { schema: { hide: true, params: PathParams, body: JoinForm }, config: { principals: ['user'] } },
    async (request, reply) => {
      assertCsrf(request, deps.secretKey);
      const course = await getCourseByPath(deps, request.params.path);
      if (!course) throw courseErrors.notFound();
      await joinCourse(deps, request.principal, course, {
        classId: request.body.class_id || undefined,
        activationCode: request.body.activation_code || undefined,
      });
      return reply.code(303).header('location', `/courses/${course.path}?joined=1`).send();
    },
  );
}
