import type { Deps } from '../../deps.ts';
import { getUserById } from '../identity/index.ts';
import { appLabel } from '../oauth/index.ts';
import { digestMail, messageMail } from './messaging.mail.ts';
import { type Delivery, effectiveDelivery } from './messaging.policies.ts';
import {
  digestMessages,
  digestUsers,
  findMessage,
  isSuppressed,
  listPreferences,
  setEmailStatus,
  setEmailStatuses,
} from './messaging.repository.ts';
import type { EmailJob } from './messaging.usecases.ts';

export async function preferenceMap(deps: Pick<Deps, 'db'>, userId: string): Promise<Map<string, Delivery>> {
  const rows = await listPreferences(deps.db, userId);
  return new Map(rows.map((r) => [r.scope, r.delivery as Delivery]));
}

// App names come from oauth's cache, which a rename or deletion empties in every process (oauth.app-cache.ts).
async function appName(deps: Pick<Deps, 'db' | 'pool' | 'logger'>, appId: string | null) {
  return appId ? ((await appLabel(deps, appId))?.name ?? null) : null;
}

/**
 * The email job of one message. Preferences and suppressions are read now, at send time, not when the
 * message was accepted: a person who muted an app a second ago gets no mail. The Message-ID is fixed by the
 * message id, so a retry after a crash re-sends the same message rather than a new one.
 */
export async function emailMessage(deps: Deps, job: EmailJob): Promise<void> {
  const message = await findMessage(deps.db, job.message_id);
  if (message?.emailStatus !== 'pending') return;
  const user = await getUserById(deps, message.userId);
  if (!user?.emailVerified) {
    await setEmailStatus(deps.db, message.id, 'no_address', null);
    return;
  }
  const { delivery, scope } = effectiveDelivery(await preferenceMap(deps, user.id), message);
  if (delivery === 'never') return setEmailStatus(deps.db, message.id, 'muted', null);
  if (delivery !== 'immediately') return setEmailStatus(deps.db, message.id, `digest_${delivery}`, null);
  if (await isSuppressed(deps.db, user.email)) return setEmailStatus(deps.db, message.id, 'suppressed', null);
  const mail = messageMail(deps, {
    message,
    user,
    appName: await appName(deps, message.appId),
    scope,
    replyToken: job.reply_token,
  });
  await deps.mailer.send(mail);
  await setEmailStatus(deps.db, message.id, 'sent', deps.clock.now());
}

const DIGEST_USERS_PER_PAGE = 200;
const DIGEST_MAX_MESSAGES = 50;

/**
 * The daily or weekly digest: one mail per person with waiting messages (up to 50; the rest wait for the
 * next digest). Each message is marked as it is mailed, so a crashed run resumes without repeats.
 */
export async function sendDigests(deps: Deps, frequency: 'daily' | 'weekly'): Promise<number> {
  const status = `digest_${frequency}`;
  let mailed = 0;
  for (;;) {
    const users = await digestUsers(deps.db, status, DIGEST_USERS_PER_PAGE);
    if (users.length === 0) return mailed;
    for (const userId of users) {
      const batch = await digestMessages(deps.db, userId, status, DIGEST_MAX_MESSAGES);
      const user = await getUserById(deps, userId);
      const ids = batch.map((m) => m.id);
      const last = batch.at(-1);
      if (!user?.emailVerified || !last || (await isSuppressed(deps.db, user.email))) {
        await setEmailStatuses(deps.db, ids, 'suppressed', deps.clock.now());
        continue;
      }
      await deps.mailer.send(
        digestMail(deps, { user, frequency, messages: batch, key: `${userId}.${last.id}` }),
      );
      await setEmailStatuses(deps.db, ids, 'sent', deps.clock.now());
      mailed++;
    }
  }
}
