import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import Provider, { type InteractionResults, errors as oidcErrors } from 'oidc-provider';
import { Type } from 'typebox';
import type { Deps } from '../../deps.ts';
import { normaliseError } from '../../http/errors.ts';
import { appendDomainEvent } from '../../jobs/domain-events.ts';
import { assertCsrf, csrfToken } from '../../web/index.ts';
import { profileUrl, type SignInApp, sessionUser, type User } from '../identity/index.ts';
import { providerTransaction } from './oauth.adapter.ts';
import { oauthErrors } from './oauth.errors.ts';
import { ConsentPage, InteractionErrorPage } from './oauth.pages.tsx';
import { INTERACTION_PATH } from './oauth.provider.ts';
import { getAppById } from './oauth.usecases.ts';

type Details = Awaited<ReturnType<Provider['interactionDetails']>>;

const UidParams = Type.Object({ uid: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' }) });
const ConsentBody = Type.Object({
  _csrf: Type.Optional(Type.String({ maxLength: 200 })),
  decision: Type.Union([Type.Literal('allow'), Type.Literal('deny')]),
});

/** A stale or unknown interaction (cookie missing, expired, already finished) is a page, not a 500. */
async function details(provider: Provider, request: FastifyRequest, reply: FastifyReply): Promise<Details> {
  try {
    return await provider.interactionDetails(request.raw, reply.raw);
  } catch (error) {
    if (error instanceof oidcErrors.SessionNotFound) throw oauthErrors.interactionExpired();
    throw error;
  }
}

function scopesAsked(d: Details): string[] {
  const missing = d.prompt.details.missingOIDCScope;
  return Array.isArray(missing) ? missing.filter((s): s is string => typeof s === 'string') : [];
}

/**
 * Everything the app will hold after this consent, in the order it asked: each scope of the request, marked
 * `granted` when the person allowed it before (prompt=consent asks again for scopes already granted).
 */
async function scopesHeld(provider: Provider, d: Details): Promise<{ scope: string; granted: boolean }[]> {
  const missing = new Set(scopesAsked(d));
  const grant = d.grantId ? await provider.Grant.find(d.grantId) : undefined;
  const granted = new Set((grant?.getOIDCScope() ?? '').split(' ').filter(Boolean));
  const requested = String(d.params.scope ?? '')
    .split(' ')
    .filter(Boolean);
  const all = [...new Set([...requested, ...missing])];
  return all.map((scope) => ({ scope, granted: granted.has(scope) && !missing.has(scope) }));
}

const INTERACTION_RETURN = new RegExp(`^${INTERACTION_PATH}/([A-Za-z0-9_-]{1,64})$`);

/**
 * The app behind a sign-in page's `return_to` (an interaction of ours): its name, logo and the host it sends
 * the person back to, so the sign-in and sign-up pages say who is asking.
 */
export async function appBehindInteraction(
  deps: Deps,
  provider: Provider,
  returnTo: string,
): Promise<SignInApp | undefined> {
  const uid = INTERACTION_RETURN.exec(returnTo)?.[1];
  if (!uid) return undefined;
  const interaction = await provider.Interaction.find(uid);
  if (!interaction) return undefined;
  const clientApp = await getAppById(deps, String(interaction.params.client_id ?? ''));
  if (!clientApp) return undefined;
  let returnHost: string;
  try {
    returnHost = new URL(String(interaction.params.redirect_uri ?? '')).host;
  } catch {
    return undefined;
  }
  return { name: clientApp.name, logoUrl: clientApp.logoUrl, returnHost };
}

async function finish(
  provider: Provider,
  request: FastifyRequest,
  reply: FastifyReply,
  result: InteractionResults,
  merge: boolean,
) {
  const to = await provider.interactionResult(request.raw, reply.raw, result, {
    mergeWithLastSubmission: merge,
  });
  return reply.redirect(to, 303);
}

/**
 * Grants the asked scopes and records `app.authorized`, in one transaction (the provider's grant write joins
 * it through providerTransaction).
 */
async function grantConsent(deps: Deps, provider: Provider, d: Details, user: User): Promise<string> {
  const clientId = String(d.params.client_id);
  const grant = d.grantId
    ? await provider.Grant.find(d.grantId)
    : new provider.Grant({ accountId: user.id, clientId });
  if (!grant) throw oauthErrors.interactionExpired();
  const { missingOIDCScope, missingOIDCClaims } = d.prompt.details;
  if (Array.isArray(missingOIDCScope)) grant.addOIDCScope(missingOIDCScope.join(' '));
  if (Array.isArray(missingOIDCClaims)) grant.addOIDCClaims(missingOIDCClaims);
  return deps.db.transaction(async (tx) =>
    providerTransaction.run(tx, async () => {
      const grantId = await grant.save();
      await appendDomainEvent(tx, deps, {
        type: 'app.authorized',
        subject: `app:${clientId}`,
        payload: {
          app_id: clientId,
          user: {
            id: user.id,
            username: user.username,
            email: user.email,
            profile_url: profileUrl(deps.config, user.username),
          },
          scopes: grant.getOIDCScope().split(' ').filter(Boolean),
        },
      });
      return grantId;
    }),
  );
}

/** Our sign-in and consent steps of the authorization flow (oidc-provider "interactions"). */
export async function interactionRoutes(
  app: FastifyInstance,
  { deps, provider }: { deps: Deps; provider: Provider },
): Promise<void> {
  // People see pages here, not problem+json.
  app.setErrorHandler(async (error, request, reply) => {
    const appError = normaliseError(error, request);
    return reply
      .code(appError.status)
      .type('text/html; charset=utf-8')
      .send(InteractionErrorPage({ title: 'This sign-in could not continue', message: appError.message }));
  });

  app.get<{ Params: { uid: string } }>(
    `${INTERACTION_PATH}/:uid`,
    { schema: { hide: true, params: UidParams } },
    async (request, reply) => {
      const d = await details(provider, request, reply);
      const user = await sessionUser(deps, request);
      if (!user) {
        return reply.redirect(`/login?return_to=${encodeURIComponent(`${INTERACTION_PATH}/${d.uid}`)}`, 303);
      }
      // The person signed in to the hub is who the provider should act for. This also covers a provider
      // session left by someone else in this browser (they signed out of the hub, another person signed in):
      // a login result for a different account makes the provider start a fresh session for that account.
      if (d.prompt.name === 'login' || d.session?.accountId !== user.id) {
        return finish(provider, request, reply, { login: { accountId: user.id } }, false);
      }
      if (d.prompt.name !== 'consent') throw oauthErrors.interactionExpired();
      const clientApp = await getAppById(deps, String(d.params.client_id));
      if (!clientApp) throw oauthErrors.appNotFound();
      reply.type('text/html; charset=utf-8');
      return ConsentPage({
        uid: d.uid,
        csrf: csrfToken(request, reply, deps.secretKey),
        app: clientApp,
        user,
        scopes: await scopesHeld(provider, d),
        returnHost: hostOf(String(d.params.redirect_uri ?? '')),
      });
    },
  );

  app.post<{ Params: { uid: string }; Body: { _csrf?: string | undefined; decision: 'allow' | 'deny' } }>(
    `${INTERACTION_PATH}/:uid/consent`,
    { schema: { hide: true, params: UidParams, body: ConsentBody } },
    async (request, reply) => {
      assertCsrf(request, deps.secretKey);
      const d = await details(provider, request, reply);
      if (d.prompt.name !== 'consent' || d.uid !== request.params.uid) throw oauthErrors.interactionExpired();
      const user = await sessionUser(deps, request);
      if (!user || d.session?.accountId !== user.id) throw oauthErrors.wrongAccount();
      if (request.body.decision === 'deny') {
        const denied = { error: 'access_denied', error_description: 'The person did not allow the app.' };
        return finish(provider, request, reply, denied, false);
      }
      const grantId = await grantConsent(deps, provider, d, user);
      return finish(provider, request, reply, { consent: d.grantId ? {} : { grantId } }, true);
    },
  );
}

function hostOf(url: string): string | null {
  try {
    return new URL(url).host;
  } catch {
    return null;
  }
}
