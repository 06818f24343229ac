import { hkdfSync } from 'node:crypto';
import { jwtVerify, SignJWT } from 'jose';
import type { Deps } from '../../deps.ts';
import { LaunchError } from './lti.errors.ts';
import { createPlatform, type Platform, toolUrls } from './lti.platforms.ts';
import { SCOPES } from './lti.services.ts';

/** A registration URL handed to an LMS administrator works for this long. */
export const REGISTRATION_URL_TTL_S = 7 * 86_400;
const PLATFORM_CONFIG = 'https://purl.imsglobal.org/spec/lti-platform-configuration';
const TOOL_CONFIG = 'https://purl.imsglobal.org/spec/lti-tool-configuration';

const refused = (detail: string) =>
  new LaunchError(
    'lti.registration_failed',
    'The hub could not register itself with this LMS. Ask the hub operator for a fresh registration URL, and include the error code below.',
    detail,
  );

function key(secretKey: string): Uint8Array {
  return new Uint8Array(hkdfSync('sha256', secretKey, 'learnhub', 'learnhub:lti-registration-url', 32));
}

/**
 * The URL an operator gives an LMS administrator for LTI Dynamic Registration. It carries a hub-signed,
 * expiring token: without one, anybody could point /lti/register at a platform of their own and have it
 * registered.
 */
export async function registrationUrl(deps: Pick<Deps, 'config' | 'clock' | 'secretKey'>) {
  const now = Math.floor(deps.clock.now().getTime() / 1000);
  const token = await new SignJWT({ purpose: 'lti-register' })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuedAt(now)
    .setExpirationTime(now + REGISTRATION_URL_TTL_S)
    .sign(key(deps.secretKey));
  return {
    url: `${toolUrls(deps.config).registration_url}?hub_token=${token}`,
    expires_at: new Date((now + REGISTRATION_URL_TTL_S) * 1000).toISOString(),
  };
}

async function getJson(deps: Deps, url: string): Promise<Record<string, unknown>> {
  let res: Response;
  try {
    res = await deps.outbound(url, {
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(10_000),
    });
  } catch (error) {
    throw refused(
      `openid_configuration ${url} unreachable: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (res.status !== 200) throw refused(`openid_configuration ${url} answered HTTP ${res.status}`);
  const body = (await res.json().catch(() => undefined)) as unknown;
  if (!body || typeof body !== 'object') throw refused(`openid_configuration ${url} is not a JSON object`);
  return body as Record<string, unknown>;
}

const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);

/**
 * LTI Dynamic Registration 1.0: reads the platform's OpenID configuration, registers the tool at its
 * registration endpoint (with the platform's registration token) and stores the platform.
 */
export async function dynamicRegistration(
  deps: Deps,
  input: {
    hubToken?: string | undefined;
    openidConfiguration?: string | undefined;
    registrationToken?: string | undefined;
  },
): Promise<Platform> {
  try {
    await jwtVerify(input.hubToken ?? '', key(deps.secretKey), {
      algorithms: ['HS256'],
      currentDate: deps.clock.now(),
    });
  } catch {
    throw refused('registration: hub_token missing, altered or expired');
  }
  const configUrl = input.openidConfiguration;
  if (!configUrl || !/^https?:\/\//.test(configUrl))
    throw refused('registration: openid_configuration is missing');
  const config = await getJson(deps, configUrl);
  const issuer = str(config.issuer);
  const auth = str(config.authorization_endpoint);
  const token = str(config.token_endpoint);
  const jwks = str(config.jwks_uri);
  const registration = str(config.registration_endpoint);
  if (!issuer || !auth || !token || !jwks || !registration)
    throw refused(
      `registration: ${configUrl} lacks issuer, authorization_endpoint, token_endpoint, jwks_uri or registration_endpoint`,
    );
  // The configuration must come from the issuer's own host (Dynamic Registration §3.5.1).
  if (new URL(configUrl).origin !== new URL(issuer).origin)
    throw refused(`registration: ${configUrl} is not on the issuer ${issuer}'s host`);
  const urls = toolUrls(deps.config);
  const body = {
    application_type: 'web',
    response_types: ['id_token'],
    grant_types: ['implicit', 'client_credentials'],
    initiate_login_uri: urls.login_url,
    redirect_uris: [urls.launch_url],
    client_name: 'Learnhub',
    jwks_uri: urls.jwks_url,
    token_endpoint_auth_method: 'private_key_jwt',
    scope: [SCOPES.lineItem, SCOPES.lineItemRead, SCOPES.score, SCOPES.roster].join(' '),
    [TOOL_CONFIG]: {
      domain: urls.domain,
      target_link_uri: urls.launch_url,
      claims: ['iss', 'sub', 'name', 'given_name', 'family_name', 'email'],
      messages: [
        { type: 'LtiDeepLinkingRequest', target_link_uri: urls.deep_linking_url, label: 'Learnhub' },
      ],
    },
  };
  let res: Response;
  try {
    res = await deps.outbound(registration, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        ...(input.registrationToken ? { authorization: `Bearer ${input.registrationToken}` } : {}),
      },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
  } catch (error) {
    throw refused(
      `registration: ${registration} unreachable: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const answer = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  const clientId = str(answer.client_id);
  if (res.status >= 300 || !clientId)
    throw refused(`registration: ${registration} answered HTTP ${res.status} without a client_id`);
  const toolConfig = (answer[TOOL_CONFIG] ?? {}) as Record<string, unknown>;
  const deploymentId = str(toolConfig.deployment_id);
  const platformConfig = (config[PLATFORM_CONFIG] ?? {}) as Record<string, unknown>;
  return createPlatform(deps, {
    name: str(platformConfig.product_family_code)
      ? `${String(platformConfig.product_family_code)} at ${new URL(issuer).host}`
      : issuer,
    issuer,
    clientId,
    deploymentIds: deploymentId ? [deploymentId] : [],
    authEndpoint: auth,
    tokenEndpoint: token,
    jwksUrl: jwks,
    tokenAudience: str(config.authorization_server) ?? null,
  });
}
