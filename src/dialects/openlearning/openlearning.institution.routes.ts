import type { FastifyInstance, FastifyReply } from 'fastify';
import { type Static, Type } from 'typebox';
import type { Deps } from '../../deps.ts';
import {
  type BulkJob,
  getBulkJob,
  institutionFor,
  listInstitutionEnrolments,
  listMyInstitutionCourses,
  startBulk,
} from '../../modules/courses/index.ts';
import { basicAuth, fields, flag } from './openlearning.mapping.ts';
import {
  ClassInviteFields,
  EnrolmentsQuery,
  errors,
  InstitutionQuery,
  InviteFields,
  JobParams,
  Success,
  WildcardParams,
} from './openlearning.schemas.ts';

const security = [{ openLearningBasic: [] }];
const tags = ['openlearning'];

function jobJson(deps: Deps, job: BulkJob) {
  return {
    id: job.id,
    kind: job.kind,
    status: job.status,
    total: job.total,
    processed: job.processed,
    url: `${deps.config.publicUrl}/openlearning/api/institution/jobs/${job.id}?institution=${encodeURIComponent(job.institutionPath)}`,
  };
}

/** A finished job answers with the seed's lists; a long one with 202 and where to watch its progress. */
function sendJob(deps: Deps, reply: FastifyReply, job: BulkJob) {
  if (job.status === 'done') return reply.send({ success: true, ...job.result, job: jobJson(deps, job) });
  return reply.code(202).send({ success: true, job: jobJson(deps, job) });
}

/** Institution portals: enrolments, a student's courses, invites, imports, class invites, job progress. */
export async function openLearningInstitutionRoutes(app: FastifyInstance, { deps }: { deps: Deps }) {
  app.addHook('onRequest', basicAuth(deps));

  app.get<{ Querystring: Static<typeof EnrolmentsQuery> }>(
    '/api/institution/enrolments',
    {
      schema: {
        tags,
        summary: 'List students in an institution portal (start/end/search)',
        security,
        querystring: EnrolmentsQuery,
        response: { 200: Success, ...errors },
      },
    },
    async (request) => {
      const { institution: path, start, end, search } = request.query;
      const institution = await institutionFor(deps, request.principal, path);
      const rows = await listInstitutionEnrolments(deps, institution, { start, end, search });
      return {
        success: true,
        start,
        end: start + rows.length,
        enrolments: rows.map(({ member, user }) => ({
          email: member.email,
          fullName: member.fullName ?? user?.name ?? null,
          username: user?.username ?? member.username,
          identifier: member.identifier,
          groups: member.groups,
          profileUrl: user ? `${deps.config.publicUrl}/u/${encodeURIComponent(user.username)}` : null,
        })),
      };
    },
  );

  app.get<{ Querystring: Static<typeof InstitutionQuery> }>(
    '/api/institution/myCourses',
    {
      schema: {
        tags,
        summary: "The calling student's courses in an institution portal, with progress",
        security,
        querystring: InstitutionQuery,
        response: {
          200: Type.Object({
            courses: Type.Array(
              Type.Object({
                name: Type.String(),
                isOpen: Type.String(),
                url: Type.String(),
                isEnrolledIn: Type.Boolean(),
                progress: Type.Integer(),
                path: Type.String(),
                promoImage: Type.String(),
              }),
            ),
            success: Type.Boolean(),
          }),
          ...errors,
        },
      },
    },
    async (request) => {
      const path = request.query.institution;
      const mine = await listMyInstitutionCourses(deps, request.principal, path);
      return {
        courses: mine.map(({ course, enrolled, progress }) => ({
          name: course.title,
          isOpen: course.status === 'online' ? 'open' : 'closed',
          url: course.url,
          isEnrolledIn: enrolled,
          progress,
          path: `${path}/courses/${course.path}`,
          promoImage: '',
        })),
        success: true,
      };
    },
  );

  app.post<{ Body: Static<typeof InviteFields> }>(
    '/api/institution/invite',
    {
      // A 10,000-line list is well over the 256 KiB default for forms.
      bodyLimit: 2 * 1024 * 1024,
      schema: {
        tags,
        summary: 'Invite students into an institution portal (runs as a job; small lists answer at once)',
        security,
        body: InviteFields,
        response: { 200: Success, 202: Success, ...errors },
      },
    },
    async (request, reply) => {
      const f = request.body;
      const job = await startBulk(deps, request.principal, {
        kind: 'institution_invite',
        institutionPath: f.institution,
        emailAddressList: f.emailAddressList,
        enrollCohorts: f.enrollCohorts,
        generateAccount: flag('generateAccount', f.generateAccount),
      });
      return sendJob(deps, reply, job);
    },
  );

  app.post<{ Body: Static<typeof InviteFields> }>(
    '/api/institution/importInformation',
    {
      // A 10,000-line list is well over the 256 KiB default for forms.
      bodyLimit: 2 * 1024 * 1024,
      schema: {
        tags,
        summary: 'Import identifier and username per email address',
        security,
        body: Type.Object(
          {
            institution: Type.String({ maxLength: 100 }),
            // Optional: the seed's own example (`-d "institution=myInstitute"& -d ...`) sends the list from
            // a second command the shell never runs, so only `institution` arrives; nothing to import.
            emailAddressList: Type.Optional(Type.String({ maxLength: 2_000_000 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Success, 202: Success, ...errors },
      },
    },
    async (request, reply) => {
      const f = request.body;
      const job = await startBulk(deps, request.principal, {
        kind: 'import',
        institutionPath: f.institution,
        emailAddressList: f.emailAddressList ?? '',
      });
      return sendJob(deps, reply, job);
    },
  );

  app.post<{ Params: Static<typeof WildcardParams>; Body: Static<typeof ClassInviteFields> }>(
    '/api/class/invite/*',
    {
      // A 10,000-line list is well over the 256 KiB default for forms.
      bodyLimit: 2 * 1024 * 1024,
      schema: {
        tags,
        summary: 'Invite students into a class',
        security,
        params: WildcardParams,
        body: ClassInviteFields,
        response: { 200: Success, 202: Success, ...errors },
      },
    },
    async (request, reply) => {
      const job = await startBulk(deps, request.principal, {
        kind: 'class_invite',
        classPath: request.params['*'],
        emailAddressList: fields<Static<typeof ClassInviteFields>>(request).emailAddressList ?? '',
      });
      return sendJob(deps, reply, job);
    },
  );

  app.get<{ Params: Static<typeof JobParams>; Querystring: Static<typeof InstitutionQuery> }>(
    '/api/institution/jobs/:id',
    {
      schema: {
        tags,
        summary: 'Progress of a bulk invite or import (and its result lists once done)',
        security,
        params: JobParams,
        querystring: InstitutionQuery,
        response: { 200: Success, ...errors },
      },
    },
    async (request) => {
      const job = await getBulkJob(deps, request.principal, request.query.institution, request.params.id);
      return {
        success: true,
        job: jobJson(deps, job),
        ...(job.status === 'done' ? job.result : {}),
      };
    },
  );
}
