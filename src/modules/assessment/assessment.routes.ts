import type { FastifyInstance } from 'fastify';
import type { Static } from 'typebox';
import { Type } from 'typebox';
import type { Deps } from '../../deps.ts';
import { createActivity, getActivity, listActivities, updateActivity } from './assessment.activities.ts';
import { allocateActivity, getAllocation } from './assessment.allocate.ts';
import { listGrades, myGrade, setInstructorGrade } from './assessment.gradebook.ts';
import { addGroup } from './assessment.groups.ts';
import { setPhase } from './assessment.phases.ts';
import { myFeedback, myReviews, rateReview, saveReview } from './assessment.reviews.ts';
import {
  Activity,
  ActivityBody,
  ActivityList,
  Allocation,
  AllocationRun,
  CourseParams,
  FeedbackList,
  FileBody,
  FileJson,
  FileParams,
  Grade,
  GradeBody,
  GradeList,
  GroupBody,
  GroupJson,
  HelpfulnessBody,
  IdParams,
  PhaseBody,
  PhaseParams,
  ReviewBody,
  ReviewList,
  ReviewParams,
  ReviewTask,
  ReviseBody,
  Submission,
  UserParams,
  WorkBody,
} from './assessment.schemas.ts';
import { activityJson, fileJson, gradeJson, scheduleInput, submissionJson } from './assessment.views.ts';
import { addFile, getFile, myWork, reviseWork, saveWork } from './assessment.work.ts';

const people = { principals: ['user', 'app_user', 'operator'] as const };
const security: Record<string, string[]>[] = [{ bearer: [] }, { session: [] }];
const tags = ['assessment'];
const base = '/api/v1/assessment/activities/:id';

function activityInput(b: Static<typeof ActivityBody>) {
  return {
    title: b.title,
    nickname: b.nickname,
    description: b.description,
    instructions: b.instructions,
    type: b.type,
    visible: b.visible,
    rubric: b.rubric,
    weights: b.weights,
    prompts: b.prompts,
    reviewersPerSubmission: b.reviewers_per_submission,
    anonymity: b.anonymity,
    selfAssessCreate: b.self_assess_create,
    selfAssessReflect: b.self_assess_reflect,
    allowLate: b.allow_late,
    schedule: scheduleInput(b.schedule),
  };
}

