import type { Deps } from '../../deps.ts';
import type { Principal } from '../../http/principal.ts';
import { enqueue } from '../../jobs/enqueue.ts';
import { resolveUserRef } from '../identity/index.ts';
import { getAppById, hasUserGrant } from '../oauth/index.ts';
import { type ContentFormat, renderContent } from './messaging.content.ts';
import { messagingErrors } from './messaging.errors.ts';
import { canSendMessage, senderAppId } from './messaging.policies.ts';
import { insertMessage, insertReplyToken } from './messaging.repository.ts';
import { newReplyToken, replyTokenHash } from './messaging.tokens.ts';

export const SEND_EMAIL = 'messaging.email';
export const MAX_CONTENT = 50_000;
export const MAX_SUBJECT = 200;

export interface SendMessageInput {
  readonly userProfile: string;
  readonly subject: string;
  readonly content: string;
  readonly format: ContentFormat;
  readonly replyEnabled: boolean;
  readonly courseId?: string | undefined;
  readonly category?: string | undefined;
}

export interface EmailJob {
  readonly message_id: string;
  /** Only for reply-enabled messages; the hub keeps just its hash. */
  readonly reply_token?: string;
}

function cleanSubject(subject: string): string {
  const s = subject.replace(/[\r\n\t]+/g, ' ').trim();
  if (s.length === 0) throw messagingErrors.invalidField('subject', 'must not be empty');
  if (s.length > MAX_SUBJECT)
    throw messagingErrors.invalidField('subject', `may be at most ${MAX_SUBJECT} characters`);
  return s;
}

/** The `[App name]` prefix, as in the story's "Subject: [P2PU] [SOGTA] reply to comment". */
export function prefixedSubject(appName: string | null, subject: string): string {
  if (!appName) return subject;
  const prefix = `[${appName.replace(/[\r\n[\]]+/g, ' ').trim()}]`;
  return subject.startsWith(prefix) ? subject : `${prefix} ${subject}`;
}

/**
 * An app (with the recipient's `notifications` grant) or an operator sends a message: it lands in the inbox
 * and an email job is queued in the same transaction; the job applies preferences and suppressions at
 * send time. Answers the id and, for reply-enabled messages, the reply token.
 */
export async function sendMessage(
  deps: Deps,
  principal: Principal,
  input: SendMessageInput,
): Promise<{ id: string; replyToken: string | undefined }> {
  const subject = cleanSubject(input.subject);
  if (input.content.length > MAX_CONTENT) throw messagingErrors.contentTooLarge(MAX_CONTENT);
  if (input.content.trim().length === 0) throw messagingErrors.invalidField('content', 'must not be empty');
  if (input.category !== undefined && !/^[a-z0-9][a-z0-9._-]{0,63}$/i.test(input.category)) {
    throw messagingErrors.invalidField('category', 'must be 1-64 letters, digits, ".", "_" or "-"');
  }
  const user = await resolveUserRef(deps, input.userProfile);
  const appId = senderAppId(principal);
  if (principal.kind !== 'operator' && appId === null) throw messagingErrors.notAllowed();
  // Unknown recipients and recipients without a grant answer the same for an app, so an app cannot probe
  // which people exist beyond those who connected it.
  const granted = user && appId ? await hasUserGrant(deps, appId, user.id, 'notifications') : false;
  if (principal.kind !== 'operator' && !granted) {
    if (!user) throw messagingErrors.recipientNotFound();
    throw messagingErrors.noNotificationsGrant();
  }
  if (!canSendMessage(principal, granted)) throw messagingErrors.noNotificationsGrant();
  if (!user) throw messagingErrors.recipientNotFound();
  const app = appId ? await getAppById(deps, appId) : undefined;
  const rendered = renderContent(input.content, input.format);
  const now = deps.clock.now();
  const id = deps.ids.uuid();
  const replyToken = input.replyEnabled ? newReplyToken(deps) : undefined;
  await deps.db.transaction(async (tx) => {
    await insertMessage(tx, {
      id,
      userId: user.id,
      appId,
      courseId: input.courseId ?? null,
      category: input.category ?? null,
      subject: prefixedSubject(app?.name ?? null, subject),
      contentText: rendered.text,
      contentHtml: rendered.html,
      replyEnabled: input.replyEnabled,
      emailStatus: 'pending',
      createdAt: now,
    });
    if (replyToken) {
      await insertReplyToken(tx, {
        tokenHash: replyTokenHash(replyToken),
        messageId: id,
        userId: user.id,
        appId,
        expiresAt: new Date(now.getTime() + deps.config.replyTokenTtlDays * 86_400_000),
        createdAt: now,
      });
    }
    const job: EmailJob = replyToken ? { message_id: id, reply_token: replyToken } : { message_id: id };
    await enqueue(tx, SEND_EMAIL, job, { jobKey: `${SEND_EMAIL}:${id}`, maxAttempts: 20 });
  });
  return { id, replyToken };
}
