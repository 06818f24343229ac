import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import { type Static, Type } from 'typebox';
import type { Deps } from '../../deps.ts';
import { assertCsrf, csrfToken, installPageErrorHandler } from '../../web/index.ts';
import { resolveCourseRef } from '../courses/index.ts';
import { getUsersByIds, profileUrl, sessionUser, type User } from '../identity/index.ts';
import { appNamesFor } from './activity.as2.ts';
import { activityErrors } from './activity.errors.ts';
import { activityFeed } from './activity.feed.ts';
import { nounKey } from './activity.nouns.ts';
import { DeleteConfirmPage, FeedList, FeedPageView, type FeedView, SettingsPage } from './activity.pages.tsx';
import { type ActivityRow, findActivityById } from './activity.repository.ts';
import { CsrfForm, PrivacyForm } from './activity.schemas.ts';
import { deleteActivity, getFeedSettings, setFeedPrivate } from './activity.usecases.ts';

const HTML = 'text/html; charset=utf-8';
const PROFILE_FEED_SIZE = 20;

async function feedView(
  deps: Deps,
  noun: string,
  viewer: Pick<User, 'id' | 'username'> | undefined,
  options: { limit: number; cursor?: string | undefined },
): Promise<FeedView> {
  const page = await activityFeed(deps, {
    noun,
    limit: options.limit,
    cursor: options.cursor,
    viewerId: viewer?.id,
  });
  const ownKey = viewer
    ? nounKey(deps.config.publicUrl, profileUrl(deps.config, viewer.username))
    : undefined;
  const ownFeed = ownKey !== undefined && nounKey(deps.config.publicUrl, page.noun) === ownKey;
  return {
    items: page.items,
    names: await namesFor(deps, page.items),
    now: deps.clock.now(),
    appNames: await appNamesFor(
      deps,
      page.items.map((i) => i.appId),
    ),
    // On your own feed everything is about you; elsewhere, what you did.
    deletable: (item) => viewer !== undefined && (ownFeed || item.actorUserId === viewer.id),
    moreHref: page.nextCursor
      ? `/activity?noun=${encodeURIComponent(page.noun)}&cursor=${encodeURIComponent(page.nextCursor)}`
      : null,
    privateNote: ownFeed && viewer !== undefined && (await getFeedSettings(deps, viewer.id)).private,
    settingsHref: ownFeed ? '/account/activity' : null,
  };
}

/**
 * Display names for a page of activities: people by id (one query), course titles for this hub's course URLs
 * (at most one lookup per distinct course on the page), and the badge name of the hub's own "earned"
 * activities, which the hub wrote into their message as "<name> earned <badge>" (activity.jobs.ts).
 */
async function namesFor(deps: Deps, items: readonly ActivityRow[]): Promise<FeedView['names']> {
  const people = new Map<string, string>();
  const ids = [...new Set(items.map((i) => i.actorUserId).filter((id): id is string => id !== null))];
  for (const [id, user] of await getUsersByIds(deps, ids)) people.set(id, user.name);
  const titles = new Map<string, string>();
  const prefix = `${deps.config.publicUrl}/courses/`;
  const courses = new Set(
    items.flatMap((i) => [i.course, i.object]).filter((u): u is string => !!u && u.startsWith(prefix)),
  );
  for (const url of courses) {
    const course = await resolveCourseRef(deps, url);
    if (course) titles.set(url, course.title);
  }
  for (const item of items) {
    const at = item.message?.indexOf(' earned ') ?? -1;
    if (item.appId === null && item.verb === 'earn' && item.message && at > 0) {
      titles.set(item.object, item.message.slice(at + ' earned '.length));
    }
  }
  return { people, titles };
}

/**
 * The activity section for another module's page (the profile page, a course page): the newest activities
 * involving `noun`, as `viewer` may see them, with delete links where the viewer may delete.
 */
export async function renderFeed(
  deps: Deps,
  noun: string,
  viewer: Pick<User, 'id' | 'username'> | undefined,
): Promise<VNode> {
  return FeedList(await feedView(deps, noun, viewer, { limit: PROFILE_FEED_SIZE }));
}

