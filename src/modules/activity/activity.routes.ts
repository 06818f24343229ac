import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Static } from 'typebox';
import type { Deps } from '../../deps.ts';
import { AS2_MEDIA_TYPE, fromAs2, toAs2Page, wantsAs2 } from './activity.as2.ts';
import { activityFeed, activityFeedJson, type FeedJson } from './activity.feed.ts';
import { viewerOf } from './activity.policies.ts';
import type { ActivityRow } from './activity.repository.ts';
import {
  Activity,
  ActivityBody,
  ActivityIdParams,
  AppActivityParams,
  As2ActivityBody,
  As2Page,
  FeedPage,
  FeedQuery,
  FeedSettings,
  FeedSettingsBody,
} from './activity.schemas.ts';
import {
  deleteActivity,
  getFeedSettings,
  type PublishInput,
  publishActivity,
  putActivity,
  setFeedPrivate,
} from './activity.usecases.ts';
import { refuseNonStringTitles } from './activity.validation.ts';

export function toJson(a: ActivityRow): Static<typeof Activity> {
  return {
    id: a.id,
    app_id: a.appId,
    app_activity_id: a.appActivityId,
    actor: a.actorUrl,
    actor_id: a.actorUserId,
    verb: a.verb,
    object: a.object,
    object_name: a.objectName,
    target: a.target,
    course: a.course,
    verb_url: a.verbUrl,
    message: a.message,
    published: a.publishedAt.toISOString(),
    updated: a.updatedAt.toISOString(),
  };
}

const PUBLISHERS = ['app', 'app_user'] as const;
const AS2_LD_TYPE = 'application/ld+json';

/** Publish bodies: native JSON, or the same activity as Activity Streams 2.0. */
const PUBLISH_BODY = {
  content: {
    'application/json': { schema: ActivityBody },
    [AS2_MEDIA_TYPE]: { schema: As2ActivityBody },
    [AS2_LD_TYPE]: { schema: As2ActivityBody },
  },
};
type PublishBody = Static<typeof ActivityBody> | Static<typeof As2ActivityBody>;

/**
 * The body as native input. Fastify validated it with the schema of its content type, so a body with a `type`
 * (which the native schema refuses) is an AS2 activity, translated here.
 */
function publishInput(request: FastifyRequest<{ Body: PublishBody }>): PublishInput {
  const body = request.body;
  return 'type' in body ? { ...fromAs2(body), nameField: 'object.name' } : body;
}

/** Runs before the body schema (which coerces scalars to strings) sees the body. */
const titlesAreStrings = async (request: FastifyRequest) => refuseNonStringTitles(request.body);

const AS2_INPUT =
  ' The body may also be an Activity Streams 2.0 activity (`Content-Type: application/activity+json`): ' +
  'see docs/activity.md for how its properties map.';
const ERRORS = 'Errors are problem+json with a stable `code`.';

function feedUrl(deps: Deps, request: FastifyRequest, cursor: string | null | undefined): string {
  const url = new URL(request.url, deps.config.publicUrl);
  const target = new URL(`${deps.config.publicUrl}/api/v1/activities`);
  for (const [key, value] of url.searchParams) if (key !== 'cursor') target.searchParams.append(key, value);
  if (cursor) target.searchParams.set('cursor', cursor);
  return target.toString();
}

/**
 * The native feed page, `{"noun", "data", "next_cursor"}` in FeedPage's shape, around the activities' JSON text
 * that PostgreSQL built. Written into one buffer so the page's text is copied once, off the JS heap (a string
 * body would be concatenated with the headers and flattened again on the heap: garbage on the hottest read).
 */
function feedBody(page: FeedJson): Buffer {
  const head = `{"noun":${JSON.stringify(page.noun)},"data":`;
  const tail = `,"next_cursor":${JSON.stringify(page.nextCursor)}}`;
  const headLength = Buffer.byteLength(head);
  const itemsLength = Buffer.byteLength(page.items);
  const body = Buffer.allocUnsafe(headLength + itemsLength + Buffer.byteLength(tail));
  body.write(head, 0);
  body.write(page.items, headLength);
  body.write(tail, headLength + itemsLength);
  return body;
}

