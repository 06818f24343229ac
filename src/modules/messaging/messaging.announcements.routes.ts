import type { FastifyInstance } from 'fastify';
import { type Static, Type } from 'typebox';
import type { Deps } from '../../deps.ts';
import {
  announce,
  announcementJson,
  cancelAnnouncement,
  getAnnouncement,
} from './messaging.announcements.ts';
import { messagingErrors } from './messaging.errors.ts';

const Uuid = Type.String({ format: 'uuid' });
const CourseParams = Type.Object({ id: Uuid }, { additionalProperties: false });
const AnnouncementParams = Type.Object({ id: Uuid, announcement_id: Uuid }, { additionalProperties: false });
const AnnounceBody = Type.Object(
  {
    subject: Type.String({ minLength: 1, maxLength: 200 }),
    content: Type.String({ minLength: 1, maxLength: 200_000 }),
    format: Type.Optional(Type.Union([Type.Literal('text'), Type.Literal('markdown')], { default: 'text' })),
    recurrence: Type.Optional(
      Type.Literal('weekly', { description: 'Send again every 7 days (checked hourly) until cancelled.' }),
    ),
    send_at: Type.Optional(
      Type.String({
        format: 'date-time',
        description:
          'Start sending at this time (RFC 3339, in the future, within a year) instead of at once.',
      }),
    ),
  },
  { additionalProperties: false },
);
const Announcement = Type.Object({
  id: Uuid,
  course_id: Uuid,
  subject: Type.String(),
  status: Type.String({ description: 'pending, expanding, done or cancelled' }),
  recurrence: Type.Union([Type.Literal('weekly'), Type.Null()]),
  recipients: Type.Integer({ description: 'Members expanded so far.' }),
  sent: Type.Integer(),
  pending: Type.Integer(),
  not_mailed: Type.Integer({ description: 'Muted, digest, suppressed, cancelled or without an address.' }),
  scheduled_for: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  created_at: Type.String({ format: 'date-time' }),
  completed_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});
const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(Type.String({ maxLength: 200 })),
});

const TAGS = ['messaging'];
const PRINCIPALS = ['app', 'app_user', 'user', 'operator'] as const;

export async function announcementRoutes(app: FastifyInstance, { deps }: { deps: Deps }): Promise<void> {
  app.post<{
    Params: Static<typeof CourseParams>;
    Body: Static<typeof AnnounceBody>;
    Headers: Static<typeof IdempotencyHeaders>;
  }>(
    '/api/v1/courses/:id/announcements',
    {
      schema: {
        tags: TAGS,
        summary: 'Announce to every active member of a course (needs an Idempotency-Key header)',
        params: CourseParams,
        headers: IdempotencyHeaders,
        body: AnnounceBody,
        response: { 201: Announcement, 200: Announcement },
      },
      config: { principals: PRINCIPALS },
    },
    async (request, reply) => {
      const key = request.headers['idempotency-key']?.trim();
      if (!key) throw messagingErrors.invalidField('Idempotency-Key', 'header is required');
      const b = request.body;
      const { row, created } = await announce(deps, request.principal, request.params.id, {
        subject: b.subject,
        content: b.content,
        format: b.format ?? 'text',
        idempotencyKey: key,
        recurrence: b.recurrence,
        sendAt: b.send_at ? new Date(b.send_at) : undefined,
      });
      reply.code(created ? 201 : 200);
      return announcementJson(row, {});
    },
  );

  app.get<{ Params: Static<typeof AnnouncementParams> }>(
    '/api/v1/courses/:id/announcements/:announcement_id',
    {
      schema: {
        tags: TAGS,
        summary: 'Progress of an announcement',
        params: AnnouncementParams,
        response: { 200: Announcement },
      },
      config: { principals: PRINCIPALS },
    },
    async (request) => {
      const p = request.params;
      const { row, progress } = await getAnnouncement(deps, request.principal, p.id, p.announcement_id);
      return announcementJson(row, progress);
    },
  );

  app.post<{ Params: Static<typeof AnnouncementParams> }>(
    '/api/v1/courses/:id/announcements/:announcement_id/cancel',
    {
      schema: {
        tags: TAGS,
        summary: 'Cancel an announcement: no further sends; a recurring one stops recurring',
        params: AnnouncementParams,
        response: { 200: Announcement },
      },
      config: { principals: PRINCIPALS },
    },
    async (request) => {
      const p = request.params;
      const { row, progress } = await cancelAnnouncement(deps, request.principal, p.id, p.announcement_id);
      return announcementJson(row, progress);
    },
  );
}
