import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type Static, Type } from 'typebox';
import type { Deps } from '../../deps.ts';
import { normaliseError } from '../../http/errors.ts';
import { startSession } from '../identity/index.ts';
import { checkDeepLinking, renderDeepLinkPicker } from './lti.deeplink.tsx';
import type { PlatformKeys } from './lti.jwks.ts';
import { publishedJwks } from './lti.keys.ts';
import { verifyLaunch } from './lti.launch.ts';
import { type LoginInput, STATE_TTL_MS, startLogin, stateCookieName } from './lti.login.ts';
import { LTI_SCRIPT, registeredPage, storageGetPage, storagePutPage } from './lti.pages.tsx';
import { provisionLaunch } from './lti.provision.ts';
import { dynamicRegistration } from './lti.register.ts';
import { frameable, html, sendLaunchError } from './lti.respond.ts';

const tags = ['lti'];
const Str = Type.Optional(Type.String({ maxLength: 4096 }));
export const LoginParams = Type.Object({
  iss: Str,
  login_hint: Str,
  target_link_uri: Str,
  lti_message_hint: Str,
  lti_deployment_id: Str,
  client_id: Str,
  lti_storage_target: Str,
});
export const LaunchBody = Type.Object({
  id_token: Type.Optional(Type.String({ maxLength: 65_536 })),
  state: Str,
  lti_storage_state: Str,
});
const Html = Type.String({ description: 'An HTML page' });

function origin(url: string): string {
  return new URL(url).origin;
}

/** Handles an id_token POST (at /lti/launch, /lti/launch/<path>, /openlearning/lti/<path>). */
export async function handleLaunch(
  deps: Deps,
  keys: PlatformKeys,
  request: FastifyRequest<{ Body: Static<typeof LaunchBody> }>,
  reply: FastifyReply,
  launchPath: string | undefined,
) {
  try {
    const body = request.body ?? {};
    const state = body.state;
    const check = await verifyLaunch(deps, keys, {
      idToken: body.id_token,
      state,
      cookieState: state ? request.cookies[stateCookieName(state)] : undefined,
      storageState: body.lti_storage_state,
    });
    if (check.kind === 'needs_storage')
      return html(
        reply,
        200,
        storageGetPage({
          action: request.url.split('?')[0] ?? '/lti/launch',
          idToken: body.id_token ?? '',
          state: state ?? '',
          storageTarget: check.storageTarget,
          platformOrigin: origin(check.platform.authEndpoint),
        }),
      );
    if (state) reply.clearCookie(stateCookieName(state), { path: '/', secure: true, sameSite: 'none' });
    const { platform, claims } = check;
    if (claims.messageType === 'LtiDeepLinkingRequest') checkDeepLinking(claims);
    const result = await provisionLaunch(deps, platform, claims, launchPath);
    await startSession(deps, reply, result.user.id, { crossSite: true });
    deps.logger.info(
      {
        reqId: request.id,
        lti: { platform: platform.id, sub: claims.sub, user: result.user.id, course: result.course?.id },
      },
      `LTI ${claims.messageType} accepted`,
    );
    if (claims.messageType === 'LtiDeepLinkingRequest')
      return html(reply, 200, await renderDeepLinkPicker(deps, platform, claims, result));
    frameable(reply);
    return reply.code(303).header('location', result.location).send();
  } catch (error) {
    return sendLaunchError(deps, request, reply, error);
  }
}

