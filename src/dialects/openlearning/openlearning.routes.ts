import type { FastifyInstance } from 'fastify';
import { type Static, Type } from 'typebox';
import type { Deps } from '../../deps.ts';
import {
  addCourseAdminByEmail,
  courseErrors,
  createClass,
  createCourse,
  getClassByPath,
  listCourseAdminEmails,
  listCourseClasses,
  updateClass,
  updateCourse,
} from '../../modules/courses/index.ts';
import {
  basicAuth,
  classJson,
  classUrl,
  courseByPath,
  coursePathOf,
  fields,
  getAndPost,
} from './openlearning.mapping.ts';
import {
  ClassBody,
  ClassFields,
  CourseFields,
  errors,
  Success,
  WildcardParams,
} from './openlearning.schemas.ts';

type Params = Static<typeof WildcardParams>;
type CourseF = Static<typeof CourseFields>;
type ClassF = Static<typeof ClassFields>;
const security = [{ openLearningBasic: [] }];
const tags = ['openlearning'];

/** Provisioning and course/class setup: the seed's first half. */
export async function openLearningProvisionRoutes(app: FastifyInstance, { deps }: { deps: Deps }) {
  app.addHook('onRequest', basicAuth(deps));

  getAndPost(app, {
    url: '/api/provision/course/*',
    schema: {
      tags,
      summary: 'Provision a new course at <New Course Path>',
      security,
      params: WildcardParams,
      fields: CourseFields,
      response: {
        200: Type.Object({ success: Type.Boolean(), path: Type.String(), url: Type.String() }),
        ...errors,
      },
    },
    handler: async (request) => {
      const f = fields<CourseF>(request);
      const course = await createCourse(deps, request.principal, {
        path: coursePathOf(request.params['*']),
        title: f.title ?? '',
        category: f.category ?? null,
      });
      return { success: true, path: `courses/${course.path}`, url: course.url };
    },
  });

  getAndPost(app, {
    url: '/api/provision/class/*',
    schema: {
      tags,
      summary: 'Provision a new class within an existing course',
      security,
      params: WildcardParams,
      fields: ClassFields,
      response: { 200: ClassBody, ...errors },
    },
    handler: async (request) => {
      const course = await courseByPath(deps, request.params['*']);
      const f = fields<ClassF>(request);
      const cls = await createClass(deps, request.principal, course, {
        title: f.title ?? '',
        type: f.type,
        isBilled: f.isBilled,
        price: f.studentPrice,
        currency: f.currency,
        activationCode: f.activationCode,
        startDate: f.startDate,
      });
      return { success: true, class: classJson(cls) };
    },
  });

  getAndPost(app, {
    url: '/api/course/status/*',
    schema: {
      tags,
      summary: 'Change the online/offline status of a course',
      security,
      params: WildcardParams,
      fields: CourseFields,
      response: { 200: Type.Object({ success: Type.Boolean(), status: Type.String() }), ...errors },
    },
    handler: async (request) => {
      const course = await courseByPath(deps, request.params['*']);
      const status = fields<CourseF>(request).status;
      if (status !== 'online' && status !== 'offline')
        throw courseErrors.invalid('status', 'must be online or offline');
      const updated = await updateCourse(deps, request.principal, course, { status });
      return { success: true, status: updated.status };
    },
  });

  app.get<{ Params: Params }>(
    '/api/course/admins/*',
    {
      schema: {
        tags,
        summary: 'List course administrators',
        security,
        params: WildcardParams,
        response: {
          200: Type.Object({ admins: Type.Array(Type.String()), success: Type.Boolean() }),
          ...errors,
        },
      },
    },
    async (request) => {
      const course = await courseByPath(deps, request.params['*']);
      return { admins: await listCourseAdminEmails(deps, request.principal, course), success: true };
    },
  );

  app.post<{ Params: Params; Body: CourseF }>(
    '/api/course/admins/*',
    {
      schema: {
        tags,
        summary: 'Add a course administrator (email_address of a hub account)',
        security,
        params: WildcardParams,
        body: CourseFields,
        response: { 200: Success, ...errors },
      },
    },
    async (request) => {
      const course = await courseByPath(deps, request.params['*']);
      const email = request.body?.email_address;
      if (!email) throw courseErrors.invalid('email_address', 'is required');
      await addCourseAdminByEmail(deps, request.principal, course, email);
      return { success: true };
    },
  );

  app.get<{ Params: Params }>(
    '/api/course/classes/*',
    {
      schema: {
        tags,
        summary: 'List classes in a course',
        security,
        params: WildcardParams,
        response: {
          200: Type.Object({
            classes: Type.Array(
              Type.Object({ path: Type.String(), title: Type.String(), url: Type.String() }),
            ),
            success: Type.Boolean(),
          }),
          ...errors,
        },
      },
    },
    async (request) => {
      const course = await courseByPath(deps, request.params['*']);
      const classes = await listCourseClasses(deps, course);
      return {
        classes: classes.map((c) => ({ path: `courses/${c.path}`, title: c.title, url: classUrl(deps, c) })),
        success: true,
      };
    },
  );

  getAndPost(app, {
    url: '/api/class/*',
    schema: {
      tags,
      summary: 'Change properties of a class',
      security,
      params: WildcardParams,
      fields: ClassFields,
      response: { 200: ClassBody, ...errors },
    },
    handler: async (request) => {
      const cls = await getClassByPath(deps, request.params['*']);
      if (!cls) throw courseErrors.classNotFound();
      const f = fields<ClassF>(request);
      const updated = await updateClass(deps, request.principal, cls, {
        title: f.title,
        type: f.type,
        isBilled: f.isBilled,
        price: f.studentPrice,
        currency: f.currency,
        activationCode: f.activationCode,
        startDate: f.startDate,
      });
      return { success: true, class: classJson(updated) };
    },
  });
}
