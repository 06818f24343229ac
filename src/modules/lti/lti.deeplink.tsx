import { hkdfSync } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { jwtVerify, SignJWT } from 'jose';
import { type Static, Type } from 'typebox';
import type { Deps } from '../../deps.ts';
import { normaliseError } from '../../http/errors.ts';
import { renderPage } from '../../web/index.ts';
import { type Course, isCourseAdmin, resolveCourseRef } from '../courses/index.ts';
import { courseRole, DL, type LaunchClaims, LTI } from './lti.claims.ts';
import { launchErrors } from './lti.errors.ts';
import { signToolJwt } from './lti.keys.ts';
import { autoPostPage } from './lti.pages.tsx';
import type { LaunchResult } from './lti.provision.ts';
import { findPlatform, type PlatformRow } from './lti.repository.ts';
import { frameable, sendLaunchError } from './lti.respond.ts';

/** The picker must be answered within this time. */
const PICK_TTL_S = 30 * 60;

function pickKey(secretKey: string): Uint8Array {
  return new Uint8Array(hkdfSync('sha256', secretKey, 'learnhub', 'learnhub:lti-deep-linking', 32));
}

interface PickContext {
  readonly platformId: string;
  readonly userId: string;
  readonly deploymentId: string;
  readonly returnUrl: string;
  readonly data?: string;
  readonly teaching: boolean;
  readonly linkedCourseId?: string;
  readonly ags: boolean;
}

/** Refuses a deep-linking request the hub cannot answer, before the launch changes anything. */
export function checkDeepLinking(claims: LaunchClaims) {
  const settings = claims.deepLinking;
  if (!settings) throw launchErrors.missingClaim('deep linking: no settings');
  if (!settings.acceptTypes.includes('ltiResourceLink'))
    throw launchErrors.badRequest(
      `deep linking: accept_types ${settings.acceptTypes.join(',')} lacks ltiResourceLink`,
    );
  if (!courseRole(claims.roles).teaching)
    throw launchErrors.badRequest('deep linking: only instructors may add content');
  return settings;
}

/**
 * The instructor's choice page for an LtiDeepLinkingRequest. The settings travel in a hub-signed (HS256)
 * token in the form rather than in a session: the LMS frame may block the hub's cookies. The token is the
 * form's CSRF guard too: only the launch that verified the platform's id_token could have produced it.
 */
export async function renderDeepLinkPicker(
  deps: Deps,
  platform: PlatformRow,
  claims: LaunchClaims,
  result: LaunchResult,
): Promise<string> {
  const settings = checkDeepLinking(claims);
  const ctx: PickContext = {
    platformId: platform.id,
    userId: result.user.id,
    deploymentId: claims.deploymentId,
    returnUrl: settings.returnUrl,
    ...(settings.data !== undefined ? { data: settings.data } : {}),
    teaching: courseRole(claims.roles).teaching,
    ...(result.course ? { linkedCourseId: result.course.id } : {}),
    ags: claims.ags !== undefined,
  };
  const now = Math.floor(deps.clock.now().getTime() / 1000);
  const token = await new SignJWT({ ctx })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuedAt(now)
    .setExpirationTime(now + PICK_TTL_S)
    .sign(pickKey(deps.secretKey));
  const course = result.course;
  return renderPage({
    title: 'Add a hub course to your LMS',
    children: (
      <>
        <h1>Add a hub course to your LMS</h1>
        <form method="post" action="/lti/deep-link">
          <input type="hidden" name="dl" value={token} />
          {course ? (
            <p>
              <label>
                <input type="radio" name="course" value={course.id} checked />
                {` ${course.title} (the course linked to this LMS course)`}
              </label>
            </p>
          ) : null}
          <p>
            <label>
              Another course you teach (its path or address on the hub)
              <input type="text" name="other" maxLength={300} />
            </label>
          </p>
          <button type="submit">Add to the LMS</button>
        </form>
      </>
    ),
  });
}

const PickBody = Type.Object({
  dl: Type.String({ maxLength: 8192 }),
  course: Type.Optional(Type.String({ maxLength: 300 })),
  other: Type.Optional(Type.String({ maxLength: 300 })),
});

/** The signed LtiDeepLinkingResponse (Deep Linking 2.0 §4.2) with one ltiResourceLink item. */
export async function deepLinkingResponse(
  deps: Deps,
  platform: PlatformRow,
  ctx: PickContext,
  course: Course,
) {
  const item: Record<string, unknown> = {
    type: 'ltiResourceLink',
    title: course.title,
    url: `${deps.config.publicUrl}/lti/launch/${encodeURIComponent(course.path)}`,
    custom: { hub_course: course.id },
  };
  if (ctx.ags) item.lineItem = { scoreMaximum: 100, label: course.title, resourceId: course.id };
  return signToolJwt(
    deps,
    {
      iss: platform.clientId,
      aud: platform.issuer,
      nonce: deps.ids.token(16),
      [`${LTI}message_type`]: 'LtiDeepLinkingResponse',
      [`${LTI}version`]: '1.3.0',
      [`${LTI}deployment_id`]: ctx.deploymentId,
      [`${DL}content_items`]: [item],
      ...(ctx.data !== undefined ? { [`${DL}data`]: ctx.data } : {}),
    },
    { expiresInSeconds: 300 },
  );
}

export async function deepLinkRoutes(app: FastifyInstance, { deps }: { deps: Deps }) {
  app.setErrorHandler((error, request, reply) =>
    sendLaunchError(deps, request, reply, normaliseError(error, request)),
  );
  app.post<{ Body: Static<typeof PickBody> }>(
    '/lti/deep-link',
    {
      schema: {
        tags: ['lti'],
        summary: 'The instructor’s deep-linking choice; answers with the signed response',
        body: PickBody,
      },
    },
    async (request, reply) => {
      try {
        let ctx: PickContext;
        try {
          const { payload } = await jwtVerify(request.body.dl, pickKey(deps.secretKey), {
            algorithms: ['HS256'],
            currentDate: deps.clock.now(),
          });
          ctx = payload.ctx as PickContext;
        } catch {
          throw launchErrors.badState('deep linking: the choice form expired or was altered');
        }
        const platform = await findPlatform(deps.db, ctx.platformId);
        if (!platform) throw launchErrors.unknownPlatform(`deep linking: platform ${ctx.platformId} is gone`);
        const ref = request.body.other?.trim() || request.body.course || '';
        const course = ref ? await resolveCourseRef(deps, ref) : undefined;
        if (!course) throw launchErrors.notFound(`deep linking: course ${ref || '(none chosen)'} not found`);
        const allowed =
          course.id === ctx.linkedCourseId ||
          (await isCourseAdmin(deps, course.id, { kind: 'user', userId: ctx.userId, admin: false }));
        if (!allowed)
          throw launchErrors.badRequest(
            `deep linking: user ${ctx.userId} does not manage course ${course.id}`,
          );
        const jwt = await deepLinkingResponse(deps, platform, ctx, course);
        frameable(reply);
        return reply
          .type('text/html; charset=utf-8')
          .header('cache-control', 'no-store')
          .send(
            autoPostPage({ title: 'Returning to your LMS', action: ctx.returnUrl, fields: { JWT: jwt } }),
          );
      } catch (error) {
        return sendLaunchError(deps, request, reply, error);
      }
    },
  );
}