/** /lti/login, /lti/launch[/<path>], /lti/jwks and the small script of the storage profile. */
export async function ltiLaunchRoutes(
  app: FastifyInstance,
  { deps, keys }: { deps: Deps; keys: PlatformKeys },
) {
  // A malformed request (schema validation) still gets the person's page, not problem+json.
  app.setErrorHandler((error, request, reply) =>
    sendLaunchError(deps, request, reply, normaliseError(error, request)),
  );
  const login = async (request: FastifyRequest, reply: FastifyReply, params: LoginInput) => {
    try {
      const started = await startLogin(deps, params);
      // The cookie binds the state to this browser; SameSite=None because the launch comes back as a
      // cross-site POST from the platform (inside its frame, or a new window).
      reply.setCookie(stateCookieName(started.state), started.state, {
        path: '/',
        httpOnly: true,
        secure: true,
        sameSite: 'none',
        maxAge: STATE_TTL_MS / 1000,
      });
      if (started.storageTarget)
        return html(
          reply,
          200,
          storagePutPage({
            state: started.state,
            nonce: started.nonce,
            authUrl: started.authUrl,
            storageTarget: started.storageTarget,
            platformOrigin: origin(started.platform.authEndpoint),
          }),
        );
      frameable(reply);
      return reply.code(302).header('location', started.authUrl).send();
    } catch (error) {
      return sendLaunchError(deps, request, reply, error);
    }
  };
  const loginSchema = {
    tags,
    summary: 'LTI 1.3 third-party initiated login (OIDC)',
    response: { 200: Html },
  };
  app.get<{ Querystring: Static<typeof LoginParams> }>(
    '/lti/login',
    { schema: { ...loginSchema, querystring: LoginParams } },
    (request, reply) => login(request, reply, request.query),
  );
  app.post<{ Body: Static<typeof LoginParams> }>(
    '/lti/login',
    { schema: { ...loginSchema, body: LoginParams } },
    (request, reply) => login(request, reply, request.body ?? {}),
  );

  const launchSchema = {
    tags,
    summary: 'LTI 1.3 launch: the platform posts the id_token',
    body: LaunchBody,
    response: { 200: Html },
  };
  app.post<{ Body: Static<typeof LaunchBody> }>('/lti/launch', { schema: launchSchema }, (request, reply) =>
    handleLaunch(deps, keys, request, reply, undefined),
  );
  app.post<{ Body: Static<typeof LaunchBody>; Params: { '*': string } }>(
    '/lti/launch/*',
    { schema: { ...launchSchema, summary: 'LTI 1.3 launch into the course at <launch path>' } },
    (request, reply) => handleLaunch(deps, keys, request, reply, request.params['*'] || undefined),
  );

  const RegisterQuery = Type.Object({ hub_token: Str, openid_configuration: Str, registration_token: Str });
  app.get<{ Querystring: Static<typeof RegisterQuery> }>(
    '/lti/register',
    {
      schema: {
        tags,
        summary: 'LTI Dynamic Registration: the LMS opens this with its openid_configuration',
        querystring: RegisterQuery,
        response: { 200: Html },
      },
    },
    async (request, reply) => {
      try {
        const platform = await dynamicRegistration(deps, {
          hubToken: request.query.hub_token,
          openidConfiguration: request.query.openid_configuration,
          registrationToken: request.query.registration_token,
        });
        deps.logger.info(
          { lti: { platform: platform.id, issuer: platform.issuer } },
          'LTI platform registered dynamically',
        );
        return html(reply, 200, registeredPage({ name: platform.name, clientId: platform.clientId }));
      } catch (error) {
        return sendLaunchError(deps, request, reply, error);
      }
    },
  );

  app.get(
    '/lti/jwks',
    {
      schema: {
        tags,
        summary: "The tool's public keys (RS256), the current one and retired ones still in their overlap",
        response: { 200: Type.Object({ keys: Type.Array(Type.Record(Type.String(), Type.Unknown())) }) },
      },
    },
    async (_request, reply) => {
      reply.header('cache-control', 'public, max-age=300');
      return publishedJwks(deps);
    },
  );

  app.get('/lti/assets/lti.js', { schema: { hide: true } }, async (_request, reply) =>
    reply
      .type('text/javascript; charset=utf-8')
      .header('cache-control', 'public, max-age=3600')
      .send(LTI_SCRIPT),
  );
}
