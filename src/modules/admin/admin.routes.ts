import type { FastifyInstance } from 'fastify';
import type { Static } from 'typebox';
import type { Deps } from '../../deps.ts';
import { errors } from '../../errors/index.ts';
import { decodeKeyset, encodeCursor } from '../../lib/cursor.ts';
import { type OutboxCursor, type OutboxEntry, outboxEntryJson } from '../../mail/index.ts';
import { MailPage } from './admin.pages.tsx';
import { MailList, MailListQuery } from './admin.schemas.ts';
import { listMail } from './admin.usecases.ts';

function parseCursor(cursor: string | undefined): OutboxCursor | undefined {
  if (cursor === undefined) return undefined;
  const position = decodeKeyset(cursor, ['timestamp', 'uuid']);
  if (!position)
    throw errors.badRequest('request.invalid_cursor', 'cursor: is not a cursor this endpoint issued');
  const [createdAt, id] = position;
  return { createdAt, id };
}

function nextCursor(page: OutboxEntry[], limit: number): string | null {
  const last = page.at(-1);
  return page.length === limit && last ? encodeCursor([last.createdAt.toISOString(), last.id]) : null;
}

export async function adminRoutes(app: FastifyInstance, { deps }: { deps: Deps }): Promise<void> {
  app.get<{ Querystring: Static<typeof MailListQuery> }>(
    '/api/v1/admin/mail',
    {
      schema: {
        tags: ['admin'],
        summary: 'Mail in the built-in outbox (when no SMTP_URL is set), newest first',
        security: [{ bearer: [] }],
        querystring: MailListQuery,
        response: { 200: MailList },
      },
      config: { principals: ['operator', 'user'] },
    },
    async (request) => {
      const { limit } = request.query;
      const page = await listMail(deps, request.principal, {
        limit,
        after: parseCursor(request.query.cursor),
      });
      return {
        data: page.map(outboxEntryJson),
        next_cursor: nextCursor(page, limit),
      };
    },
  );

  app.get<{ Querystring: Static<typeof MailListQuery> }>(
    '/admin/mail',
    {
      schema: { hide: true, querystring: MailListQuery },
      config: { principals: ['operator', 'user'] },
    },
    async (request, reply) => {
      const { limit } = request.query;
      const page = await listMail(deps, request.principal, {
        limit,
        after: parseCursor(request.query.cursor),
      });
      const cursor = nextCursor(page, limit);
      reply.type('text/html; charset=utf-8');
      return MailPage({
        mails: page,
        nextHref: cursor ? `/admin/mail?cursor=${cursor}&limit=${limit}` : null,
      });
    },
  );
}
