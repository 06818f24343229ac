import { decodeProtectedHeader, errors as joseErrors, jwtVerify, type ProtectedHeaderParameters } from 'jose';
import type { Deps } from '../../deps.ts';
import { hashToken, safeEqual } from '../../lib/secrets.ts';
import { type LaunchClaims, readClaims } from './lti.claims.ts';
import { launchErrors } from './lti.errors.ts';
import type { PlatformKeys } from './lti.jwks.ts';
import {
  findLoginState,
  findPlatform,
  type PlatformRow,
  takeLoginState,
  useNonce,
} from './lti.repository.ts';

/** Clock skew tolerated between the platform and the hub (exp, iat, nbf). */
const SKEW_S = 60;
/** An id_token older than this is refused even if its exp is later. */
const MAX_AGE_S = 600;

export interface LaunchInput {
  readonly idToken: string | undefined;
  readonly state: string | undefined;
  /** The state cookie's value, when the browser sent it. */
  readonly cookieState: string | undefined;
  /** The state read back from the platform's client-side storage by the check page. */
  readonly storageState: string | undefined;
}

export type LaunchCheck =
  | { readonly kind: 'verified'; readonly platform: PlatformRow; readonly claims: LaunchClaims }
  /** No cookie came back, but the login used platform storage: the page must read the state from there. */
  | { readonly kind: 'needs_storage'; readonly storageTarget: string; readonly platform: PlatformRow };

function joseDetail(error: unknown): string {
  if (error instanceof joseErrors.JWTClaimValidationFailed)
    return `claim ${error.claim} ${error.reason}: ${error.message}`;
  if (error instanceof joseErrors.JWTExpired) return `expired: ${error.message}`;
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return 'signature does not verify';
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return `alg not allowed: ${error.message}`;
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/**
 * Validates a launch as the 1EdTech Security Framework requires: the state is known, fresh, unused and bound
 * to this browser (cookie, or the platform's client-side storage); the id_token is RS256 and verifies against
 * the platform's JWKS; iss, aud/azp, exp/iat and the nonce (single use, the one issued with the state) hold;
 * then the LTI claims (lti.claims.ts).
 */
export async function verifyLaunch(deps: Deps, keys: PlatformKeys, input: LaunchInput): Promise<LaunchCheck> {
  const { idToken, state } = input;
  if (!idToken || !state)
    throw launchErrors.badRequest(`launch: missing ${!idToken ? 'id_token' : 'state'} in the POST body`);
  if (idToken.length > 64 * 1024 || state.length > 200)
    throw launchErrors.badRequest('launch: oversized input');
  const stateHash = hashToken(state);
  const pending = await findLoginState(deps.db, stateHash);
  if (!pending) throw launchErrors.badState('launch: state is unknown or was already used');
  const now = deps.clock.now();
  if (pending.expiresAt <= now)
    throw launchErrors.badState(`launch: state expired at ${pending.expiresAt.toISOString()}`);
  const platform = await findPlatform(deps.db, pending.platformId);
  if (!platform) throw launchErrors.unknownPlatform(`launch: platform ${pending.platformId} was deleted`);

  const byCookie = input.cookieState !== undefined && safeEqual(input.cookieState, state);
  const byStorage =
    pending.storageTarget !== null &&
    input.storageState !== undefined &&
    safeEqual(input.storageState, state);
  if (!byCookie && !byStorage) {
    if (pending.storageTarget !== null && input.storageState === undefined)
      return { kind: 'needs_storage', storageTarget: pending.storageTarget, platform };
    throw launchErrors.badState(
      input.cookieState !== undefined || input.storageState !== undefined
        ? 'launch: the state bound to this browser differs from the posted state'
        : 'launch: no state cookie came back and the login offered no client-side storage',
    );
  }
  // Single use: of two posts of the same state, only one deletes the row.
  if (!(await takeLoginState(deps.db, stateHash)))
    throw launchErrors.badState('launch: state was used concurrently');

  let header: ProtectedHeaderParameters;
  try {
    header = decodeProtectedHeader(idToken);
  } catch (error) {
    throw launchErrors.badToken(`launch: id_token is not a JWS: ${joseDetail(error)}`);
  }
  if (header.alg !== 'RS256')
    throw launchErrors.badToken(
      `launch: id_token alg ${String(header.alg)} refused (RS256 only), platform ${platform.id}`,
    );
  const key = await keys.key(platform, header.kid);
  let payload: Awaited<ReturnType<typeof jwtVerify>>['payload'];
  try {
    ({ payload } = await jwtVerify(idToken, key, {
      algorithms: ['RS256'],
      issuer: platform.issuer,
      audience: platform.clientId,
      clockTolerance: SKEW_S,
      maxTokenAge: MAX_AGE_S,
      currentDate: now,
      requiredClaims: ['iat', 'exp', 'nonce', 'sub'],
    }));
  } catch (error) {
    throw launchErrors.badToken(`launch: platform ${platform.id} id_token rejected: ${joseDetail(error)}`);
  }
  // With several audiences the authorised party must be us; when azp is present it must be us anyway.
  const audiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
  if ((audiences.length > 1 || payload.azp !== undefined) && payload.azp !== platform.clientId)
    throw launchErrors.badToken(`launch: azp ${String(payload.azp)} is not client_id ${platform.clientId}`);
  const nonce = typeof payload.nonce === 'string' ? payload.nonce : '';
  const expiresAt = new Date(((payload.exp ?? 0) + SKEW_S) * 1000);
  if (!(await useNonce(deps.db, { platformId: platform.id, nonce, expiresAt })))
    throw launchErrors.replay(
      `launch: nonce ${nonce.slice(0, 12)}… of platform ${platform.id} was already used`,
    );
  if (!safeEqual(nonce, pending.nonce))
    throw launchErrors.badToken('launch: the id_token nonce is not the one issued with this state');
  return {
    kind: 'verified',
    platform,
    claims: readClaims(payload, platform, `launch platform ${platform.id}`),
  };
}
