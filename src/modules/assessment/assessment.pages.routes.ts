import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type Static, Type } from 'typebox';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../errors/index.ts';
import type { Principal } from '../../http/principal.ts';
import { assertCsrf, csrfToken, sendHtml } from '../../web/index.ts';
import { getCourseById } from '../courses/index.ts';
import { requireSignedInUser, type User } from '../identity/index.ts';
import { roleIn } from './assessment.access.ts';
import { createActivity, getActivity, listActivities } from './assessment.activities.ts';
import { clearBadgeRule, getBadgeRule, setBadgeRule } from './assessment.badges.ts';
import { assessmentErrors } from './assessment.errors.ts';
import { myGrade } from './assessment.gradebook.ts';
import { instructorPage, listPage, newActivityPage } from './assessment.pages.staff.tsx';
import { studentPage } from './assessment.pages.tsx';
import { setPhase } from './assessment.phases.ts';
import { canEditActivity, canSeeProgress, canSetBadgeRule } from './assessment.policies.ts';
import { activityProgress, gradesCsv } from './assessment.progress.ts';
import { findActivity } from './assessment.repository.ts';
import { myFeedback, myReviews, rateReview, saveReview } from './assessment.reviews.ts';
import { myWork, reviseWork, saveWork } from './assessment.work.ts';

const IdParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }) });
const ReviewParams = Type.Object({ id: IdParams.properties.id, reviewId: Type.String({ maxLength: 64 }) });
const CourseParams = Type.Object({ courseId: Type.String({ format: 'uuid' }) });
/** Urlencoded forms; the rubric fields are named after the activity's criteria, so the keys vary. */
const Form = Type.Record(Type.String({ maxLength: 100 }), Type.String({ maxLength: 200_000 }));
const DoneQuery = Type.Object({ done: Type.Optional(Type.String({ maxLength: 20 })) });
const page = { hide: true } as const;

/** Fixed messages after an action, so nothing from the URL is echoed into the page. */
const DONE: Record<string, string> = {
  draft: 'Your draft is saved.',
  submitted: 'Your work is submitted.',
  review: 'Your review is saved.',
  reviewed: 'Your review is submitted.',
  rated: 'Thank you: your rating is saved.',
  revised: 'Your revision is saved.',
  badge: 'The badge rule is saved.',
  nobadge: 'The badge rule is removed.',
  phase: 'The phase changed.',
  created: 'The activity is created. Open its Create phase when you are ready.',
};

const principalOf = (user: User): Principal => ({ kind: 'user', userId: user.id, admin: user.admin });

/** Scores out of a rubric form: `<prefix><criterion id>` fields, as numbers (validated by the use-case). */
function scoresFrom(form: Record<string, string>, prefix: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(form))
    if (k.startsWith(prefix)) out[k.slice(prefix.length)] = v.trim() === '' ? v : Number(v);
  return out;
}

