import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type Static, Type } from 'typebox';
import type { Deps } from '../../deps.ts';
import { assertCsrf, csrfToken, installPageErrorHandler } from '../../web/index.ts';
import { sessionUser, type User } from '../identity/index.ts';
import { getAppById, listConnections } from '../oauth/index.ts';
import {
  checkUnsubscribeLink,
  clearPreference,
  getOwnMessage,
  getPreferences,
  listInbox,
  markRead,
  setPreference,
  unsubscribe,
} from './messaging.inbox.ts';
import {
  InboxPage,
  MessagePage,
  type PreferenceRowView,
  PreferencesPage,
  UnsubscribePage,
} from './messaging.pages.tsx';
import { IdParams } from './messaging.schemas.ts';

const HTML = 'text/html; charset=utf-8';
const InboxQuery = Type.Object(
  { cursor: Type.Optional(Type.String({ maxLength: 200 })) },
  { additionalProperties: false },
);
const FormBody = Type.Record(Type.String({ maxLength: 100 }), Type.String({ maxLength: 200 }), {
  maxProperties: 300,
});
const TokenParams = Type.Object({ token: Type.String({ minLength: 10, maxLength: 400 }) });

export async function messagingPageRoutes(app: FastifyInstance, { deps }: { deps: Deps }): Promise<void> {
  installPageErrorHandler(app);
  app.addHook('onSend', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
  });
  const csrf = (request: FastifyRequest, reply: FastifyReply) =>
    csrfToken(request, reply, deps.secretKey, { secure: deps.config.publicUrl.startsWith('https:') });

  async function signedIn(
    request: FastifyRequest,
    reply: FastifyReply,
    back: string,
  ): Promise<User | undefined> {
    const user = await sessionUser(deps, request);
    if (!user) await reply.redirect(`/login?return_to=${encodeURIComponent(back)}`, 303);
    return user;
  }

  app.get<{ Querystring: Static<typeof InboxQuery> }>(
    '/inbox',
    { schema: { hide: true, querystring: InboxQuery } },
    async (request, reply) => {
      const user = await signedIn(request, reply, '/inbox');
      if (!user) return reply;
      const page = await listInbox(deps, user.id, { limit: 25, cursor: request.query.cursor });
      const next = page.nextCursor ? `/inbox?cursor=${page.nextCursor}` : null;
      return reply
        .type(HTML)
        .send(InboxPage({ messages: page.messages, unread: page.unreadCount, nextHref: next }));
    },
  );

  app.get<{ Params: Static<typeof IdParams> }>(
    '/inbox/:id',
    { schema: { hide: true, params: IdParams } },
    async (request, reply) => {
      const user = await signedIn(request, reply, `/inbox/${request.params.id}`);
      if (!user) return reply;
      const { message, replies } = await getOwnMessage(deps, user.id, request.params.id);
      // Opening a message reads it.
      const shown = message.readAt ? message : await markRead(deps, user.id, message.id, true);
      return reply.type(HTML).send(MessagePage({ message: shown, replies, csrf: csrf(request, reply) }));
    },
  );

  app.post<{ Params: Static<typeof IdParams>; Body: Static<typeof FormBody> }>(
    '/inbox/:id/read',
    { schema: { hide: true, params: IdParams, body: FormBody } },
    async (request, reply) => {
      assertCsrf(request, deps.secretKey);
      const user = await signedIn(request, reply, '/inbox');
      if (!user) return reply;
      await markRead(deps, user.id, request.params.id, request.body.read !== 'false');
      return reply.redirect('/inbox', 303);
    },
  );

  async function preferenceRows(user: User): Promise<PreferenceRowView[]> {
    const prefs = new Map((await getPreferences(deps, user.id)).map((p) => [p.scope, p.delivery]));
    const rows: PreferenceRowView[] = [
      { scope: 'default', label: 'Default for everything', delivery: prefs.get('default') ?? '' },
    ];
    const seen = new Set(['default']);
    for (const c of await listConnections(deps, user.id)) {
      const scope = `app:${c.app.id}`;
      seen.add(scope);
      rows.push({ scope, label: `App: ${c.app.name}`, delivery: prefs.get(scope) ?? '' });
    }
    for (const [scope, delivery] of prefs) {
      if (seen.has(scope)) continue;
      const app = scope.startsWith('app:') ? await getAppById(deps, scope.slice(4)) : undefined;
      const label = app
        ? `App: ${app.name}`
        : scope.startsWith('course:')
          ? `Course ${scope.slice(7)}`
          : scope;
      rows.push({ scope, label, delivery });
    }
    return rows;
  }

  app.get('/account/notifications', { schema: { hide: true } }, async (request, reply) => {
    const user = await signedIn(request, reply, '/account/notifications');
    if (!user) return reply;
    const saved = (request.query as Record<string, unknown>).saved === '1';
    return reply
      .type(HTML)
      .send(PreferencesPage({ rows: await preferenceRows(user), csrf: csrf(request, reply), saved }));
  });

  app.post<{ Body: Static<typeof FormBody> }>(
    '/account/notifications',
    { schema: { hide: true, body: FormBody } },
    async (request, reply) => {
      assertCsrf(request, deps.secretKey);
      const user = await signedIn(request, reply, '/account/notifications');
      if (!user) return reply;
      for (const [field, value] of Object.entries(request.body)) {
        if (!field.startsWith('pref:')) continue;
        const scope = field.slice(5);
        if (value === '' && scope !== 'default') await clearPreference(deps, user.id, scope);
        else await setPreference(deps, user.id, scope, value);
      }
      return reply.redirect('/account/notifications?saved=1', 303);
    },
  );

  const describe = (scope: string) =>
    scope === 'default' ? 'all messages' : scope.startsWith('app:') ? 'this app' : 'this course';

  app.get<{ Params: Static<typeof TokenParams> }>(
    '/unsubscribe/:token',
    { schema: { hide: true, params: TokenParams } },
    async (request, reply) => {
      const target = checkUnsubscribeLink(deps, request.params.token);
      return reply
        .type(HTML)
        .send(UnsubscribePage({ token: request.params.token, done: false, what: describe(target.scope) }));
    },
  );

  // RFC 8058: mail clients POST `List-Unsubscribe=One-Click` with no cookies; the link is the credential,
  // so there is no CSRF check here, and the preference changes before the answer.
  app.post<{ Params: Static<typeof TokenParams> }>(
    '/unsubscribe/:token',
    { schema: { hide: true, params: TokenParams } },
    async (request, reply) => {
      const target = await unsubscribe(deps, request.params.token);
      return reply
        .type(HTML)
        .send(UnsubscribePage({ token: request.params.token, done: true, what: describe(target.scope) }));
    },
  );
}
