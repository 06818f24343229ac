import type { Deps } from '../../deps.ts';
import { errors } from '../../errors/index.ts';
import { decodeKeyset, encodeCursor } from '../../lib/cursor.ts';
import { messagingErrors } from './messaging.errors.ts';
import { DELIVERIES, type Delivery, isPreferenceScope } from './messaging.policies.ts';
import {
  countUnread,
  deletePreference,
  findMessage,
  insertSuppression,
  listPreferences,
  listReplies,
  listUserMessages,
  type MessageRow,
  setRead,
  upsertPreference,
} from './messaging.repository.ts';
import { readUnsubscribeToken } from './messaging.tokens.ts';

export function messageJson(m: MessageRow) {
  return {
    id: m.id,
    app_id: m.appId,
    course_id: m.courseId,
    category: m.category,
    subject: m.subject,
    text: m.contentText,
    html: m.contentHtml,
    reply_enabled: m.replyEnabled,
    read: m.readAt !== null,
    email_status: m.emailStatus,
    created_at: m.createdAt.toISOString(),
  };
}

function parseCursor(cursor: string | undefined) {
  if (cursor === undefined) return undefined;
  const position = decodeKeyset(cursor, ['timestamp', 'uuid']);
  if (!position)
    throw errors.badRequest('request.invalid_cursor', 'cursor: is not a cursor this endpoint issued');
  const [createdAt, id] = position;
  return { createdAt, id };
}

/** A person's inbox, newest first. */
export async function listInbox(
  deps: Pick<Deps, 'db'>,
  userId: string,
  query: { limit: number; cursor?: string | undefined; unread?: boolean | undefined },
) {
  const page = await listUserMessages(deps.db, userId, {
    limit: query.limit,
    after: parseCursor(query.cursor),
    unread: query.unread === true,
  });
  const last = page.at(-1);
  return {
    messages: page,
    unreadCount: await countUnread(deps.db, userId),
    nextCursor:
      page.length === query.limit && last ? encodeCursor([last.createdAt.toISOString(), last.id]) : null,
  };
}

/** How many of a person's messages are unread (the header's count). */
export function unreadMessageCount(deps: Pick<Deps, 'db'>, userId: string): Promise<number> {
  return countUnread(deps.db, userId);
}

/** One of the person's own messages (another person's answers as not found) with its replies. */
export async function getOwnMessage(deps: Pick<Deps, 'db'>, userId: string, id: string) {
  const message = await findMessage(deps.db, id);
  if (!message || message.userId !== userId) throw messagingErrors.messageNotFound();
  return { message, replies: await listReplies(deps.db, id) };
}

export async function markRead(deps: Pick<Deps, 'db' | 'clock'>, userId: string, id: string, read: boolean) {
  const row = await setRead(deps.db, userId, id, read ? deps.clock.now() : null);
  if (!row) throw messagingErrors.messageNotFound();
  return row;
}

export async function getPreferences(deps: Pick<Deps, 'db'>, userId: string) {
  const rows = await listPreferences(deps.db, userId);
  return rows.map((r) => ({ scope: r.scope, delivery: r.delivery as Delivery }));
}

export async function setPreference(
  deps: Pick<Deps, 'db' | 'clock'>,
  userId: string,
  scope: string,
  delivery: string,
): Promise<void> {
  if (!isPreferenceScope(scope)) throw messagingErrors.invalidPreferenceScope(scope);
  if (!DELIVERIES.includes(delivery as Delivery)) {
    throw messagingErrors.invalidField('delivery', `must be one of ${DELIVERIES.join(', ')}`);
  }
  await upsertPreference(deps.db, { userId, scope, delivery, updatedAt: deps.clock.now() });
}

export async function clearPreference(deps: Pick<Deps, 'db'>, userId: string, scope: string) {
  if (!isPreferenceScope(scope)) throw messagingErrors.invalidPreferenceScope(scope);
  await deletePreference(deps.db, userId, scope);
}

/** RFC 8058 one-click unsubscribe: the link alone names person and list; it takes effect at once. */
export async function unsubscribe(deps: Pick<Deps, 'db' | 'clock' | 'secretKey'>, token: string) {
  const target = readUnsubscribeToken(deps, token);
  if (!target) throw messagingErrors.invalidUnsubscribeLink();
  await setPreference(deps, target.userId, target.scope, 'never');
  return target;
}

export function checkUnsubscribeLink(deps: Pick<Deps, 'clock' | 'secretKey'>, token: string) {
  const target = readUnsubscribeToken(deps, token);
  if (!target) throw messagingErrors.invalidUnsubscribeLink();
  return target;
}

/** Bounces and complaints from the mail provider: hard failures stop all mail to the address. */
export async function suppress(
  deps: Pick<Deps, 'db' | 'clock'>,
  email: string,
  reason: string,
  source: string,
): Promise<void> {
  await insertSuppression(deps.db, { email, reason, source, createdAt: deps.clock.now() });
}
