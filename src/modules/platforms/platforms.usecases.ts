import { createPublicKey } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, importSPKI } from 'jose';
import type { Deps } from '../../deps.ts';
import type { Principal } from '../../http/principal.ts';
import type { CourseScope } from '../courses/index.ts';
import { platformErrors } from './platforms.errors.ts';
import {
  findKey,
  findPlatform,
  insertPlatform,
  insertPlatformKey,
  keysOf,
  listPlatformRows,
  type PlatformRow,
  updatePlatform,
} from './platforms.repository.ts';

export interface Platform {
  readonly id: string;
  readonly name: string;
  readonly scope: 'courses' | 'institutions' | 'all';
  readonly courseIds: string[];
  readonly institutionIds: string[];
  readonly jwksUrl: string | null;
  readonly issuer: string;
  readonly audience: string;
  readonly enabled: boolean;
  readonly kids: string[];
  readonly createdAt: Date;
}

export interface PlatformInput {
  readonly name: string;
  readonly jwksUrl?: string | undefined;
  /** PEM public keys (SPKI), each with an optional kid (default: its RFC 7638 thumbprint). */
  readonly publicKeys?: readonly { pem: string; kid?: string | undefined }[] | undefined;
  readonly courseIds?: readonly string[] | undefined;
  readonly institutionIds?: readonly string[] | undefined;
  readonly allCourses?: boolean | undefined;
  readonly issuer?: string | undefined;
  readonly audience?: string | undefined;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The hub's peerScholar URL: what `iss` and `aud` are by default ("url(Tool OR Service Host)"). */
export const serviceUrl = (deps: Pick<Deps, 'config'>) => `${deps.config.publicUrl}/peerscholar`;

export function scopeOf(p: Pick<Platform, 'scope' | 'courseIds' | 'institutionIds'>): CourseScope {
  return {
    all: p.scope === 'all',
    courseIds: p.scope === 'courses' ? p.courseIds : [],
    institutionIds: p.scope === 'institutions' ? p.institutionIds : [],
  };
}

function toPlatform(row: PlatformRow, kids: string[]): Platform {
  return {
    id: row.id,
    name: row.name,
    scope: row.scope === 'all' ? 'all' : row.scope === 'institutions' ? 'institutions' : 'courses',
    courseIds: row.courseIds,
    institutionIds: row.institutionIds,
    jwksUrl: row.jwksUrl,
    issuer: row.issuer,
    audience: row.audience,
    enabled: row.enabled,
    kids,
    createdAt: row.createdAt,
  };
}

function requireOperator(principal: Principal): void {
  if (!(principal.kind === 'operator' && principal.admin) && !(principal.kind === 'user' && principal.admin))
    throw platformErrors.notOperator();
}

async function checkedKeys(keys: readonly { pem: string; kid?: string | undefined }[]) {
  const out: { kid: string; pem: string }[] = [];
  for (const [i, k] of keys.entries()) {
    let pem: string;
    try {
      // Normalise whatever PEM was given (SPKI or PKCS#1) to SPKI, and insist on RSA of a sane size.
      const key = createPublicKey(k.pem);
      if (key.asymmetricKeyType !== 'rsa') throw new Error('not RSA');
      if ((key.asymmetricKeyDetails?.modulusLength ?? 0) < 2048) throw new Error('shorter than 2048 bits');
      pem = key.export({ type: 'spki', format: 'pem' }).toString();
    } catch (error) {
      throw platformErrors.invalid(
        `public_keys[${i}]`,
        `is not an RSA public key of 2048 bits or more (${error instanceof Error ? error.message : 'unreadable'})`,
      );
    }
    const kid =
      k.kid?.trim() || (await calculateJwkThumbprint(await exportJWK(await importSPKI(pem, 'RS256'))));
    if (!/^[\x21-\x7e]{1,200}$/.test(kid))
      throw platformErrors.invalid(`public_keys[${i}].kid`, 'must be 1–200 visible ASCII characters');
    out.push({ kid, pem });
  }
  return out;
}

/** Registers a platform (operators): its keys (JWKS URL or PEM), its course scope, and its iss/aud. */
export async function createPlatform(
  deps: Deps,
  principal: Principal,
  input: PlatformInput,
): Promise<Platform> {
  requireOperator(principal);
  const name = input.name.trim();
  if (name.length === 0 || name.length > 200)
    throw platformErrors.invalid('name', 'must be 1–200 characters');
  const keys = await checkedKeys(input.publicKeys ?? []);
  if (!input.jwksUrl && keys.length === 0)
    throw platformErrors.invalid('keys', 'give a JWKS URL or at least one public key');
  if (input.jwksUrl) {
    let url: URL;
    try {
      url = new URL(input.jwksUrl);
    } catch {
      throw platformErrors.invalid('jwks_url', 'is not a URL');
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:')
      throw platformErrors.invalid('jwks_url', 'must be http(s)');
  }
  const courseIds = [...new Set(input.courseIds ?? [])];
  const institutionIds = [...new Set(input.institutionIds ?? [])];
  for (const id of [...courseIds, ...institutionIds])
    if (!UUID.test(id)) throw platformErrors.invalid('courses', `${id} is not a hub id`);
  const scope = input.allCourses
    ? 'all'
    : institutionIds.length > 0 && courseIds.length === 0
      ? 'institutions'
      : 'courses';
  if (scope === 'institutions' && courseIds.length > 0)
    throw platformErrors.invalid('scope', 'give courses or institutions, not both');
  for (const k of keys) if (await findKey(deps.db, k.kid)) throw platformErrors.keyTaken(k.kid);
  const now = deps.clock.now();
  const row = await deps.db.transaction(async (tx) => {
    const inserted = await insertPlatform(tx, {
      id: deps.ids.uuid(),
      name,
      scope,
      courseIds: courseIds.map((c) => c.toLowerCase()),
      institutionIds: institutionIds.map((c) => c.toLowerCase()),
      jwksUrl: input.jwksUrl ?? null,
      issuer: input.issuer ?? serviceUrl(deps),
      audience: input.audience ?? serviceUrl(deps),
      enabled: true,
      createdAt: now,
      updatedAt: now,
    });
    for (const k of keys)
      await insertPlatformKey(tx, { kid: k.kid, platformId: inserted.id, pem: k.pem, createdAt: now });
    return inserted;
  });
  return toPlatform(
    row,
    keys.map((k) => k.kid),
  );
}

export async function listPlatforms(deps: Deps, principal: Principal): Promise<Platform[]> {
  requireOperator(principal);
  const rows = await listPlatformRows(deps.db);
  const keys = await keysOf(
    deps.db,
    rows.map((r) => r.id),
  );
  return rows.map((r) =>
    toPlatform(
      r,
      keys.filter((k) => k.platformId === r.id).map((k) => k.kid),
    ),
  );
}

/** Enables or disables a platform; a disabled platform's next request is refused (checked on every request). */
export async function setPlatformEnabled(
  deps: Deps,
  principal: Principal,
  id: string,
  enabled: boolean,
): Promise<Platform> {
  requireOperator(principal);
  if (!UUID.test(id)) throw platformErrors.notFound();
  const row = await updatePlatform(deps.db, id, { enabled, updatedAt: deps.clock.now() });
  if (!row) throw platformErrors.notFound();
  return toPlatform(
    row,
    (await keysOf(deps.db, [row.id])).map((k) => k.kid),
  );
}

export async function getPlatform(deps: Pick<Deps, 'db'>, id: string): Promise<Platform | undefined> {
  const row = UUID.test(id) ? await findPlatform(deps.db, id) : undefined;
  return row
    ? toPlatform(
        row,
        (await keysOf(deps.db, [row.id])).map((k) => k.kid),
      )
    : undefined;
}
