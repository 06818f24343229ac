import type { Deps } from '../../deps.ts';
import type { Principal } from '../../http/principal.ts';
import { hashToken } from '../../lib/secrets.ts';
import { resolveUserRef } from '../identity/index.ts';
import { forgetAppLabels } from './oauth.app-cache.ts';
import { UUID } from './oauth.client.ts';
import { oauthErrors } from './oauth.errors.ts';
import { canChooseAppOwner, canListAllApps, canManageApp } from './oauth.policies.ts';
import {
  type AppRow,
  deleteApp,
  destroyClientPayloads,
  findAppById,
  insertApp,
  listApps,
  updateApp,
} from './oauth.repository.ts';
import { tokenCacheFor } from './oauth.token-cache.ts';
import { type AppInput, validateApp, validateAppChanges } from './oauth.validation.ts';

type AppDeps = Pick<Deps, 'db' | 'clock' | 'ids'>;

/** An app (OAuth client) as other modules see it. Its id is also its OAuth `client_id`. */
export interface App {
  readonly id: string;
  readonly clientId: string;
  readonly name: string;
  readonly homepageUrl: string | null;
  readonly logoUrl: string | null;
  readonly redirectUris: readonly string[];
  readonly replyUrl: string | null;
  readonly ownerUserId: string | null;
  readonly secretRotatedAt: Date;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface AppWithSecret {
  readonly app: App;
  /** Shown once; only its SHA-256 is stored. */
  readonly clientSecret: string;
}

/** Client secrets carry a prefix secret scanners can match, and 256 random bits. */
export const CLIENT_SECRET_PREFIX = 'lh_cs_';

export function toApp(row: AppRow): App {
  return {
    id: row.id,
    clientId: row.id,
    name: row.name,
    homepageUrl: row.homepageUrl,
    logoUrl: row.logoUrl,
    redirectUris: row.redirectUris,
    replyUrl: row.replyUrl,
    ownerUserId: row.ownerUserId,
    secretRotatedAt: row.secretRotatedAt,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

function newSecret(deps: AppDeps): { secret: string; hash: string } {
  const secret = `${CLIENT_SECRET_PREFIX}${deps.ids.token(32)}`;
  return { secret, hash: hashToken(secret) };
}

/** Registers an app. Trusted callers (CLI, other modules); routes go through createAppAs. */
export async function createApp(
  deps: AppDeps,
  input: AppInput & { ownerUserId?: string | null | undefined },
): Promise<AppWithSecret> {
  const fields = validateApp(input);
  const { secret, hash } = newSecret(deps);
  const now = deps.clock.now();
  const row = await insertApp(deps.db, {
    id: deps.ids.uuid(),
    ...fields,
    redirectUris: [...fields.redirectUris],
    ownerUserId: input.ownerUserId ?? null,
    secretHash: hash,
    secretRotatedAt: now,
    createdAt: now,
    updatedAt: now,
  });
  return { app: toApp(row), clientSecret: secret };
}

/** A user registers an app they own; a hub admin may name an owner, or none. */
export async function createAppAs(
  deps: Deps,
  principal: Principal,
  input: AppInput & { owner?: string | undefined },
): Promise<AppWithSecret> {
  let ownerUserId: string | null = principal.kind === 'user' ? principal.userId : null;
  // An app nobody owns is managed by hub admins only, so only they may create one.
  if (ownerUserId === null && !canChooseAppOwner(principal)) throw oauthErrors.notAppOwner();
  if (input.owner !== undefined) {
    if (!canChooseAppOwner(principal)) throw oauthErrors.notAppOwner();
    const owner = await resolveUserRef(deps, input.owner);
    if (!owner) throw oauthErrors.ownerNotFound(input.owner);
    ownerUserId = owner.id;
  }
  return createApp(deps, { ...input, ownerUserId });
}

export async function getAppById(deps: Pick<Deps, 'db'>, id: string): Promise<App | undefined> {
  if (!UUID.test(id)) return undefined;
  const row = await findAppById(deps.db, id);
  return row ? toApp(row) : undefined;
}

async function managedApp(deps: Pick<Deps, 'db'>, principal: Principal, id: string): Promise<AppRow> {
  const row = UUID.test(id) ? await findAppById(deps.db, id) : undefined;
  // Someone else's app answers as if it did not exist, so ids cannot be probed.
  if (!row || !canManageApp(principal, row)) throw oauthErrors.appNotFound();
  return row;
}

export async function getAppAs(deps: Pick<Deps, 'db'>, principal: Principal, id: string): Promise<App> {
  return toApp(await managedApp(deps, principal, id));
}

/** Hub admins see every app; users see the apps they own. */
export async function listAppsAs(
  deps: Pick<Deps, 'db'>,
  principal: Principal,
  page: { limit: number; after?: { createdAt: Date; id: string } | undefined },
): Promise<App[]> {
  const all = canListAllApps(principal);
  if (!all && principal.kind !== 'user') return [];
  const ownerUserId = principal.kind === 'user' && !all ? principal.userId : undefined;
  const rows = await listApps(deps.db, {
    ownerUserId,
    limit: page.limit,
    ...(page.after ? { after: page.after } : {}),
  });
  return rows.map(toApp);
}

/** Apps a user owns (the developer page), newest first. */
export async function listOwnedApps(deps: Pick<Deps, 'db'>, userId: string): Promise<App[]> {
  return (await listApps(deps.db, { ownerUserId: userId, limit: 100 })).map(toApp);
}

export async function updateAppAs(
  deps: AppDeps & Pick<Deps, 'pool'>,
  principal: Principal,
  id: string,
  input: AppInput,
): Promise<App> {
  await managedApp(deps, principal, id);
  const changes = validateAppChanges(input);
  const { redirectUris, ...rest } = changes;
  const row = await updateApp(deps.db, id, {
    ...rest,
    ...(redirectUris ? { redirectUris: [...redirectUris] } : {}),
    updatedAt: deps.clock.now(),
  });
  if (!row) throw oauthErrors.appNotFound();
  // A new name shows in this process's next mail at once; other processes hear the trigger (oauth.app-cache.ts).
  forgetAppLabels(deps);
  return toApp(row);
}

/** Replaces the client secret; the old one stops working at once. */
export async function rotateAppSecret(
  deps: AppDeps,
  principal: Principal,
  id: string,
): Promise<AppWithSecret> {
  await managedApp(deps, principal, id);
  const { secret, hash } = newSecret(deps);
  const now = deps.clock.now();
  const row = await updateApp(deps.db, id, { secretHash: hash, secretRotatedAt: now, updatedAt: now });
  if (!row) throw oauthErrors.appNotFound();
  return { app: toApp(row), clientSecret: secret };
}

/** Deletes the app with every grant, code and token issued to it, in one transaction. */
export async function deleteAppAs(
  deps: AppDeps & Pick<Deps, 'pool' | 'logger'>,
  principal: Principal,
  id: string,
): Promise<void> {
  await managedApp(deps, principal, id);
  await deps.db.transaction(async (tx) => {
    await destroyClientPayloads(tx, id);
    await deleteApp(tx, id);
  });
  // Its tokens stop working at once here; other processes hear of it from the trigger (oauth.token-cache.ts).
  tokenCacheFor(deps).invalidate();
  forgetAppLabels(deps);
}
