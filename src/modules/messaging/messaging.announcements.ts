import type { Deps } from '../../deps.ts';
import { AppError } from '../../errors/index.ts';
import type { Principal } from '../../http/principal.ts';
import { enqueue } from '../../jobs/enqueue.ts';
import { getCourseById, isCourseAdmin, listActiveMemberIds } from '../courses/index.ts';
import { getAppById } from '../oauth/index.ts';
import {
  type AnnouncementRow,
  advanceAnnouncement,
  announcementProgress,
  announcementsProgress,
  cancelPendingMessages,
  dueRecurring,
  findAnnouncement,
  findAnnouncementForUpdate,
  insertAnnouncement,
  listCourseAnnouncements,
  updateAnnouncement,
} from './messaging.announcements.repository.ts';
import { emailBatch } from './messaging.bulk.ts';
import { type ContentFormat, renderContent } from './messaging.content.ts';
import { messagingErrors } from './messaging.errors.ts';
import { canAnnounce, senderAppId } from './messaging.policies.ts';
import { insertAnnouncementMessages } from './messaging.repository.ts';
import { MAX_CONTENT, MAX_SUBJECT, prefixedSubject } from './messaging.usecases.ts';

export const EXPAND = 'messaging.announcement_expand';
export const SEND_BATCH = 'messaging.email_batch';
export const RECUR = 'messaging.announcement_recur';
/** Members read per keyset page, and messages per send job. */
export const PAGE_SIZE = 1000;
export const BATCH_SIZE = 100;
const WEEK_MS = 7 * 86_400_000;

export interface AnnounceInput {
  readonly subject: string;
  readonly content: string;
  readonly format: ContentFormat;
  readonly idempotencyKey: string;
  readonly recurrence?: 'weekly' | undefined;
  /** Start sending then rather than at once (in the future, within a year). */
  readonly sendAt?: Date | undefined;
}

const YEAR_MS = 366 * 86_400_000;

/** A schedule must lie ahead, and not absurdly far (a typo in the year). */
export function checkSendAt(sendAt: Date, now: Date): void {
  if (Number.isNaN(sendAt.getTime())) throw messagingErrors.invalidField('send_at', 'is not a date and time');
  if (sendAt.getTime() <= now.getTime())
    throw messagingErrors.invalidField('send_at', 'must be in the future');
  if (sendAt.getTime() > now.getTime() + YEAR_MS)
    throw messagingErrors.invalidField('send_at', 'must be within a year from now');
}

function senderKey(principal: Principal): string {
  if (principal.kind === 'app' || principal.kind === 'app_user') return `app:${principal.appId}`;
  if (principal.kind === 'user') return `user:${principal.userId}`;
  if (principal.kind === 'operator') return `operator:${principal.tokenId}`;
  throw messagingErrors.notCourseAdmin();
}

async function courseFor(deps: Deps, principal: Principal, courseId: string) {
  const course = await getCourseById(deps, courseId);
  if (!course) throw messagingErrors.courseNotFound();
  const admin = principal.kind === 'operator' ? false : await isCourseAdmin(deps, course.id, principal);
  if (!canAnnounce(principal, admin)) throw messagingErrors.notCourseAdmin();
  return course;
}

/**
 * Accepts an announcement to every active member of a course and queues its expansion. The same
 * idempotency key from the same sender answers the first announcement again (created: false).
 */
export async function announce(deps: Deps, principal: Principal, courseId: string, input: AnnounceInput) {
  const subject = input.subject.replace(/[\r\n\t]+/g, ' ').trim();
  if (!subject || subject.length > MAX_SUBJECT)
    throw messagingErrors.invalidField('subject', `must be 1-${MAX_SUBJECT} characters`);
  if (input.content.length > MAX_CONTENT) throw messagingErrors.contentTooLarge(MAX_CONTENT);
  const now = deps.clock.now();
  if (input.sendAt) checkSendAt(input.sendAt, now);
  const course = await courseFor(deps, principal, courseId);
  const appId = senderAppId(principal);
  const app = appId ? await getAppById(deps, appId) : undefined;
  const rendered = renderContent(input.content, input.format);
  return deps.db.transaction(async (tx) => {
    const result = await insertAnnouncement(tx, {
      id: deps.ids.uuid(),
      courseId: course.id,
      appId,
      senderUserId: principal.kind === 'user' || principal.kind === 'app_user' ? principal.userId : null,
      senderKey: senderKey(principal),
      idempotencyKey: input.idempotencyKey,
      subject: prefixedSubject(app?.name ?? course.title, subject),
      contentText: rendered.text,
      contentHtml: rendered.html,
      status: 'pending',
      recurrence: input.recurrence ?? null,
      scheduledFor: input.sendAt ?? null,
      createdAt: now,
      updatedAt: now,
    });
    if (result.created)
      await enqueue(
        tx,
        EXPAND,
        { announcement_id: result.row.id },
        { jobKey: `${EXPAND}:${result.row.id}`, ...(input.sendAt ? { runAt: input.sendAt } : {}) },
      );
    return result;
  });
}

export async function getAnnouncement(deps: Deps, principal: Principal, courseId: string, id: string) {
  await courseFor(deps, principal, courseId);
  const row = await findAnnouncement(deps.db, id);
  if (!row || row.courseId !== courseId) throw messagingErrors.announcementNotFound();
  return { row, progress: await announcementProgress(deps.db, id) };
}

