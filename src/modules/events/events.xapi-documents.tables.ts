import { customType, index, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

const bytea = customType<{ data: Buffer }>({ dataType: () => 'bytea' });

/**
 * xAPI documents (State, Activity Profile, Agent Profile): opaque bytes with their content type,
 * kept per credential owner (`scope`: `program:<id>` or `app:<id>`), so one program never sees
 * another's. Keys that a kind does not use are '' (not NULL), so the primary key covers them.
 */
export const xapiDocuments = pgTable(
  'xapi_documents',
  {
    scope: text('scope').notNull(),
    /** 'state' | 'activity_profile' | 'agent_profile' */
    kind: text('kind').notNull(),
    activityId: text('activity_id').notNull(),
    /** The agent's inverse functional identifier (lib/xapi agentIfi). */
    agent: text('agent').notNull(),
    registration: text('registration').notNull(),
    /** stateId or profileId. */
    documentId: text('document_id').notNull(),
    contentType: text('content_type').notNull(),
    content: bytea('content').notNull(),
    /** Hex SHA-1 of the content (the xAPI ETag, unquoted). */
    sha1: text('sha1').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.scope, t.kind, t.activityId, t.agent, t.registration, t.documentId] }),
    // Lists with `since` read one owner's documents of one activity/agent newest first.
    index('xapi_documents_since_idx').on(t.scope, t.kind, t.activityId, t.agent, t.registration, t.updatedAt),
  ],
);
