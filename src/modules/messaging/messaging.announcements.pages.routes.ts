import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type Static, Type } from 'typebox';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../errors/index.ts';
import { assertCsrf, csrfToken, installPageErrorHandler, sendHtml } from '../../web/index.ts';
import { courseErrors, lookupCoursePage, type PageCourse } from '../courses/index.ts';
import { requireSignedInUser, type User } from '../identity/index.ts';
import {
  ANNOUNCE_CSS,
  type AnnounceForm,
  AnnounceFormPage,
  AnnouncementListPage,
  finished,
  ProgressPage,
  progressOf,
} from './messaging.announcements.pages.tsx';
import {
  announce,
  cancelAnnouncement,
  checkSendAt,
  getAnnouncement,
  listAnnouncements,
  mayAnnounce,
} from './messaging.announcements.ts';
import { renderContent } from './messaging.content.ts';
import { messagingErrors } from './messaging.errors.ts';
import { MAX_CONTENT, MAX_SUBJECT, prefixedSubject } from './messaging.usecases.ts';

const PathParams = Type.Object({ path: Type.String({ maxLength: 100 }) });
const ItemParams = Type.Object({
  path: Type.String({ maxLength: 100 }),
  id: Type.String({ format: 'uuid' }),
});
const ItemQuery = Type.Object({ sent: Type.Optional(Type.String({ maxLength: 5 })) });
// Lengths beyond the limits are accepted here and refused on the form, next to the field.
const AnnounceBody = Type.Object({
  _csrf: Type.Optional(Type.String({ maxLength: 200 })),
  idempotency_key: Type.Optional(Type.String({ maxLength: 100 })),
  subject: Type.Optional(Type.String({ maxLength: 2000 })),
  body: Type.Optional(Type.String({ maxLength: 200_000 })),
  when: Type.Optional(Type.String({ maxLength: 10 })),
  send_at: Type.Optional(Type.String({ maxLength: 40 })),
  action: Type.Optional(Type.String({ maxLength: 10 })),
});
const CancelBody = Type.Object({ _csrf: Type.Optional(Type.String({ maxLength: 200 })) });

const LIST_LIMIT = 25;

/** `2026-12-03T19:00` (a datetime-local value, read as UTC) or a full RFC 3339 time. */
function parseSendAt(value: string): Date {
  const v = value.trim();
  const local = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(v);
  return new Date(local ? `${v}Z` : v);
}

/**
 * The organiser's pages under a course's page: `/courses/<code>/announcements` (list), `.../new` (write,
 * preview, send now or schedule) and `.../<id>` (delivery progress). Only whoever may manage the course (its
 * owner, its admins, a hub admin) sees them; a visitor is sent to sign in, anyone else gets 403.
 */