/** A course's latest announcements with their delivery counts, for its organisers' page. */
export async function listAnnouncements(deps: Deps, principal: Principal, courseId: string, limit: number) {
  await courseFor(deps, principal, courseId);
  const rows = await listCourseAnnouncements(deps.db, courseId, limit);
  const progress = await announcementsProgress(
    deps.db,
    rows.map((r) => r.id),
  );
  return rows.map((row) => ({ row, progress: progress.get(row.id) ?? {} }));
}

/** Whether this principal may announce to the course (the organiser pages show or refuse on it). */
export async function mayAnnounce(deps: Deps, principal: Principal, courseId: string): Promise<boolean> {
  try {
    await courseFor(deps, principal, courseId);
    return true;
  } catch (error) {
    if (error instanceof AppError && error.code === 'messaging.not_course_admin') return false;
    throw error;
  }
}

/** Stops the expansion and every send not yet made; recurring ones stop recurring. */
export async function cancelAnnouncement(deps: Deps, principal: Principal, courseId: string, id: string) {
  await courseFor(deps, principal, courseId);
  await deps.db.transaction(async (tx) => {
    const row = await findAnnouncementForUpdate(tx, id);
    if (!row || row.courseId !== courseId) throw messagingErrors.announcementNotFound();
    if (row.status !== 'done')
      await updateAnnouncement(tx, id, { status: 'cancelled', updatedAt: deps.clock.now() });
    await cancelPendingMessages(tx, id);
  });
  return getAnnouncement(deps, principal, courseId, id);
}

/**
 * The expansion job: keyset pages of active members; each page inserts the messages (unique per
 * announcement and person, so a re-run inserts nobody twice), queues their sends in batches and advances the
 * cursor, all in one transaction. A crash resumes at the last committed page.
 */
export async function expandAnnouncement(
  deps: Deps,
  announcementId: string,
  stopping?: AbortSignal,
): Promise<void> {
  for (;;) {
    // A worker shutting down hands the rest of the expansion to a new job (this one is still locked by it).
    if (stopping?.aborted) {
      await enqueue(
        deps.db,
        EXPAND,
        { announcement_id: announcementId },
        { jobKey: `${EXPAND}:${announcementId}` },
      );
      return;
    }
    const more = await deps.db.transaction(async (tx) => {
      const a = await findAnnouncementForUpdate(tx, announcementId);
      if (!a || a.status === 'cancelled' || a.status === 'done') return false;
      const members = await listActiveMemberIds(deps, a.courseId, {
        limit: PAGE_SIZE,
        ...(a.cursorUserId ? { afterUserId: a.cursorUserId } : {}),
      });
      const now = deps.clock.now();
      const last = members.at(-1);
      if (!last) {
        await updateAnnouncement(tx, a.id, { status: 'done', completedAt: now, updatedAt: now });
        return false;
      }
      const ids = await insertAnnouncementMessages(
        tx,
        {
          announcementId: a.id,
          appId: a.appId,
          courseId: a.courseId,
          subject: a.subject,
          contentText: a.contentText,
          contentHtml: a.contentHtml,
          createdAt: now,
        },
        members.map((userId) => ({ id: deps.ids.uuid(), userId })),
      );
      for (let i = 0; i < ids.length; i += BATCH_SIZE) {
        await enqueue(tx, SEND_BATCH, { message_ids: ids.slice(i, i + BATCH_SIZE) }, { maxAttempts: 20 });
      }
      await advanceAnnouncement(tx, a.id, { cursorUserId: last, added: ids.length, at: now });
      return true;
    });
    if (!more) return;
  }
}

/** One batch of sends; each message is skipped unless still pending, so a retried batch repeats nothing. */
export async function sendBatch(deps: Deps, messageIds: readonly string[]): Promise<void> {
  await emailBatch(deps, messageIds);
}

/** Daily: each weekly announcement whose last occurrence is a week old gets its next occurrence. */
export async function recurAnnouncements(deps: Deps): Promise<number> {
  const now = deps.clock.now();
  // An hour of slack, so a run that started a little late last week still counts as a week ago.
  const due = await dueRecurring(deps.db, new Date(now.getTime() - WEEK_MS + 3_600_000));
  for (const parent of due) await occurrence(deps, parent, now);
  return due.length;
}

async function occurrence(deps: Deps, parent: AnnouncementRow, now: Date) {
  await deps.db.transaction(async (tx) => {
    const result = await insertAnnouncement(tx, {
      ...parent,
      id: deps.ids.uuid(),
      idempotencyKey: `${parent.idempotencyKey}@${now.toISOString().slice(0, 10)}`,
      parentId: parent.id,
      recurrence: null,
      scheduledFor: null,
      status: 'pending',
      recipients: 0,
      cursorUserId: null,
      createdAt: now,
      updatedAt: now,
      completedAt: null,
    });
    if (result.created)
      await enqueue(tx, EXPAND, { announcement_id: result.row.id }, { jobKey: `${EXPAND}:${result.row.id}` });
  });
}

export function announcementJson(row: AnnouncementRow, progress: Record<string, number>) {
  const sent = progress.sent ?? 0;
  const pending = progress.pending ?? 0;
  return {
    id: row.id,
    course_id: row.courseId,
    subject: row.subject,
    status: row.status,
    recurrence: row.recurrence ? 'weekly' : null,
    recipients: row.recipients,
    sent,
    pending,
    not_mailed: row.recipients - sent - pending,
    scheduled_for: row.scheduledFor?.toISOString() ?? null,
    created_at: row.createdAt.toISOString(),
    completed_at: row.completedAt?.toISOString() ?? null,
  };
}
