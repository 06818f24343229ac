import type { Database } from '../../db/client.ts';
import type { Deps } from '../../deps.ts';
import { type EncodedBody, isPermanentMailError } from '../../mail/index.ts';
import { getUsersByIds, type User } from '../identity/index.ts';
import { appLabel } from '../oauth/index.ts';
import { findAnnouncementContents } from './messaging.announcements.repository.ts';
import { announcementLead, type MailSource, messageMail } from './messaging.mail.ts';
import { type Delivery, effectiveDelivery } from './messaging.policies.ts';
import {
  findPendingRecipients,
  markEmailed,
  preferencesOf,
  setEmailStatuses,
  suppressedAmong,
} from './messaging.repository.ts';

/**
 * Mails of one batch handed to the SMTP pool at a time: as many as the pool has connections by default, so
 * one batch alone keeps them busy. More only wait in the pool's queue, holding memory.
 */
const LANES = 5;

/**
 * Marks mails sent as soon as their server said 250, grouping the marks of mails that finish while the previous
 * UPDATE is on its way into the next one (a group commit). A crash can so only repeat the mails on the
 * wire and those waiting for one UPDATE, not a whole batch, at one statement per few mails.
 */
class SentMarks {
  #waiting: { id: string; done: () => void; failed: (error: unknown) => void }[] = [];
  #flushing = false;

  constructor(
    private readonly db: Database,
    private readonly now: () => Date,
  ) {}

  mark(id: string): Promise<void> {
    return new Promise((done, failed) => {
      this.#waiting.push({ id, done, failed });
      if (!this.#flushing) void this.#flush();
    });
  }

  async #flush(): Promise<void> {
    this.#flushing = true;
    while (this.#waiting.length > 0) {
      const group = this.#waiting.splice(0, 1000);
      try {
        await markEmailed(
          this.db,
          group.map((w) => w.id),
          'sent',
          this.now(),
        );
        for (const w of group) w.done();
      } catch (error) {
        for (const w of group) w.failed(error);
      }
    }
    this.#flushing = false;
  }
}

const marksByDb = new WeakMap<Database, SentMarks>();

function sentMarks(deps: Pick<Deps, 'db' | 'clock'>): SentMarks {
  let marks = marksByDb.get(deps.db);
  if (!marks) {
    marks = new SentMarks(deps.db, () => deps.clock.now());
    marksByDb.set(deps.db, marks);
  }
  return marks;
}

// Announcements are sent in many batches; their content is encoded once per process, not once per mail.
let lastLead: { text: string; html: string; lead: EncodedBody } | undefined;

function leadFor(text: string, html: string): EncodedBody {
  if (lastLead?.text !== text || lastLead.html !== html) {
    lastLead = { text, html, lead: announcementLead(text, html) };
  }
  return lastLead.lead;
}

// App names come from oauth's cache, which a rename or deletion empties in every process (oauth.app-cache.ts).
async function appName(deps: Pick<Deps, 'db' | 'pool' | 'logger'>, appId: string | null) {
  return appId ? ((await appLabel(deps, appId))?.name ?? null) : null;
}

type Recipient = Omit<MailSource, 'contentText' | 'contentHtml'> & { userId: string };

/** Who gets mail now, and the status of everyone who does not (muted, digest, suppressed, no address). */
async function sortOut(deps: Deps, batch: Recipient[]) {
  const userIds = [...new Set(batch.map((m) => m.userId))];
  const announcementIds = [...new Set(batch.flatMap((m) => (m.announcementId ? [m.announcementId] : [])))];
  const [users, prefRows, contents] = await Promise.all([
    getUsersByIds(deps, userIds),
    preferencesOf(deps.db, userIds),
    findAnnouncementContents(deps.db, announcementIds),
  ]);
  const prefs = new Map<string, Map<string, Delivery>>();
  for (const p of prefRows) {
    const map = prefs.get(p.userId) ?? new Map<string, Delivery>();
    map.set(p.scope, p.delivery as Delivery);
    prefs.set(p.userId, map);
  }
  const verified = [...users.values()].filter((u) => u.emailVerified);
  const suppressed = await suppressedAmong(
    deps.db,
    verified.map((u) => u.email),
  );
  const content = new Map(contents.map((c) => [c.id, c]));
  const outcome = new Map<string, string[]>();
  const toSend: { message: MailSource; user: User; scope: string; lead: EncodedBody }[] = [];
  for (const message of batch) {
    const user = users.get(message.userId);
    const body = message.announcementId ? content.get(message.announcementId) : undefined;
    let status: string | undefined;
    if (!user?.emailVerified) status = 'no_address';
    // Only announcements are sent in batches, and they are never deleted; without one there is nothing to send.
    else if (!body) status = 'cancelled';
    else {
      const effective = effectiveDelivery(prefs.get(user.id) ?? new Map(), message);
      if (effective.delivery === 'never') status = 'muted';
      else if (effective.delivery !== 'immediately') status = `digest_${effective.delivery}`;
      else if (suppressed.has(user.email.toLowerCase())) status = 'suppressed';
      else {
        const source = { ...message, contentText: body.contentText, contentHtml: body.contentHtml };
        toSend.push({
          message: source,
          user,
          scope: effective.scope,
          lead: leadFor(body.contentText, body.contentHtml),
        });
      }
    }
    if (status) {
      const ids = outcome.get(status) ?? [];
      ids.push(message.id);
      outcome.set(status, ids);
    }
  }
  return { outcome, toSend };
}

/**
 * A batch of an announcement's sends. Recipients, preferences and suppressions are read at send time, for the
 * whole batch at once; only messages still pending are sent, so a retried batch repeats none that were marked.
 * Each mail is marked sent right after the server's 250 (grouped, see SentMarks). A mail the server refuses
 * for good (5xx) is marked `failed`; any other error fails the job after the rest of the batch is sent, and the
 * retry sends only what is still pending.
 */
export async function emailBatch(deps: Deps, ids: readonly string[]): Promise<void> {
  const batch = await findPendingRecipients(deps.db, ids);
  if (batch.length === 0) return;
  const { outcome, toSend } = await sortOut(deps, batch);
  for (const [status, statusIds] of outcome) await setEmailStatuses(deps.db, statusIds, status, null);
  const marks = sentMarks(deps);
  const failed: string[] = [];
  let retryable: unknown;
  let next = 0;
  const lane = async () => {
    for (let item = toSend[next++]; item; item = toSend[next++]) {
      const name = await appName(deps, item.message.appId);
      try {
        await deps.mailer.send(
          messageMail(deps, { ...item, appName: name, replyToken: undefined, lead: item.lead }),
        );
      } catch (error) {
        if (isPermanentMailError(error)) failed.push(item.message.id);
        else retryable ??= error;
        continue;
      }
      await marks.mark(item.message.id);
    }
  };
  await Promise.all(Array.from({ length: Math.min(LANES, toSend.length) }, lane));
  if (failed.length > 0) await markEmailed(deps.db, failed, 'failed', deps.clock.now());
  if (retryable) throw retryable;
}
