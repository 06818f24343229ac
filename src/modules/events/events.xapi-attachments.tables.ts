import { customType, integer, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

const bytea = customType<{ data: Buffer }>({ dataType: () => 'bytea' });

/**
 * xAPI attachment bodies (the multipart/mixed parts of a statement request), stored once per program by
 * their SHA-2: statements name them by `sha2`, and `GET /statements?attachments=true` sends them back.
 */
export const xapiAttachments = pgTable(
  'xapi_attachments',
  {
    programId: text('program_id').notNull(),
    /** Lower-case hex SHA-2 (224/256/384/512) of the content, as the statement's attachment names it. */
    sha2: text('sha2').notNull(),
    contentType: text('content_type').notNull(),
    content: bytea('content').notNull(),
    length: integer('length').notNull(),
    storedAt: timestamp('stored_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.programId, t.sha2] })],
);