const FeedPageQuery = Type.Object({
  noun: Type.String({ minLength: 1, maxLength: 2000 }),
  cursor: Type.Optional(Type.String({ maxLength: 300 })),
});
const IdParams = Type.Object({ id: Type.String({ maxLength: 64 }) });
const SavedQuery = Type.Object({ saved: Type.Optional(Type.String({ maxLength: 5 })) });

/** The feed pages: a full paged feed, deleting an activity, and the privacy setting. */
export async function activityPages(app: FastifyInstance, { deps }: { deps: Deps }): Promise<void> {
  installPageErrorHandler(app);
  app.addHook('onSend', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
  });
  const csrf = (request: FastifyRequest, reply: FastifyReply) =>
    csrfToken(request, reply, deps.secretKey, { secure: deps.config.publicUrl.startsWith('https:') });

  async function requireUser(request: FastifyRequest, reply: FastifyReply, back: string) {
    const user = await sessionUser(deps, request);
    if (!user) await reply.redirect(`/login?return_to=${encodeURIComponent(back)}`, 303);
    return user;
  }

  app.get<{ Querystring: Static<typeof FeedPageQuery> }>(
    '/activity',
    { schema: { hide: true, querystring: FeedPageQuery } },
    async (request, reply) => {
      const viewer = await sessionUser(deps, request);
      const view = await feedView(deps, request.query.noun, viewer, {
        limit: 50,
        cursor: request.query.cursor,
      });
      return reply
        .type(HTML)
        .send(FeedPageView({ noun: request.query.noun, signedIn: viewer !== undefined, view }));
    },
  );

  app.get<{ Params: Static<typeof IdParams> }>(
    '/activity/:id/delete',
    { schema: { hide: true, params: IdParams } },
    async (request, reply) => {
      const user = await requireUser(request, reply, request.url);
      if (!user) return reply;
      const item = /^[0-9a-f-]{36}$/i.test(request.params.id)
        ? await findActivityById(deps.db, request.params.id.toLowerCase())
        : undefined;
      if (!item || item.deletedAt) throw activityErrors.notFound();
      return reply.type(HTML).send(DeleteConfirmPage({ item, csrf: csrf(request, reply) }));
    },
  );

  app.post<{ Params: Static<typeof IdParams>; Body: Static<typeof CsrfForm> }>(
    '/activity/:id/delete',
    { schema: { hide: true, params: IdParams, body: CsrfForm } },
    async (request, reply) => {
      const user = await requireUser(request, reply, `/activity/${request.params.id}/delete`);
      if (!user) return reply;
      assertCsrf(request, deps.secretKey);
      await deleteActivity(deps, { kind: 'user', userId: user.id, admin: user.admin }, request.params.id);
      return reply.redirect(`/u/${encodeURIComponent(user.username)}#activity`, 303);
    },
  );

  app.get<{ Querystring: Static<typeof SavedQuery> }>(
    '/account/activity',
    { schema: { hide: true, querystring: SavedQuery } },
    async (request, reply) => {
      const user = await requireUser(request, reply, '/account/activity');
      if (!user) return reply;
      const settings = await getFeedSettings(deps, user.id);
      const page = SettingsPage({
        isPrivate: settings.private,
        csrf: csrf(request, reply),
        saved: request.query.saved === '1',
        profileHref: `/u/${encodeURIComponent(user.username)}`,
      });
      return reply.type(HTML).send(page);
    },
  );

  app.post<{ Body: Static<typeof PrivacyForm> }>(
    '/account/activity',
    { schema: { hide: true, body: PrivacyForm } },
    async (request, reply) => {
      const user = await requireUser(request, reply, '/account/activity');
      if (!user) return reply;
      assertCsrf(request, deps.secretKey);
      await setFeedPrivate(deps, user.id, request.body.private === 'on');
      return reply.redirect('/account/activity?saved=1', 303);
    },
  );
}