/** The native activity API: publish (POST, idempotent PUT), read by noun (JSON or AS2), delete, privacy. */
export async function activityRoutes(app: FastifyInstance, { deps }: { deps: Deps }): Promise<void> {
  // AS2 bodies are JSON under their own media types (within this plugin only).
  app.addContentTypeParser(
    [AS2_MEDIA_TYPE, AS2_LD_TYPE],
    { parseAs: 'string' },
    app.getDefaultJsonParser('error', 'error'),
  );

  app.post<{ Body: PublishBody }>(
    '/api/v1/activities',
    {
      schema: {
        tags: ['activities'],
        summary: 'Publish an activity',
        description:
          "With an `actor`, the app must hold that person's `activities:publish` grant (else 403 " +
          '`activity.not_permitted`); without one the activity is anonymous, attributed to the app.' +
          AS2_INPUT +
          ' ' +
          ERRORS,
        security: [{ bearer: [] }],
        body: PUBLISH_BODY,
        response: { 201: Activity },
      },
      config: { principals: PUBLISHERS },
      preValidation: titlesAreStrings,
    },
    async (request, reply) => {
      const { activity } = await publishActivity(deps, request.principal, publishInput(request));
      return reply.code(201).send(toJson(activity));
    },
  );

  app.put<{ Params: Static<typeof AppActivityParams>; Body: PublishBody }>(
    '/api/v1/activities/:activity_id',
    {
      schema: {
        tags: ['activities'],
        summary: "Publish or update an activity under the app's own id (idempotent)",
        description:
          '201 when new; 200 when the same id was already published (unchanged content is a no-op, different ' +
          'content replaces it); 410 `activity.deleted` when the person deleted it.' +
          AS2_INPUT +
          ' ' +
          ERRORS,
        security: [{ bearer: [] }],
        params: AppActivityParams,
        body: PUBLISH_BODY,
        response: { 200: Activity, 201: Activity },
      },
      config: { principals: PUBLISHERS },
      preValidation: titlesAreStrings,
    },
    async (request, reply) => {
      const result = await putActivity(
        deps,
        request.principal,
        request.params.activity_id,
        publishInput(request),
      );
      return reply.code(result.outcome === 'created' ? 201 : 200).send(toJson(result.activity));
    },
  );

  app.get<{ Querystring: Static<typeof FeedQuery> }>(
    '/api/v1/activities',
    {
      schema: {
        tags: ['activities'],
        summary: 'Every activity involving a noun (a person, a course, any URL), newest first',
        description:
          'JSON by default; Activity Streams 2.0 (an OrderedCollectionPage) with ' +
          '`Accept: application/activity+json`. Deleted activities and those of people with a private feed ' +
          '(except for themselves) are left out. A noun nobody mentioned is an empty feed.',
        querystring: FeedQuery,
        response: {
          200: {
            content: {
              'application/json': { schema: FeedPage },
              [AS2_MEDIA_TYPE]: { schema: As2Page },
            },
          },
        },
      },
      config: { principals: ['anonymous', 'user', 'app', 'app_user', 'operator'] },
    },
    async (request, reply) => {
      const { noun, limit, cursor, verb, app: appId, since, until } = request.query;
      const feed = {
        noun,
        limit,
        cursor,
        verb,
        app: appId,
        since,
        until,
        viewerId: viewerOf(request.principal),
      };
      reply.header('vary', 'accept');
      if (wantsAs2(request.headers.accept)) {
        const page = await activityFeed(deps, feed);
        const body = await toAs2Page(deps, page.items, {
          id: feedUrl(deps, request, cursor),
          partOf: feedUrl(deps, request, undefined),
          next: page.nextCursor ? feedUrl(deps, request, page.nextCursor) : null,
          noun: page.noun,
        });
        return reply.type(AS2_MEDIA_TYPE).send(body);
      }
      const page = await activityFeedJson(deps, feed);
      return reply.type('application/json; charset=utf-8').send(feedBody(page));
    },
  );

  app.delete<{ Params: Static<typeof ActivityIdParams> }>(
    '/api/v1/activities/:activity_id',
    {
      schema: {
        tags: ['activities'],
        summary: "Delete an activity (by the hub's `id`, not the app's id)",
        description:
          'The person the activity is about (its actor, or named by profile URL as object, target or course) ' +
          'or the app that published it may delete it. It disappears from every feed and cannot be published ' +
          'again under the same app id.',
        security: [{ session: [] }, { bearer: [] }],
        params: ActivityIdParams,
        response: { 204: { type: 'null', description: 'Deleted.' } },
      },
      config: { principals: ['user', 'app', 'app_user'] },
    },
    async (request, reply) => {
      await deleteActivity(deps, request.principal, request.params.activity_id);
      return reply.code(204).send();
    },
  );

  app.get(
    '/api/v1/me/activity-settings',
    {
      schema: {
        tags: ['activities'],
        summary: 'Your activity feed settings',
        security: [{ session: [] }],
        response: { 200: FeedSettings },
      },
      config: { principals: ['user'] },
    },
    async (request) => {
      const { principal } = request;
      if (principal.kind !== 'user') throw new Error('route accepts users only');
      return getFeedSettings(deps, principal.userId);
    },
  );

  app.put<{ Body: Static<typeof FeedSettingsBody> }>(
    '/api/v1/me/activity-settings',
    {
      schema: {
        tags: ['activities'],
        summary: 'Make your activity feed private or public',
        security: [{ session: [] }],
        body: FeedSettingsBody,
        response: { 200: FeedSettings },
      },
      config: { principals: ['user'] },
    },
    async (request) => {
      const { principal } = request;
      if (principal.kind !== 'user') throw new Error('route accepts users only');
      return setFeedPrivate(deps, principal.userId, request.body.private);
    },
  );
}