/** Peer assessment for people: `/assessment/<id>` (the student's or the instructor's view) and its forms. */
export async function assessmentPages(app: FastifyInstance, { deps }: { deps: Deps }): Promise<void> {
  /** The activity as this person may see it; 403 (not 404) when it exists in a course they are not in. */
  async function load(principal: Principal, id: number) {
    try {
      return await getActivity(deps, principal, id);
    } catch (error) {
      if (
        error instanceof AppError &&
        error.code === 'assessment.not_found' &&
        (await findActivity(deps.db, id))
      )
        throw assessmentErrors.notMember();
      throw error;
    }
  }

  async function render(
    request: FastifyRequest,
    reply: FastifyReply,
    user: User,
    id: number,
    extra: { notice?: string | undefined; error?: string | undefined },
    status = 200,
  ) {
    const principal = principalOf(user);
    const activity = await load(principal, id);
    const csrf = csrfToken(request, reply, deps.secretKey);
    if (canSeeProgress(activity.role)) {
      const progress = await activityProgress(deps, principal, id);
      const canSetBadge = canSetBadgeRule(activity.role);
      const badgeRule = canSetBadge ? await getBadgeRule(deps, principal, id) : null;
      return sendHtml(
        reply,
        instructorPage({
          activity,
          csrf,
          progress,
          canEdit: canEditActivity(activity.role),
          canSetBadge,
          badgeRule,
          ...extra,
        }),
        status,
      );
    }
    const student = activity.role === 'student';
    const [work, reviews, feedback, grade] = student
      ? await Promise.all([
          myWork(deps, principal, id),
          myReviews(deps, principal, id),
          myFeedback(deps, principal, id),
          myGrade(deps, principal, id),
        ])
      : [undefined, [], [], undefined];
    return sendHtml(
      reply,
      studentPage({ activity, csrf, work: work?.submission, reviews, feedback, grade, ...extra }),
      status,
    );
  }

  /** A form post: signed in, CSRF checked, the action done; a refusal re-renders the page with its message. */
  async function act(
    request: FastifyRequest<{ Params: { id: number }; Body: Static<typeof Form> }>,
    reply: FastifyReply,
    run: (principal: Principal) => Promise<string>,
  ) {
    const user = await requireSignedInUser(deps, request, reply, `/assessment/${request.params.id}`);
    if (!user) return reply;
    assertCsrf(request, deps.secretKey);
    try {
      const done = await run(principalOf(user));
      return reply.redirect(`/assessment/${request.params.id}?done=${done}`, 303);
    } catch (error) {
      const known = error instanceof AppError && error.status < 500 && error.code !== 'csrf.invalid';
      if (!known || ['assessment.not_found', 'assessment.not_member'].includes(error.code)) throw error;
      return render(request, reply, user, request.params.id, { error: error.message }, error.status);
    }
  }

  app.get<{ Params: Static<typeof IdParams>; Querystring: Static<typeof DoneQuery> }>(
    '/assessment/:id',
    { schema: { ...page, params: IdParams, querystring: DoneQuery } },
    async (request, reply) => {
      const user = await requireSignedInUser(deps, request, reply);
      if (!user) return reply;
      const notice = request.query.done ? DONE[request.query.done] : undefined;
      return render(request, reply, user, request.params.id, { notice });
    },
  );

  app.post<{ Params: Static<typeof IdParams>; Body: Static<typeof Form> }>(
    '/assessment/:id/work',
    { schema: { ...page, params: IdParams, body: Form } },
    (request, reply) =>
      act(request, reply, async (principal) => {
        const submit = request.body.action === 'submit';
        const self = scoresFrom(request.body, 'self_');
        await saveWork(deps, principal, request.params.id, {
          content: request.body.content ?? '',
          submit,
          selfScores: Object.keys(self).length > 0 ? self : undefined,
        });
        return submit ? 'submitted' : 'draft';
      }),
  );

  app.post<{ Params: Static<typeof ReviewParams>; Body: Static<typeof Form> }>(
    '/assessment/:id/reviews/:reviewId',
    { schema: { ...page, params: ReviewParams, body: Form } },
    (request, reply) =>
      act(request, reply, async (principal) => {
        const submit = request.body.action === 'submit';
        const prefix = /^r\d{1,3}_$/.test(request.body.prefix ?? '') ? (request.body.prefix ?? '') : 'r0_';
        await saveReview(deps, principal, request.params.id, request.params.reviewId, {
          scores: scoresFrom(request.body, prefix),
          comment: request.body.comment ?? '',
          submit,
        });
        return submit ? 'reviewed' : 'review';
      }),
  );

  app.post<{ Params: Static<typeof ReviewParams>; Body: Static<typeof Form> }>(
    '/assessment/:id/feedback/:reviewId',
    { schema: { ...page, params: ReviewParams, body: Form } },
    (request, reply) =>
      act(request, reply, async (principal) => {
        const rating = Number(request.body.helpfulness);
        await rateReview(deps, principal, request.params.id, request.params.reviewId, rating);
        return 'rated';
      }),
  );

  app.post<{ Params: Static<typeof IdParams>; Body: Static<typeof Form> }>(
    '/assessment/:id/revise',
    { schema: { ...page, params: IdParams, body: Form } },
    (request, reply) =>
      act(request, reply, async (principal) => {
        const self = scoresFrom(request.body, 'self_');
        await reviseWork(deps, principal, request.params.id, {
          content: request.body.content ?? '',
          selfScores: Object.keys(self).length > 0 ? self : undefined,
        });
        return 'revised';
      }),
  );

  app.post<{ Params: Static<typeof IdParams>; Body: Static<typeof Form> }>(
    '/assessment/:id/badge-rule',
    { schema: { ...page, params: IdParams, body: Form } },
    (request, reply) =>
      act(request, reply, async (principal) => {
        if (request.body.action === 'clear') {
          await clearBadgeRule(deps, principal, request.params.id);
          return 'nobadge';
        }
        // A blank minimum grade is the completion rule; anything else must read as a number (0-100).
        const min = (request.body.min_grade ?? '').trim();
        const minGrade = min === '' ? null : /^\d{1,3}(\.\d{1,2})?$/.test(min) ? Number(min) : min;
        await setBadgeRule(deps, principal, request.params.id, {
          badgeId: (request.body.badge_id ?? '').trim(),
          minGrade,
        });
        return 'badge';
      }),
  );

  app.post<{ Params: Static<typeof IdParams>; Body: Static<typeof Form> }>(
    '/assessment/:id/phase',
    { schema: { ...page, params: IdParams, body: Form } },
    (request, reply) =>
      act(request, reply, async (principal) => {
        const [phase, action] = (request.body.change ?? '').split(':');
        if (
          !['Create', 'Assess', 'Reflect'].includes(phase ?? '') ||
          (action !== 'open' && action !== 'close')
        )
          throw assessmentErrors.invalid('change', 'must be <phase>:open or <phase>:close');
        await setPhase(deps, principal, request.params.id, phase as 'Create', action);
        return 'phase';
      }),
  );

  app.get<{ Params: Static<typeof IdParams> }>(
    '/assessment/:id/grades.csv',
    { schema: { ...page, params: IdParams } },
    async (request, reply) => {
      const user = await requireSignedInUser(deps, request, reply);
      if (!user) return reply;
      const principal = principalOf(user);
      await load(principal, request.params.id);
      const csv = await gradesCsv(deps, principal, request.params.id);
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="activity-${request.params.id}-grades.csv"`)
        .header('cache-control', 'private, no-store')
        .send(csv);
    },
  );

  /** A course's activities, and (for its builders and instructors) a form for a new one. */
  async function courseFor(user: User, courseId: string) {
    const course = await getCourseById(deps, courseId);
    if (!course) throw assessmentErrors.courseNotFound();
    const role = await roleIn(deps, course, principalOf(user));
    if (role === 'none') throw assessmentErrors.notMember();
    return { course, role };
  }

  app.get<{ Params: Static<typeof CourseParams> }>(
    '/assessment/course/:courseId',
    { schema: { ...page, params: CourseParams } },
    async (request, reply) => {
      const user = await requireSignedInUser(deps, request, reply);
      if (!user) return reply;
      const { course, role } = await courseFor(user, request.params.courseId);
      const activities = await listActivities(deps, principalOf(user), course.id);
      return sendHtml(
        reply,
        listPage({
          courseTitle: course.title,
          courseId: course.id,
          activities,
          canCreate: canEditActivity(role),
        }),
      );
    },
  );

  app.get<{ Params: Static<typeof CourseParams> }>(
    '/assessment/course/:courseId/new',
    { schema: { ...page, params: CourseParams } },
    async (request, reply) => {
      const user = await requireSignedInUser(deps, request, reply);
      if (!user) return reply;
      const { course, role } = await courseFor(user, request.params.courseId);
      if (!canEditActivity(role)) throw assessmentErrors.notInstructor();
      const csrf = csrfToken(request, reply, deps.secretKey);
      return sendHtml(reply, newActivityPage({ courseId: course.id, courseTitle: course.title, csrf }));
    },
  );

  app.post<{ Params: Static<typeof CourseParams>; Body: Static<typeof Form> }>(
    '/assessment/course/:courseId/new',
    { schema: { ...page, params: CourseParams, body: Form } },
    async (request, reply) => {
      const user = await requireSignedInUser(
        deps,
        request,
        reply,
        `/assessment/course/${request.params.courseId}`,
      );
      if (!user) return reply;
      assertCsrf(request, deps.secretKey);
      const { course, role } = await courseFor(user, request.params.courseId);
      if (!canEditActivity(role)) throw assessmentErrors.notInstructor();
      const body = request.body;
      try {
        const created = await createActivity(deps, principalOf(user), course.id, {
          title: body.title ?? '',
          instructions: body.instructions ?? '',
          rubric: [
            {
              id: 'c1',
              title: (body.criterion ?? '').trim() || 'Quality',
              min: 0,
              max: Number(body.max),
              weight: 1,
            },
          ],
          reviewersPerSubmission: Number(body.reviewers),
          anonymity: body.anonymity ?? 'double',
        });
        return reply.redirect(`/assessment/${created.id}?done=created`, 303);
      } catch (error) {
        if (!(error instanceof AppError) || error.status >= 500) throw error;
        const csrf = csrfToken(request, reply, deps.secretKey);
        return sendHtml(
          reply,
          newActivityPage({ courseId: course.id, courseTitle: course.title, csrf, error: error.message }),
          error.status,
        );
      }
    },
  );
}
