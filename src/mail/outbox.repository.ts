import { desc, sql } from 'drizzle-orm';
import type { Executor } from '../db/client.ts';
import { outbox } from '../db/core.tables.ts';

export type OutboxEntry = typeof outbox.$inferSelect;

/** Keeps one mail; sending the same Message-ID again (a retried job) keeps the first copy. */
export async function insertOutboxEntry(db: Executor, entry: typeof outbox.$inferInsert): Promise<void> {
  await db.insert(outbox).values(entry).onConflictDoNothing();
}

export interface OutboxCursor {
  readonly createdAt: Date;
  readonly id: string;
}

/** Newest first, keyset-paged on (created_at, id) so entries with equal timestamps are neither lost nor repeated. */
export async function listOutbox(
  db: Executor,
  options: { limit: number; after?: OutboxCursor | undefined },
): Promise<OutboxEntry[]> {
  const after = options.after;
  return db
    .select()
    .from(outbox)
    .where(
      after
        ? sql`(${outbox.createdAt}, ${outbox.id}) < (${after.createdAt.toISOString()}::timestamptz, ${after.id}::uuid)`
        : undefined,
    )
    .orderBy(desc(outbox.createdAt), desc(outbox.id))
    .limit(options.limit);
}

/** The outbox entry as the API and `learnhub mail list --json` show it (snake_case, RFC 3339). */
export function outboxEntryJson(m: OutboxEntry) {
  return {
    id: m.id,
    message_id: m.messageId,
    from: m.from,
    to: m.to,
    subject: m.subject,
    text: m.text,
    html: m.html,
    headers: m.headers,
    created_at: m.createdAt.toISOString(),
  };
}
