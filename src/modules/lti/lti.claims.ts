import type { JWTPayload } from 'jose';
import type { CourseRole } from '../courses/index.ts';
import { launchErrors } from './lti.errors.ts';
import type { PlatformRow } from './lti.repository.ts';

export const LTI = 'https://purl.imsglobal.org/spec/lti/claim/';
export const DL = 'https://purl.imsglobal.org/spec/lti-dl/claim/';
export const AGS_CLAIM = 'https://purl.imsglobal.org/spec/lti-ags/claim/endpoint';
export const NRPS_CLAIM = 'https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice';

export type MessageType = 'LtiResourceLinkRequest' | 'LtiDeepLinkingRequest';

export interface DeepLinkingSettings {
  readonly returnUrl: string;
  readonly acceptTypes: readonly string[];
  readonly acceptMultiple: boolean;
  readonly data: string | undefined;
}

/** What a verified id_token says, in the hub's terms. */
export interface LaunchClaims {
  readonly messageType: MessageType;
  readonly issuer: string;
  readonly sub: string;
  readonly nonce: string;
  readonly deploymentId: string;
  readonly targetLinkUri: string;
  readonly roles: readonly string[];
  readonly name: string | undefined;
  readonly email: string | undefined;
  readonly context: { readonly id: string; readonly title: string | undefined } | undefined;
  readonly resourceLink: { readonly id: string; readonly title: string | undefined } | undefined;
  readonly custom: Readonly<Record<string, string>>;
  readonly ags:
    | { readonly lineItems?: string; readonly lineItem?: string; readonly scopes: string[] }
    | undefined;
  readonly nrpsUrl: string | undefined;
  readonly deepLinking: DeepLinkingSettings | undefined;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);
const obj = (v: unknown): Record<string, unknown> | undefined =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;

function required(claims: JWTPayload, name: string, where: string): unknown {
  const value = claims[name];
  if (value === undefined || value === null || value === '')
    throw launchErrors.missingClaim(`${where}: claim ${name} is missing`);
  return value;
}

/**
 * Checks the LTI Core 1.3 required claims of a verified id_token (signature, iss, aud, exp and nonce are
 * checked before) and reads them. `where` prefixes the operator's log line.
 */
export function readClaims(claims: JWTPayload, platform: PlatformRow, where: string): LaunchClaims {
  const messageType = required(claims, `${LTI}message_type`, where);
  if (messageType !== 'LtiResourceLinkRequest' && messageType !== 'LtiDeepLinkingRequest')
    throw launchErrors.badRequest(`${where}: message_type ${String(messageType)} is not supported`);
  const version = required(claims, `${LTI}version`, where);
  if (version !== '1.3.0') throw launchErrors.badRequest(`${where}: version ${String(version)} is not 1.3.0`);
  const deploymentId = str(required(claims, `${LTI}deployment_id`, where));
  if (!deploymentId) throw launchErrors.missingClaim(`${where}: deployment_id is not a string`);
  if (!platform.deploymentIds.includes(deploymentId))
    throw launchErrors.unknownDeployment(
      `${where}: deployment_id ${deploymentId} is not registered for platform ${platform.id} (${platform.deploymentIds.join(', ') || 'none'})`,
    );
  const sub = str(claims.sub);
  if (!sub || sub.length > 255)
    throw launchErrors.missingClaim(`${where}: sub is missing (anonymous launch)`);
  const rolesClaim = required(claims, `${LTI}roles`, where);
  if (!Array.isArray(rolesClaim) || rolesClaim.some((r) => typeof r !== 'string'))
    throw launchErrors.missingClaim(`${where}: roles is not an array of strings`);
  const targetLinkUri = str(required(claims, `${LTI}target_link_uri`, where));
  if (!targetLinkUri) throw launchErrors.missingClaim(`${where}: target_link_uri is not a string`);

  const rl = obj(claims[`${LTI}resource_link`]);
  const resourceLink = rl && str(rl.id) ? { id: String(rl.id), title: str(rl.title) } : undefined;
  if (messageType === 'LtiResourceLinkRequest' && !resourceLink)
    throw launchErrors.missingClaim(`${where}: resource_link.id is missing`);
  const ctx = obj(claims[`${LTI}context`]);
  const context =
    ctx && str(ctx.id) ? { id: String(ctx.id), title: str(ctx.title) ?? str(ctx.label) } : undefined;

  let deepLinking: DeepLinkingSettings | undefined;
  if (messageType === 'LtiDeepLinkingRequest') {
    const s = obj(claims[`${DL}deep_linking_settings`]);
    const returnUrl = str(s?.deep_link_return_url);
    if (!s || !returnUrl)
      throw launchErrors.missingClaim(`${where}: deep_linking_settings.deep_link_return_url`);
    const types = Array.isArray(s.accept_types) ? s.accept_types.filter((t) => typeof t === 'string') : [];
    deepLinking = {
      returnUrl,
      acceptTypes: types,
      acceptMultiple: s.accept_multiple === true,
      data: str(s.data),
    };
  }

  const customClaim = obj(claims[`${LTI}custom`]) ?? {};
  const custom: Record<string, string> = {};
  for (const [k, v] of Object.entries(customClaim)) if (typeof v === 'string') custom[k] = v;
  const agsClaim = obj(claims[AGS_CLAIM]);
  const ags = agsClaim
    ? {
        ...(str(agsClaim.lineitems) ? { lineItems: String(agsClaim.lineitems) } : {}),
        ...(str(agsClaim.lineitem) ? { lineItem: String(agsClaim.lineitem) } : {}),
        scopes: Array.isArray(agsClaim.scope)
          ? agsClaim.scope.filter((x): x is string => typeof x === 'string')
          : [],
      }
    : undefined;
  const nrps = obj(claims[NRPS_CLAIM]);
  const name =
    str(claims.name) ??
    ([str(claims.given_name), str(claims.family_name)].filter(Boolean).join(' ') || undefined);
  return {
    messageType,
    issuer: platform.issuer,
    sub,
    nonce: String(claims.nonce),
    deploymentId,
    targetLinkUri,
    roles: rolesClaim as string[],
    name,
    email: str(claims.email),
    context,
    resourceLink,
    custom,
    ags,
    nrpsUrl: str(nrps?.context_memberships_url),
    deepLinking,
  };
}

const ROLE_RANK: readonly [RegExp, CourseRole | 'Administrator'][] = [
  [/(?:^|[#/])Administrator$/, 'Administrator'],
  [/membership#Instructor$|^Instructor$/, 'Instructor'],
  [/membership#ContentDeveloper$|^ContentDeveloper$/, 'Builder'],
  [/membership\/Instructor#TeachingAssistant$|^TeachingAssistant$/, 'Grader'],
  [/membership#Learner$|^Learner$/, 'Student'],
];

/**
 * LIS roles → the hub's course role: Administrator → Instructor, TeachingAssistant (the Instructor sub-role,
 * which platforms may send alongside plain Instructor) → Grader, Instructor → Instructor, ContentDeveloper →
 * Builder, Learner (or nothing known) → Student.
 */
export function courseRole(roles: readonly string[]): { role: CourseRole; teaching: boolean } {
  const found = new Set<string>();
  for (const r of roles) for (const [pattern, role] of ROLE_RANK) if (pattern.test(r)) found.add(role);
  if (found.has('Administrator')) return { role: 'Instructor', teaching: true };
  if (found.has('Grader')) return { role: 'Grader', teaching: false };
  if (found.has('Instructor')) return { role: 'Instructor', teaching: true };
  if (found.has('Builder')) return { role: 'Builder', teaching: true };
  return { role: 'Student', teaching: false };
}
