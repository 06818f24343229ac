import type { Deps } from '../../deps.ts';
import { hashToken } from '../../lib/secrets.ts';
import { launchErrors } from './lti.errors.ts';
import { findPlatformsByIssuer, insertLoginState, type PlatformRow } from './lti.repository.ts';

/** A login must be finished (the id_token posted back) within this time. */
export const STATE_TTL_MS = 10 * 60_000;

export interface LoginInput {
  readonly iss?: string | undefined;
  readonly login_hint?: string | undefined;
  readonly target_link_uri?: string | undefined;
  readonly lti_message_hint?: string | undefined;
  readonly lti_deployment_id?: string | undefined;
  readonly client_id?: string | undefined;
  readonly lti_storage_target?: string | undefined;
}

export interface LoginStart {
  readonly platform: PlatformRow;
  readonly state: string;
  readonly nonce: string;
  readonly authUrl: string;
  readonly storageTarget: string | undefined;
}

/** The cookie that binds a state to the browser that started the login (one per login in flight). */
export function stateCookieName(state: string): string {
  return `lti_state_${hashToken(state).slice(0, 16)}`;
}

/** The hub's own launch endpoints: id_tokens may be posted there, so they may be the redirect_uri. */
export function isLaunchEndpoint(publicUrl: string, uri: string): boolean {
  return (
    uri === `${publicUrl}/lti/launch` ||
    uri.startsWith(`${publicUrl}/lti/launch/`) ||
    uri.startsWith(`${publicUrl}/openlearning/lti/`)
  );
}

/**
 * Third-party initiated login (LTI Core 1.3 §5.1.1): finds the registration, refuses targets outside the
 * hub (no open redirect), stores state + nonce and builds the platform's OIDC authentication request.
 */
export async function startLogin(deps: Deps, input: LoginInput): Promise<LoginStart> {
  const { iss, login_hint: loginHint, target_link_uri: target } = input;
  if (!iss || !loginHint || !target)
    throw launchErrors.badRequest(
      `login: missing ${[!iss && 'iss', !loginHint && 'login_hint', !target && 'target_link_uri'].filter(Boolean).join(', ')}`,
    );
  const candidates = (await findPlatformsByIssuer(deps.db, iss)).filter(
    (p) => input.client_id === undefined || p.clientId === input.client_id,
  );
  const platform = candidates.length === 1 ? candidates[0] : undefined;
  if (!platform)
    throw launchErrors.unknownPlatform(
      candidates.length === 0
        ? `login: no registration for iss ${iss}${input.client_id ? ` and client_id ${input.client_id}` : ''}`
        : `login: iss ${iss} has ${candidates.length} registrations and the login names no client_id`,
    );
  if (input.lti_deployment_id !== undefined && !platform.deploymentIds.includes(input.lti_deployment_id))
    throw launchErrors.unknownDeployment(
      `login: lti_deployment_id ${input.lti_deployment_id} is not registered for platform ${platform.id}`,
    );
  const publicUrl = deps.config.publicUrl;
  if (target !== publicUrl && !target.startsWith(`${publicUrl}/`))
    throw launchErrors.badRequest(`login: target_link_uri ${target} is not on ${publicUrl}`);

  const state = deps.ids.token(32);
  const nonce = deps.ids.token(24);
  const now = deps.clock.now();
  const storageTarget = input.lti_storage_target?.slice(0, 200) || undefined;
  await insertLoginState(deps.db, {
    stateHash: hashToken(state),
    platformId: platform.id,
    nonce,
    targetLinkUri: target,
    storageTarget: storageTarget ?? null,
    createdAt: now,
    expiresAt: new Date(now.getTime() + STATE_TTL_MS),
  });
  const auth = new URL(platform.authEndpoint);
  const params: Record<string, string> = {
    scope: 'openid',
    response_type: 'id_token',
    response_mode: 'form_post',
    prompt: 'none',
    client_id: platform.clientId,
    redirect_uri: isLaunchEndpoint(publicUrl, target) ? target : `${publicUrl}/lti/launch`,
    login_hint: loginHint,
    state,
    nonce,
  };
  if (input.lti_message_hint !== undefined) params.lti_message_hint = input.lti_message_hint;
  for (const [k, v] of Object.entries(params)) auth.searchParams.set(k, v);
  return { platform, state, nonce, authUrl: auth.toString(), storageTarget };
}
