import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../errors/index.ts';
import { activityIdsOfCourse, findActivityById, reportPage } from '../../modules/assessment/index.ts';
import {
  type Course,
  getCourseInScope,
  pageCourseMembers,
  pageCourses,
} from '../../modules/courses/index.ts';
import {
  hubIdOf,
  integerIds,
  type Platform,
  pageCourseNotifications,
  postCourseNotification,
  scopeOf,
} from '../../modules/platforms/index.ts';
import {
  activityObject,
  courseObject,
  memberObject,
  notificationObject,
  reportObject,
  scheduleObject,
} from './peerscholar.mapping.ts';
import { paging, parseFields, parsePage, pathId, timestamp } from './peerscholar.wire.ts';

const notFound = (what: string) => new AppError('route.not_found', `No such ${what}.`);
const bad = (message: string) => new AppError('request.invalid', message);

type Params = { Params: { id: string }; Querystring: Record<string, unknown> };

/** The seed's endpoints (mounted under /peerscholar/v1). Thin: map ids and wire values, call the modules. */
export async function peerScholarRoutes(
  app: FastifyInstance,
  { deps, platformOf }: { deps: Deps; platformOf: (r: FastifyRequest) => Platform },
) {
  /** A course by its integer id, if the platform's scope includes it; otherwise as absent as a missing one. */
  async function course(request: FastifyRequest<Params>): Promise<Course> {
    const id = pathId(request.params.id);
    const hubId = id === undefined ? undefined : await hubIdOf(deps, 'course', id);
    const found = hubId ? await getCourseInScope(deps, scopeOf(platformOf(request)), hubId) : undefined;
    if (!found || id === undefined) throw notFound('course');
    return found;
  }
  async function activity(request: FastifyRequest<Params>) {
    const id = pathId(request.params.id);
    const found = id === undefined ? undefined : await findActivityById(deps, id);
    const inScope = found
      ? await getCourseInScope(deps, scopeOf(platformOf(request)), found.courseId)
      : undefined;
    if (!found || !inScope) throw notFound('activity');
    return { activity: found, course: inScope };
  }
  const courseIdOf = async (hubId: string) => (await integerIds(deps, 'course', [hubId])).get(hubId) ?? 0;
  const tags = ['peerscholar'];

  app.get<{ Querystring: Record<string, unknown> }>(
    '/courses',
    { schema: { tags, summary: 'Courses within the platform’s scope (paged: pp, cp)' } },
    async (request) => {
      const page = parsePage(request.query);
      const { items, total } = await pageCourses(deps, scopeOf(platformOf(request)), page);
      const ids = await integerIds(
        deps,
        'course',
        items.map((c) => c.id),
      );
      return { paging: paging(page, total), data: items.map((c) => courseObject(c, ids.get(c.id) ?? 0)) };
    },
  );

  app.get<Params>('/course/:id', { schema: { tags, summary: 'One course' } }, async (request) => {
    const c = await course(request);
    return { data: courseObject(c, await courseIdOf(c.id)) };
  });

  app.get<Params>(
    '/course/:id/members',
    { schema: { tags, summary: 'A course’s memberships (paged)' } },
    async (request) => {
      const c = await course(request);
      const page = parsePage(request.query);
      const { items, total } = await pageCourseMembers(deps, c.id, page);
      const accounts = await integerIds(
        deps,
        'account',
        items.map((m) => m.userId),
      );
      const memberships = await integerIds(
        deps,
        'membership',
        items.map((m) => `${c.id}:${m.userId}`),
      );
      return {
        paging: paging(page, total),
        data: items.map((m) =>
          memberObject(m, memberships.get(`${c.id}:${m.userId}`) ?? 0, accounts.get(m.userId) ?? 0),
        ),
      };
    },
  );

  app.get<Params>(
    '/course/:id/notifications',
    { schema: { tags, summary: 'A course’s notifications (paged)' } },
    async (request) => {
      const c = await course(request);
      const page = parsePage(request.query);
      const { items, total } = await pageCourseNotifications(deps, c.id, page);
      const courseId = await courseIdOf(c.id);
      return { paging: paging(page, total), data: items.map((n) => notificationObject(n, courseId)) };
    },
  );

  app.post<Params & { Body: unknown }>(
    '/course/:id/notifications',
    { bodyLimit: 64 * 1024, schema: { tags, summary: 'Post a notification to a course’s members' } },
    async (request) => {
      const c = await course(request);
      const courseId = await courseIdOf(c.id);
      // The seed's example wraps the object in "data" (with a stray "]"): accept it wrapped or bare.
      const body = request.body as Record<string, unknown> | null;
      if (!body || typeof body !== 'object' || Array.isArray(body))
        throw bad('The body must be a JSON object.');
      const input = (
        typeof body.data === 'object' && body.data !== null && !Array.isArray(body.data) ? body.data : body
      ) as Record<string, unknown>;
      if (input.course_id !== undefined && String(input.course_id) !== String(courseId))
        throw bad('course_id does not match the course in the path.');
      if (typeof input.content !== 'string') throw bad('content is required (the notification text).');
      let activityId: number | null = null;
      if (input.activity_id !== undefined && input.activity_id !== null) {
        const id = pathId(String(input.activity_id));
        const a = id === undefined ? undefined : await findActivityById(deps, id);
        if (!a || a.courseId !== c.id) throw bad('activity_id is not an activity of this course.');
        activityId = a.id;
      }
      const created = await postCourseNotification(deps, platformOf(request).id, c, {
        content: input.content,
        startsAt: timestamp('startDate', input.startDate),
        endsAt: timestamp('endDate', input.endDate),
        activityId,
      });
      return { data: notificationObject(created, courseId) };
    },
  );

  app.get<Params>('/activity/:id', { schema: { tags, summary: 'One activity' } }, async (request) => {
    const { activity: a } = await activity(request);
    return { data: activityObject(a, await courseIdOf(a.courseId)) };
  });

  app.get<Params>(
    '/activity/:id/schedule',
    { schema: { tags, summary: 'An activity’s phases (paged)' } },
    async (request) => {
      const { activity: a } = await activity(request);
      const page = parsePage(request.query);
      const items = a.schedules.slice(page.offset, page.offset + page.limit);
      return { paging: paging(page, a.schedules.length), data: items.map(scheduleObject) };
    },
  );

  async function report(request: FastifyRequest<Params>, activityIds: number[]) {
    const fields = parseFields(request.query);
    const page = parsePage(request.query);
    const { items, total } = await reportPage(deps, activityIds, page);
    const accounts = await integerIds(
      deps,
      'account',
      items.map((r) => r.userId),
    );
    return {
      paging: paging(page, total),
      data: items.map((r) => reportObject(r, accounts.get(r.userId) ?? 0, fields)),
    };
  }

  app.get<Params>(
    '/activity/:id/report',
    { schema: { tags, summary: 'Per-student report (incl / type select fields)' } },
    async (request) => {
      const { activity: a } = await activity(request);
      return report(request, [a.id]);
    },
  );

  app.get<Params>(
    '/course/:id/report',
    { schema: { tags, summary: 'Per-student reports of every activity of a course' } },
    async (request) => {
      const c = await course(request);
      return report(request, await activityIdsOfCourse(deps, c.id));
    },
  );
}
