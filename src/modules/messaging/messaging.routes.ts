import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Static } from 'typebox';
import type { Deps } from '../../deps.ts';
import { errors } from '../../errors/index.ts';
import {
  clearPreference,
  getOwnMessage,
  getPreferences,
  listInbox,
  markRead,
  messageJson,
  setPreference,
} from './messaging.inbox.ts';
import {
  DeletePreferenceQuery,
  IdParams,
  MarkReadBody,
  MessageJson,
  MessageList,
  MessageListQuery,
  PreferenceList,
  PutPreferenceBody,
  ReplySecret,
  SendMessageBody,
  SentMessage,
} from './messaging.schemas.ts';
import { appReplySecret } from './messaging.tokens.ts';
import { sendMessage } from './messaging.usecases.ts';

const TAGS = ['messaging'];

function userId(request: FastifyRequest): string {
  const p = request.principal;
  if (p.kind === 'user') return p.userId;
  throw errors.unauthenticated();
}

function appId(request: FastifyRequest): string {
  const p = request.principal;
  if (p.kind === 'app' || p.kind === 'app_user') return p.appId;
  throw errors.unauthenticated();
}

export async function messagingRoutes(app: FastifyInstance, { deps }: { deps: Deps }): Promise<void> {
  app.post<{ Body: Static<typeof SendMessageBody> }>(
    '/api/v1/messages',
    {
      schema: {
        tags: TAGS,
        summary: 'Send a message to a person (inbox, and email per their preferences)',
        security: [{ bearer: [] }],
        body: SendMessageBody,
        response: { 201: SentMessage },
      },
      config: { principals: ['app', 'app_user', 'operator'] },
    },
    async (request, reply) => {
      const b = request.body;
      const sent = await sendMessage(deps, request.principal, {
        userProfile: b.user_profile,
        subject: b.subject,
        content: b.content,
        format: b.format ?? 'text',
        replyEnabled: b.reply_enabled ?? false,
        courseId: b.course_id,
        category: b.category,
      });
      reply.code(201);
      return sent.replyToken ? { id: sent.id, reply_token: sent.replyToken } : { id: sent.id };
    },
  );

  app.get<{ Querystring: Static<typeof MessageListQuery> }>(
    '/api/v1/me/messages',
    {
      schema: {
        tags: TAGS,
        summary: 'My inbox, newest first',
        querystring: MessageListQuery,
        response: { 200: MessageList },
      },
      config: { principals: ['user'] },
    },
    async (request) => {
      const page = await listInbox(deps, userId(request), request.query);
      return {
        data: page.messages.map(messageJson),
        unread_count: page.unreadCount,
        next_cursor: page.nextCursor,
      };
    },
  );

  app.get<{ Params: Static<typeof IdParams> }>(
    '/api/v1/me/messages/:id',
    {
      schema: {
        tags: TAGS,
        summary: 'One message of mine',
        params: IdParams,
        response: { 200: MessageJson },
      },
      config: { principals: ['user'] },
    },
    async (request) => messageJson((await getOwnMessage(deps, userId(request), request.params.id)).message),
  );

  app.patch<{ Params: Static<typeof IdParams>; Body: Static<typeof MarkReadBody> }>(
    '/api/v1/me/messages/:id',
    {
      schema: {
        tags: TAGS,
        summary: 'Mark a message read or unread',
        params: IdParams,
        body: MarkReadBody,
        response: { 200: MessageJson },
      },
      config: { principals: ['user'] },
    },
    async (request) =>
      messageJson(await markRead(deps, userId(request), request.params.id, request.body.read)),
  );

  app.get(
    '/api/v1/me/notification-preferences',
    {
      schema: { tags: TAGS, summary: 'My email preferences', response: { 200: PreferenceList } },
      config: { principals: ['user'] },
    },
    async (request) => ({ data: await getPreferences(deps, userId(request)) }),
  );

  app.put<{ Body: Static<typeof PutPreferenceBody> }>(
    '/api/v1/me/notification-preferences',
    {
      schema: {
        tags: TAGS,
        summary: 'Set when mail for a scope (default, an app, a course) is sent',
        body: PutPreferenceBody,
        response: { 200: PreferenceList },
      },
      config: { principals: ['user'] },
    },
    async (request) => {
      await setPreference(deps, userId(request), request.body.scope, request.body.delivery);
      return { data: await getPreferences(deps, userId(request)) };
    },
  );

  app.delete<{ Querystring: Static<typeof DeletePreferenceQuery> }>(
    '/api/v1/me/notification-preferences',
    {
      schema: {
        tags: TAGS,
        summary: 'Forget the preference of one scope (the wider one applies again)',
        querystring: DeletePreferenceQuery,
        response: { 200: PreferenceList },
      },
      config: { principals: ['user'] },
    },
    async (request) => {
      await clearPreference(deps, userId(request), request.query.scope);
      return { data: await getPreferences(deps, userId(request)) };
    },
  );

  app.get(
    '/api/v1/messages/reply-secret',
    {
      schema: {
        tags: TAGS,
        summary: "The app's secret for verifying reply PUTs (Standard Webhooks); made on first use",
        response: { 200: ReplySecret },
      },
      config: { principals: ['app', 'app_user'] },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return { secret: await appReplySecret(deps, appId(request)) };
    },
  );

  app.post(
    '/api/v1/messages/reply-secret',
    {
      schema: {
        tags: TAGS,
        summary: "Rotate the app's reply-signing secret",
        response: { 200: ReplySecret },
      },
      config: { principals: ['app'] },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return { secret: await appReplySecret(deps, appId(request), { rotate: true }) };
    },
  );
}
