import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type Static, Type } from 'typebox';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../errors/index.ts';
import { assertCsrf, csrfToken, installPageErrorHandler, renderPage, sendHtml } from '../../web/index.ts';
import { requireSignedInUser, sessionUser, type User } from '../identity/index.ts';
import { listCourseClasses } from './courses.classes.ts';
import { joinCourse } from './courses.enrolment.ts';
import { courseErrors } from './courses.errors.ts';
import { AmbiguousPage, CoursePage, type CourseView, type JoinForm } from './courses.pages.course.tsx';
import { COURSES_CSS } from './courses.pages.css.ts';
import {
  courseOrganisers,
  lookupCoursePage,
  type PageCourse,
  relatedCourses,
  withPageHrefs,
} from './courses.pages.data.ts';
import { RegisterPage, type RegisterView, registerHref } from './courses.pages.register.tsx';
import { findMembership } from './courses.repository.ts';
import { type SearchResult, searchCourses } from './courses.search.ts';
import { canManage } from './courses.usecases.ts';

// Unknown parameters (tracking tags, old links) are ignored rather than refused; lengths are checked
// in the handler so a too-long query comes back on the page, next to the search box.
const RegisterQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 2000 })),
  style: Type.Optional(Type.String({ maxLength: 200 })),
  language: Type.Optional(Type.String({ maxLength: 200 })),
  tags: Type.Optional(Type.String({ maxLength: 2000 })),
  cursor: Type.Optional(Type.String({ maxLength: 2000 })),
});
const PathParams = Type.Object({ path: Type.String({ maxLength: 100 }) });
const CourseQuery = Type.Object({ joined: Type.Optional(Type.String({ maxLength: 5 })) });
const JoinBody = Type.Object({
  _csrf: Type.Optional(Type.String({ maxLength: 200 })),
  class_id: Type.Optional(Type.String({ maxLength: 40 })),
  activation_code: Type.Optional(Type.String({ maxLength: 200 })),
});

const PAGE_SIZE = 20;
const MAX_Q = 200;
const MAX_TAGS = 5;

const userPrincipal = (user: User) => ({ kind: 'user', userId: user.id, admin: user.admin }) as const;

/** What a failed sign-up says, next to which field, with which status. */
function joinProblem(error: AppError): { field: string; message: string; status: number } | undefined {
  switch (error.code) {
    case 'courses.bad_activation_code':
      return {
        field: 'activation_code',
        message: 'That activation code is not right for this class. Check it with your organiser.',
        status: 403,
      };
    case 'courses.class_closed':
      return {
        field: 'class_id',
        message: 'This class is closed or full: choose another class.',
        status: 403,
      };
    case 'courses.invite_only':
      return { field: 'class_id', message: 'This class is by invitation only.', status: 403 };
    case 'courses.class_not_found':
      return { field: 'class_id', message: 'Choose one of the classes listed.', status: 400 };
    case 'courses.email_unverified':
      return {
        field: 'form',
        message: 'Confirm your email address first (see your account page): your invitation counts then.',
        status: 403,
      };
    case 'csrf.invalid':
      return {
        field: 'form',
        message: 'The form was out of date. Check your choices and press Sign up again.',
        status: 403,
      };
    default:
      return undefined;
  }
}