export async function announcementPageRoutes(app: FastifyInstance, { deps }: { deps: Deps }): Promise<void> {
  installPageErrorHandler(app);
  app.addHook('onSend', async (_request, reply) => {
    if (!reply.getHeader('cache-control')) reply.header('cache-control', 'no-store');
  });
  const csrf = (request: FastifyRequest, reply: FastifyReply) =>
    csrfToken(request, reply, deps.secretKey, { secure: deps.config.publicUrl.startsWith('https:') });
  const principalOf = (user: User) => ({ kind: 'user', userId: user.id, admin: user.admin }) as const;

  app.get(
    '/assets/announcements.css',
    { schema: { hide: true }, config: { rateLimit: false } },
    async (_r, reply) =>
      reply
        .type('text/css; charset=utf-8')
        .header('cache-control', 'public, max-age=3600')
        .send(ANNOUNCE_CSS),
  );

  /**
   * The course and the signed-in organiser, or undefined once a reply is on its way (a redirect to sign in,
   * or to the course's readable URL). Throws 404 for no such course and 403 for someone who is not its
   * organiser.
   */
  async function organiserOf(
    request: FastifyRequest<{ Params: { path: string } }>,
    reply: FastifyReply,
    rest: string,
  ): Promise<{ course: PageCourse; user: User } | undefined> {
    const found = await lookupCoursePage(deps, request.params.path);
    if (found.kind !== 'course') throw courseErrors.notFound();
    const { course } = found;
    const user = await requireSignedInUser(deps, request, reply, `${course.href}${rest}`);
    if (!user) return undefined;
    if (!(await mayAnnounce(deps, principalOf(user), course.id))) throw messagingErrors.notCourseAdmin();
    if (request.method === 'GET' && course.href !== `/courses/${encodeURIComponent(request.params.path)}`) {
      await reply.redirect(`${course.href}${rest}`, 301);
      return undefined;
    }
    return { course, user };
  }

  app.get<{ Params: Static<typeof PathParams> }>(
    '/courses/:path/announcements',
    { schema: { hide: true, params: PathParams } },
    async (request, reply) => {
      const who = await organiserOf(request, reply, '/announcements');
      if (!who) return reply;
      const items = await listAnnouncements(deps, principalOf(who.user), who.course.id, LIST_LIMIT);
      const view = items.map(({ row, progress }) => ({ row, progress: progressOf(row, progress) }));
      return sendHtml(
        reply,
        AnnouncementListPage({ course: who.course, items: view, now: deps.clock.now() }),
      );
    },
  );

  app.get<{ Params: Static<typeof PathParams> }>(
    '/courses/:path/announcements/new',
    { schema: { hide: true, params: PathParams } },
    async (request, reply) => {
      const who = await organiserOf(request, reply, '/announcements/new');
      if (!who) return reply;
      const form: AnnounceForm = {
        subject: '',
        body: '',
        when: 'now',
        sendAt: '',
        idempotencyKey: deps.ids.token(16),
      };
      const page = AnnounceFormPage({
        course: who.course,
        form,
        errors: {},
        preview: null,
        csrf: csrf(request, reply),
        now: deps.clock.now(),
      });
      return sendHtml(reply, page);
    },
  );

  app.post<{ Params: Static<typeof PathParams>; Body: Static<typeof AnnounceBody> }>(
    '/courses/:path/announcements/new',
    { schema: { hide: true, params: PathParams, body: AnnounceBody } },
    async (request, reply) => {
      const who = await organiserOf(request, reply, '/announcements/new');
      if (!who) return reply;
      const b = request.body;
      const form: AnnounceForm = {
        subject: b.subject ?? '',
        body: b.body ?? '',
        when: b.when === 'later' ? 'later' : 'now',
        sendAt: b.send_at ?? '',
        idempotencyKey: /^[A-Za-z0-9_-]{8,64}$/.test(b.idempotency_key ?? '')
          ? (b.idempotency_key ?? '')
          : deps.ids.token(16),
      };
      const now = deps.clock.now();
      const errors: Record<string, string> = {};
      try {
        assertCsrf(request, deps.secretKey);
      } catch {
        errors.form = 'The form was out of date, so nothing was sent. Check it and press the button again.';
      }
      const subject = form.subject.replace(/[\r\n\t]+/g, ' ').trim();
      if (!subject) errors.subject = 'Write a subject.';
      else if (subject.length > MAX_SUBJECT) errors.subject = `Use at most ${MAX_SUBJECT} characters.`;
      if (!form.body.trim()) errors.body = 'Write the message.';
      else if (form.body.length > MAX_CONTENT) errors.body = `Use at most ${MAX_CONTENT} characters.`;
      let sendAt: Date | undefined;
      if (form.when === 'later') {
        if (!form.sendAt.trim()) errors.send_at = 'Choose when to send it, or pick "Send now".';
        else {
          sendAt = parseSendAt(form.sendAt);
          try {
            checkSendAt(sendAt, now);
          } catch (error) {
            if (!(error instanceof AppError)) throw error;
            errors.send_at = `The time ${error.message.replace(/^send_at: /, '')}.`;
          }
        }
      }
      const preview = form.body.trim()
        ? {
            subject: prefixedSubject(who.course.title, subject),
            html: renderContent(form.body, 'markdown').html,
          }
        : null;
      const failed = Object.keys(errors).length > 0;
      if (failed || b.action !== 'send') {
        const page = AnnounceFormPage({
          course: who.course,
          form,
          errors,
          preview: failed ? null : preview,
          csrf: csrf(request, reply),
          now,
        });
        return sendHtml(reply, page, failed ? (errors.form ? 403 : 400) : 200);
      }
      const { row } = await announce(deps, principalOf(who.user), who.course.id, {
        subject,
        content: form.body,
        format: 'markdown',
        idempotencyKey: `page:${form.idempotencyKey}`,
        sendAt,
      });
      return reply.redirect(`${who.course.href}/announcements/${row.id}?sent=1`, 303);
    },
  );

  app.get<{ Params: Static<typeof ItemParams>; Querystring: Static<typeof ItemQuery> }>(
    '/courses/:path/announcements/:id',
    { schema: { hide: true, params: ItemParams, querystring: ItemQuery } },
    async (request, reply) => {
      const who = await organiserOf(request, reply, `/announcements/${request.params.id}`);
      if (!who) return reply;
      const { row, progress } = await getAnnouncement(
        deps,
        principalOf(who.user),
        who.course.id,
        request.params.id,
      );
      // Plain HTTP refresh while sending: works without JavaScript, and stops once the announcement is done.
      if (!finished(row)) reply.header('refresh', '10');
      const page = ProgressPage({
        course: who.course,
        row,
        progress: progressOf(row, progress),
        csrf: csrf(request, reply),
        now: deps.clock.now(),
        justSent: request.query.sent === '1',
      });
      return sendHtml(reply, page);
    },
  );

  app.post<{ Params: Static<typeof ItemParams>; Body: Static<typeof CancelBody> }>(
    '/courses/:path/announcements/:id/cancel',
    { schema: { hide: true, params: ItemParams, body: CancelBody } },
    async (request, reply) => {
      const who = await organiserOf(request, reply, `/announcements/${request.params.id}`);
      if (!who) return reply;
      assertCsrf(request, deps.secretKey);
      await cancelAnnouncement(deps, principalOf(who.user), who.course.id, request.params.id);
      return reply.redirect(`${who.course.href}/announcements/${request.params.id}`, 303);
    },
  );
}