/** Peer assessment in the native API: activities, phases, work, reviews, feedback and grades. */
export async function assessmentRoutes(app: FastifyInstance, { deps }: { deps: Deps }) {
  const opts = (summary: string, schema: Record<string, unknown>) => ({
    schema: { tags, summary, security, ...schema },
    config: people,
  });

  app.post<{ Params: Static<typeof CourseParams>; Body: Static<typeof ActivityBody> }>(
    '/api/v1/courses/:courseId/assessment/activities',
    opts('Create a peer-assessment activity (instructors, builders)', {
      params: CourseParams,
      body: ActivityBody,
      response: { 201: Activity },
    }),
    async (request, reply) => {
      const a = await createActivity(
        deps,
        request.principal,
        request.params.courseId,
        activityInput(request.body),
      );
      return reply
        .code(201)
        .header('location', `/api/v1/assessment/activities/${a.id}`)
        .send(activityJson(a));
    },
  );
  app.get<{ Params: Static<typeof CourseParams> }>(
    '/api/v1/courses/:courseId/assessment/activities',
    opts("A course's activities (students see the visible ones)", {
      params: CourseParams,
      response: { 200: ActivityList },
    }),
    async (request) => ({
      data: (await listActivities(deps, request.principal, request.params.courseId)).map(activityJson),
    }),
  );
  app.get<{ Params: Static<typeof IdParams> }>(
    base,
    opts('An activity, its rubric and schedule', { params: IdParams, response: { 200: Activity } }),
    async (request) => activityJson(await getActivity(deps, request.principal, request.params.id)),
  );
  app.patch<{ Params: Static<typeof IdParams>; Body: Static<typeof ActivityBody> }>(
    base,
    opts('Change an activity, its rubric or schedule', {
      params: IdParams,
      body: ActivityBody,
      response: { 200: Activity },
    }),
    async (request) =>
      activityJson(
        await updateActivity(deps, request.principal, request.params.id, activityInput(request.body)),
      ),
  );
  app.post<{ Params: Static<typeof PhaseParams>; Body: Static<typeof PhaseBody> }>(
    `${base}/phases/:phase`,
    opts('Open or close a phase by hand', {
      params: PhaseParams,
      body: PhaseBody,
      response: { 200: Activity },
    }),
    async (request) => {
      await setPhase(deps, request.principal, request.params.id, request.params.phase, request.body.action);
      return activityJson(await getActivity(deps, request.principal, request.params.id));
    },
  );
  app.post<{ Params: Static<typeof IdParams>; Body: Static<typeof GroupBody> }>(
    `${base}/groups`,
    opts('Make a group of course members (Group activities)', {
      params: IdParams,
      body: GroupBody,
      response: { 201: GroupJson },
    }),
    async (request, reply) => {
      const g = await addGroup(deps, request.principal, request.params.id, {
        name: request.body.name,
        userIds: request.body.user_ids,
      });
      return reply.code(201).send({ id: g.id, name: g.name, user_ids: g.userIds });
    },
  );
  app.get<{ Params: Static<typeof IdParams> }>(
    `${base}/allocation`,
    opts('Who reviews whose work (staff)', { params: IdParams, response: { 200: Allocation } }),
    async (request) => ({
      data: (await getAllocation(deps, request.principal, request.params.id)).map((e) => ({
        review_id: e.reviewId,
        submission_id: e.submissionId,
        author: e.authorKey,
        reviewer_id: e.reviewerId,
        status: e.status,
      })),
    }),
  );
  app.post<{ Params: Static<typeof IdParams> }>(
    `${base}/allocation`,
    opts('Allocate reviews now (fills gaps; never removes)', {
      params: IdParams,
      response: { 200: AllocationRun },
    }),
    async (request) => ({ allocated: await allocateActivity(deps, request.principal, request.params.id) }),
  );
  app.get<{ Params: Static<typeof IdParams> }>(
    `${base}/submission`,
    opts('My work (or my group’s)', { params: IdParams, response: { 200: Submission, 204: Type.Null() } }),
    async (request, reply) => {
      const work = await myWork(deps, request.principal, request.params.id);
      return work ? submissionJson(work.submission, work.files) : reply.code(204).send();
    },
  );
  app.put<{ Params: Static<typeof IdParams>; Body: Static<typeof WorkBody> }>(
    `${base}/submission`,
    opts('Save a draft of my work, or submit it (Create phase)', {
      params: IdParams,
      body: WorkBody,
      response: { 200: Submission },
    }),
    async (request) => {
      const b = request.body;
      await saveWork(deps, request.principal, request.params.id, {
        content: b.content,
        submit: b.submit ?? false,
        selfScores: b.self_scores,
      });
      const work = await myWork(deps, request.principal, request.params.id);
      if (!work) throw new Error('saved work vanished');
      return submissionJson(work.submission, work.files);
    },
  );
  app.post<{ Params: Static<typeof IdParams>; Body: Static<typeof FileBody> }>(
    `${base}/submission/files`,
    {
      ...opts('Attach a file to my draft (pdf, png, jpeg, gif, docx, txt; 5 MiB each, 20 MiB in all)', {
        params: IdParams,
        body: FileBody,
        response: { 201: FileJson },
      }),
      bodyLimit: 8 * 1024 * 1024,
    },
    async (request, reply) => {
      const data = Buffer.from(request.body.data_base64, 'base64');
      const f = await addFile(deps, request.principal, request.params.id, {
        name: request.body.name,
        contentType: request.body.content_type,
        data,
      });
      return reply.code(201).send(fileJson(f));
    },
  );
  app.get<{ Params: Static<typeof FileParams> }>(
    `${base}/files/:fileId`,
    opts('A file of a submission (its author, its reviewers, staff)', { params: FileParams }),
    async (request, reply) => {
      const f = await getFile(deps, request.principal, request.params.id, request.params.fileId);
      // Served as a download, never rendered inline: a student's upload must not run in the hub's origin.
      return reply
        .type(f.contentType)
        .header('content-disposition', `attachment; filename="${f.name.replace(/[^\w.-]/g, '_')}"`)
        .header('x-content-type-options', 'nosniff')
        .send(f.data);
    },
  );
  app.post<{ Params: Static<typeof IdParams>; Body: Static<typeof ReviseBody> }>(
    `${base}/submission/revision`,
    opts('Revise my work (Reflect phase); the original is kept', {
      params: IdParams,
      body: ReviseBody,
      response: { 200: Submission },
    }),
    async (request) => {
      await reviseWork(deps, request.principal, request.params.id, {
        content: request.body.content,
        selfScores: request.body.self_scores,
      });
      const work = await myWork(deps, request.principal, request.params.id);
      if (!work) throw new Error('revised work vanished');
      return submissionJson(work.submission, work.files);
    },
  );
  const taskJson = (t: Awaited<ReturnType<typeof myReviews>>[number]) => ({
    id: t.id,
    submission: t.submission,
    status: t.status,
    scores: t.scores,
    comment: t.comment,
    submitted_at: t.submittedAt ? t.submittedAt.toISOString() : null,
  });
  app.get<{ Params: Static<typeof IdParams> }>(
    `${base}/reviews`,
    opts('The reviews allocated to me', { params: IdParams, response: { 200: ReviewList } }),
    async (request) => ({
      data: (await myReviews(deps, request.principal, request.params.id)).map(taskJson),
    }),
  );
  app.put<{ Params: Static<typeof ReviewParams>; Body: Static<typeof ReviewBody> }>(
    `${base}/reviews/:reviewId`,
    opts('Save or submit one of my reviews (Assess phase)', {
      params: ReviewParams,
      body: ReviewBody,
      response: { 200: ReviewTask },
    }),
    async (request) => {
      const b = request.body;
      return taskJson(
        await saveReview(deps, request.principal, request.params.id, request.params.reviewId, {
          scores: b.scores,
          comment: b.comment ?? '',
          submit: b.submit ?? false,
        }),
      );
    },
  );
  app.get<{ Params: Static<typeof IdParams> }>(
    `${base}/feedback`,
    opts('The reviews my work received (Reflect)', { params: IdParams, response: { 200: FeedbackList } }),
    async (request) => ({ data: await myFeedback(deps, request.principal, request.params.id) }),
  );
  app.put<{ Params: Static<typeof ReviewParams>; Body: Static<typeof HelpfulnessBody> }>(
    `${base}/feedback/:reviewId/helpfulness`,
    opts('Rate how helpful a review of my work was, 1–5 (Reflect)', {
      params: ReviewParams,
      body: HelpfulnessBody,
      response: { 204: Type.Null() },
    }),
    async (request, reply) => {
      await rateReview(
        deps,
        request.principal,
        request.params.id,
        request.params.reviewId,
        request.body.helpfulness,
      );
      return reply.code(204).send();
    },
  );
  app.get<{ Params: Static<typeof IdParams> }>(
    `${base}/grades/me`,
    opts('My grade', { params: IdParams, response: { 200: Grade, 204: Type.Null() } }),
    async (request, reply) => {
      const g = await myGrade(deps, request.principal, request.params.id);
      return g ? gradeJson(g) : reply.code(204).send();
    },
  );
  app.get<{ Params: Static<typeof IdParams> }>(
    `${base}/grades`,
    opts('Every participant’s grades (staff)', { params: IdParams, response: { 200: GradeList } }),
    async (request) => ({
      data: (await listGrades(deps, request.principal, request.params.id)).map(gradeJson),
    }),
  );
  app.put<{ Params: Static<typeof UserParams>; Body: Static<typeof GradeBody> }>(
    `${base}/grades/:userId`,
    opts('Set the instructor grade and/or override the overall grade (null clears)', {
      params: UserParams,
      body: GradeBody,
      response: { 200: Grade },
    }),
    async (request) => {
      const g = await setInstructorGrade(
        deps,
        request.principal,
        request.params.id,
        request.params.userId,
        request.body,
      );
      if (!g) throw new Error('grade vanished');
      return gradeJson(g);
    },
  );
}
