import type { Config } from '../../config/config.ts';
import type { Executor } from '../../db/client.ts';
import type { Deps } from '../../deps.ts';
import type { Principal } from '../../http/principal.ts';
import { isAdmin } from '../../http/principal.ts';
import { ltiErrors } from './lti.errors.ts';
import {
  deletePlatformRow,
  findPlatform,
  insertPlatform,
  listPlatformRows,
  type PlatformRow,
  updatePlatformRow,
} from './lti.repository.ts';

export type Platform = PlatformRow;

export interface PlatformInput {
  name?: string | undefined;
  issuer?: string | undefined;
  clientId?: string | undefined;
  deploymentIds?: readonly string[] | undefined;
  authEndpoint?: string | undefined;
  tokenEndpoint?: string | undefined;
  tokenAudience?: string | null | undefined;
  jwksUrl?: string | undefined;
  autoCreateCourses?: boolean | undefined;
  linkByEmail?: boolean | undefined;
  institutionId?: string | null | undefined;
}

type Ctx = Pick<Deps, 'clock' | 'ids'> & { readonly db: Executor };

/** The URLs an operator gives the LMS (they depend only on PUBLIC_URL). */
export function toolUrls(config: Pick<Config, 'publicUrl'>) {
  const base = config.publicUrl;
  return {
    domain: new URL(base).host,
    login_url: `${base}/lti/login`,
    launch_url: `${base}/lti/launch`,
    deep_linking_url: `${base}/lti/launch`,
    jwks_url: `${base}/lti/jwks`,
    registration_url: `${base}/lti/register`,
  };
}

function url(field: string, value: string | undefined): string {
  if (!value) throw ltiErrors.invalid(field, 'is required');
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw ltiErrors.invalid(field, 'is not an absolute URL');
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
    throw ltiErrors.invalid(field, 'must be an http(s) URL');
  if (value.length > 2000) throw ltiErrors.invalid(field, 'at most 2,000 characters');
  return value;
}

function text(field: string, value: string | undefined, max: number): string {
  const v = value?.trim() ?? '';
  if (v === '') throw ltiErrors.invalid(field, 'is required');
  if (v.length > max) throw ltiErrors.invalid(field, `at most ${max} characters`);
  return v;
}

function deployments(value: readonly string[] | undefined): string[] {
  const list = [...new Set((value ?? []).map((d) => d.trim()).filter(Boolean))];
  if (list.length > 100) throw ltiErrors.invalid('deployment_ids', 'at most 100');
  if (list.some((d) => d.length > 255))
    throw ltiErrors.invalid('deployment_ids', 'each at most 255 characters');
  return list;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function institution(value: string | null | undefined): string | null {
  if (!value) return null;
  if (!UUID.test(value)) throw ltiErrors.invalid('institution_id', 'is not an institution id');
  return value.toLowerCase();
}

function assertOperator(principal: Principal): void {
  if (!isAdmin(principal)) throw ltiErrors.notAllowed();
}

/** Registers a platform (operators; the CLI and dynamic registration call it with their own authority). */
export async function createPlatform(deps: Ctx, input: PlatformInput): Promise<Platform> {
  const now = deps.clock.now();
  const row = await insertPlatform(deps.db, {
    id: deps.ids.uuid(),
    name: text('name', input.name ?? input.issuer, 200),
    issuer: url('issuer', input.issuer),
    clientId: text('client_id', input.clientId, 255),
    deploymentIds: deployments(input.deploymentIds),
    authEndpoint: url('auth_endpoint', input.authEndpoint),
    tokenEndpoint: url('token_endpoint', input.tokenEndpoint),
    tokenAudience: input.tokenAudience ? text('token_audience', input.tokenAudience, 2000) : null,
    jwksUrl: url('jwks_url', input.jwksUrl),
    autoCreateCourses: input.autoCreateCourses ?? false,
    linkByEmail: input.linkByEmail ?? false,
    institutionId: institution(input.institutionId),
    createdAt: now,
    updatedAt: now,
  });
  if (!row) throw ltiErrors.platformExists();
  return row;
}

export async function createPlatformAs(deps: Ctx, principal: Principal, input: PlatformInput) {
  assertOperator(principal);
  return createPlatform(deps, input);
}

export async function getPlatformAs(deps: Ctx, principal: Principal, id: string): Promise<Platform> {
  assertOperator(principal);
  const row = UUID.test(id) ? await findPlatform(deps.db, id.toLowerCase()) : undefined;
  if (!row) throw ltiErrors.platformNotFound();
  return row;
}

export async function listPlatformsAs(
  deps: Ctx,
  principal: Principal,
  options: { afterId?: string | undefined; limit: number },
): Promise<Platform[]> {
  assertOperator(principal);
  const afterId = options.afterId && UUID.test(options.afterId) ? options.afterId.toLowerCase() : undefined;
  return listPlatformRows(deps.db, { afterId, limit: options.limit });
}

/** Changes a registration; only the fields given. Issuer and client id stay (they are its identity). */
export async function updatePlatformAs(
  deps: Ctx,
  principal: Principal,
  id: string,
  input: PlatformInput,
): Promise<Platform> {
  const current = await getPlatformAs(deps, principal, id);
  const set: Partial<PlatformRow> = { updatedAt: deps.clock.now() };
  if (input.name !== undefined) set.name = text('name', input.name, 200);
  if (input.deploymentIds !== undefined) set.deploymentIds = deployments(input.deploymentIds);
  if (input.authEndpoint !== undefined) set.authEndpoint = url('auth_endpoint', input.authEndpoint);
  if (input.tokenEndpoint !== undefined) set.tokenEndpoint = url('token_endpoint', input.tokenEndpoint);
  if (input.tokenAudience !== undefined)
    set.tokenAudience = input.tokenAudience ? text('token_audience', input.tokenAudience, 2000) : null;
  if (input.jwksUrl !== undefined) set.jwksUrl = url('jwks_url', input.jwksUrl);
  if (input.autoCreateCourses !== undefined) set.autoCreateCourses = input.autoCreateCourses;
  if (input.linkByEmail !== undefined) set.linkByEmail = input.linkByEmail;
  if (input.institutionId !== undefined) set.institutionId = institution(input.institutionId);
  const row = await updatePlatformRow(deps.db, current.id, set);
  if (!row) throw ltiErrors.platformNotFound();
  return row;
}

export async function deletePlatformAs(deps: Ctx, principal: Principal, id: string): Promise<void> {
  const current = await getPlatformAs(deps, principal, id);
  await deletePlatformRow(deps.db, current.id);
}