/** The register's pages: `/courses` (search, filters, paging) and `/courses/<shortcode or path>`. */
export async function coursePages(app: FastifyInstance, { deps }: { deps: Deps }) {
  installPageErrorHandler(app);

  app.get(
    '/assets/courses.css',
    { schema: { hide: true }, config: { rateLimit: false } },
    async (_r, reply) =>
      reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(COURSES_CSS),
  );

  app.get<{ Querystring: Static<typeof RegisterQuery> }>(
    '/courses',
    { schema: { hide: true, querystring: RegisterQuery } },
    async (request, reply) => {
      const query = request.query;
      const filters = {
        q: (query.q ?? '').trim(),
        style: (query.style ?? '').trim().slice(0, 50),
        language: (query.language ?? '').trim().slice(0, 20),
        tags: (query.tags ?? '')
          .split(',')
          .map((t) => t.trim().toLowerCase())
          .filter((t) => t.length > 0 && t.length <= 50)
          .slice(0, MAX_TAGS)
          .join(','),
      };
      let problem: RegisterView['problem'] = null;
      let status = 200;
      let cursor = query.cursor;
      if (filters.q.length > MAX_Q) {
        problem = { field: 'q', message: `Use at most ${MAX_Q} characters (this is ${filters.q.length}).` };
        status = 400;
      }
      const search = (after: string | undefined): Promise<SearchResult> =>
        searchCourses(deps, {
          q: problem?.field === 'q' ? '' : filters.q,
          style: filters.style || undefined,
          language: filters.language || undefined,
          tags: filters.tags ? filters.tags.split(',') : [],
          cursor: after,
          limit: PAGE_SIZE,
        });
      let result: SearchResult;
      try {
        result = await search(problem ? undefined : cursor);
      } catch (error) {
        if (!(error instanceof AppError) || error.code !== 'courses.invalid_input') throw error;
        // A forged, damaged or stale page link: say so, and show the first page instead.
        problem = {
          field: 'cursor',
          message: 'That page link is damaged or belongs to another search, so this is the first page.',
        };
        status = 400;
        cursor = undefined;
        result = await search(undefined);
      }
      const viewer = await sessionUser(deps, request);
      const base = registerHref(filters);
      const sep = base.includes('?') ? '&' : '?';
      const view: RegisterView = {
        ...filters,
        courses: await withPageHrefs(deps, result.courses),
        facets: result.facets,
        total: result.total,
        fuzzy: result.fuzzy,
        nextHref: result.nextCursor ? `${base}${sep}cursor=${encodeURIComponent(result.nextCursor)}` : null,
        firstHref: cursor ? base : null,
        problem,
      };
      return sendHtml(
        reply,
        renderPage({
          title: 'Courses',
          signedIn: viewer !== undefined,
          children: <RegisterPage view={view} />,
        }),
        status,
      );
    },
  );

  /** The course by its URL segment; an old or differently-cased link is sent to the readable URL. */
  async function courseAt(
    request: FastifyRequest<{ Params: Static<typeof PathParams> }>,
    reply: FastifyReply,
  ) {
    const found = await lookupCoursePage(deps, request.params.path);
    if (found.kind === 'none') throw courseErrors.notFound();
    if (found.kind === 'ambiguous') {
      const viewer = await sessionUser(deps, request);
      await sendHtml(
        reply,
        renderPage({
          title: `Courses with the code ${found.code}`,
          signedIn: viewer !== undefined,
          children: <AmbiguousPage view={found} />,
        }),
        300,
      );
      return undefined;
    }
    return found.course;
  }

  async function renderCourse(
    request: FastifyRequest,
    reply: FastifyReply,
    course: PageCourse,
    options: { viewer: User | undefined; form?: JoinForm; status?: number; notice?: string | null },
  ) {
    const { viewer } = options;
    const [classes, organisers, related, membership, manage] = await Promise.all([
      listCourseClasses(deps, course),
      courseOrganisers(deps, course),
      relatedCourses(deps, course),
      viewer ? findMembership(deps.db, course.id, viewer.id) : undefined,
      viewer ? canManage(deps, course, userPrincipal(viewer)) : false,
    ]);
    const view: CourseView = {
      course,
      classes,
      organisers,
      related,
      signedIn: viewer !== undefined,
      enrolled: membership?.status === 'active',
      canManage: manage,
      csrf: viewer ? csrfToken(request, reply, deps.secretKey) : null,
      notice: options.notice ?? null,
      form: options.form ?? { classId: '', activationCode: '', errors: {} },
    };
    return sendHtml(
      reply,
      renderPage({
        title: course.title,
        signedIn: viewer !== undefined,
        children: <CoursePage view={view} />,
      }),
      options.status ?? 200,
    );
  }

  app.get<{ Params: Static<typeof PathParams>; Querystring: Static<typeof CourseQuery> }>(
    '/courses/:path',
    { schema: { hide: true, params: PathParams, querystring: CourseQuery } },
    async (request, reply) => {
      const course = await courseAt(request, reply);
      if (!course) return reply;
      if (course.href !== `/courses/${encodeURIComponent(request.params.path)}`) {
        const search = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
        return reply.redirect(`${course.href}${search}`, 301);
      }
      const viewer = await sessionUser(deps, request);
      const notice = request.query.joined ? 'Welcome! You are signed up.' : null;
      return renderCourse(request, reply, course, { viewer, notice });
    },
  );

  app.post<{ Params: Static<typeof PathParams>; Body: Static<typeof JoinBody> }>(
    '/courses/:path/join',
    { schema: { hide: true, params: PathParams, body: JoinBody } },
    async (request, reply) => {
      const course = await courseAt(request, reply);
      if (!course) return reply;
      const viewer = await requireSignedInUser(deps, request, reply, course.href);
      if (!viewer) return reply;
      const form = {
        classId: request.body.class_id ?? '',
        activationCode: request.body.activation_code ?? '',
      };
      try {
        assertCsrf(request, deps.secretKey);
        const { created } = await joinCourse(deps, userPrincipal(viewer), course, {
          classId: form.classId || undefined,
          activationCode: form.activationCode || undefined,
        });
        if (!created)
          return renderCourse(request, reply, course, {
            viewer,
            status: 409,
            form: { ...form, errors: { form: 'You had already joined this course.' } },
          });
      } catch (error) {
        const problem = error instanceof AppError ? joinProblem(error) : undefined;
        if (!problem) throw error;
        return renderCourse(request, reply, course, {
          viewer,
          status: problem.status,
          form: { ...form, errors: { [problem.field]: problem.message } },
        });
      }
      return reply.redirect(`${course.href}?joined=1`, 303);
    },
  );
}
