import type { JobHelpers } from 'graphile-worker';
import { Webhook } from 'standardwebhooks';
import type { Deps } from '../../deps.ts';
import type { OutboundFetch } from '../../lib/outbound.ts';
import { queueMail } from '../../mail/index.ts';
import { getUserById, profileUrl } from '../identity/index.ts';
import { getAppById } from '../oauth/index.ts';
import { mailHost } from './messaging.mail.ts';
import { findMessage, findReply, type ReplyRow, updateReply } from './messaging.repository.ts';
import { appReplySecret } from './messaging.tokens.ts';

const TIMEOUT_MS = 10_000;

/** The story's body: `from`, `reply-token`, `message`, plus the message id and time of receipt. */
export function replyBody(deps: Pick<Deps, 'config'>, reply: ReplyRow, username: string) {
  return JSON.stringify({
    from: profileUrl(deps.config, username),
    'reply-token': reply.replyToken,
    message: reply.body,
    message_id: reply.messageId,
    reply_id: reply.id,
    received_at: reply.receivedAt.toISOString(),
  });
}

async function put(
  outbound: OutboundFetch,
  url: string,
  headers: Record<string, string>,
  body: string,
): Promise<string | undefined> {
  try {
    const response = await outbound(url, {
      method: 'PUT',
      headers,
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    await response.body?.cancel().catch(() => {});
    return response.status >= 200 && response.status < 300 ? undefined : `HTTP ${response.status}`;
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : undefined;
    return (cause ?? (error instanceof Error ? error.message : String(error))).slice(0, 300);
  }
}

/**
 * Delivers one reply to the app's reply URL as a signed JSON PUT (Standard Webhooks headers, the app's
 * reply-signing secret). A failure throws, so the job queue retries with backoff; when the last attempt
 * fails the reply is marked failed and the person is told by mail that the app did not take it.
 */
export async function deliverReply(deps: Deps, payload: { reply_id: string }, helpers: JobHelpers) {
  const reply = await findReply(deps.db, payload.reply_id);
  if (reply?.deliveryStatus !== 'pending') return;
  const user = await getUserById(deps, reply.userId);
  const app = reply.appId ? await getAppById(deps, reply.appId) : undefined;
  const now = deps.clock.now();
  if (!user) return;
  if (!app?.replyUrl) {
    await giveUp(
      deps,
      reply,
      { deliveryStatus: 'no_reply_url', lastError: 'the app has no reply URL' },
      {
        email: user.email,
        appName: app?.name ?? 'the app',
        why: 'it has no reply address registered',
      },
    );
    return;
  }
  const body = replyBody(deps, reply, user.username);
  const secret = await appReplySecret(deps, app.id);
  const headers = {
    'content-type': 'application/json',
    'user-agent': 'Learnhub-Replies/1',
    'webhook-id': reply.id,
    'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
    'webhook-signature': new Webhook(secret).sign(reply.id, now, body),
  };
  const error = await put(deps.outbound, app.replyUrl, headers, body);
  const attempts = helpers.job.attempts;
  if (!error) {
    await updateReply(deps.db, reply.id, {
      deliveryStatus: 'delivered',
      deliveredAt: now,
      attempts,
      lastError: null,
    });
    return;
  }
  if (attempts >= helpers.job.max_attempts) {
    await giveUp(
      deps,
      reply,
      { deliveryStatus: 'failed', attempts, lastError: error },
      {
        email: user.email,
        appName: app.name,
        why: `its server kept failing (${error})`,
      },
    );
    return;
  }
  await updateReply(deps.db, reply.id, { attempts, lastError: error });
  throw new Error(`reply ${reply.id} to ${app.replyUrl}: ${error}`);
}

/** Marks the reply as not deliverable and tells the person, in one transaction (both or neither). */
async function giveUp(
  deps: Deps,
  reply: ReplyRow,
  status: { deliveryStatus: string; attempts?: number; lastError: string },
  notice: { email: string; appName: string; why: string },
) {
  const message = await findMessage(deps.db, reply.messageId);
  await deps.db.transaction(async (tx) => {
    await updateReply(tx, reply.id, status);
    await queueMail(
      tx,
      { ids: deps.ids, mailDomain: mailHost(deps) },
      {
        to: [notice.email],
        subject: `Your reply could not be delivered to ${notice.appName}`,
        text: `Your email reply${message ? ` to "${message.subject}"` : ''} reached Learnhub, but we could not pass it on to ${notice.appName}: ${notice.why}.\n\nWhat you wrote:\n\n${reply.body}\n`,
        headers: { 'Auto-Submitted': 'auto-replied' },
        messageId: `<reply-failed.${reply.id}@${mailHost(deps)}>`,
      },
    );
  });
}
