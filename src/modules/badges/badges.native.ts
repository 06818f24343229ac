import type { Deps } from '../../deps.ts';
import type { Principal } from '../../http/principal.ts';
import { decodeKeyset, encodeCursor } from '../../lib/cursor.ts';
import { profileUrl, resolveUserRef, type User } from '../identity/index.ts';
import { getAppById, hasUserGrant } from '../oauth/index.ts';
import * as awards from './badges.awards.repository.ts';
import { insertAward, ob2AssertionUrl, ob2BadgeUrl } from './badges.awards.ts';
import { createContainer } from './badges.containers.ts';
import { badgeErrors } from './badges.errors.ts';
import {
  AWARD_SCOPE,
  appOf,
  appSystemSlug,
  canAwardAppBadge,
  canAwardTo,
  hasScope,
} from './badges.policies.ts';
import * as repo from './badges.repository.ts';
import { type BadgeView, createBadge, toViews } from './badges.usecases.ts';
import { Checker, type Input } from './badges.validation.ts';
import type { WebhookDeps } from './badges.webhooks.ts';

/** The native API's view of badges and awards (snake_case, RFC 3339, absolute OB 2.0 URLs). */
export function nativeBadge(deps: Pick<Deps, 'config'>, b: BadgeView) {
  return {
    id: String(b.row.id),
    slug: b.row.slug,
    name: b.row.name,
    description: b.row.consumerDescription,
    criteria_url: b.row.criteriaUrl,
    image_url: b.imageUrl,
    url: ob2BadgeUrl(deps, b.row.slug),
    app_id: b.row.ownerAppId,
    created_at: b.row.created.toISOString(),
  };
}

export function nativeAward(deps: Pick<Deps, 'config'>, row: awards.InstanceRow, b: BadgeView) {
  const url = ob2AssertionUrl(deps, row.slug);
  return {
    id: row.slug,
    badge: nativeBadge(deps, b),
    issued_on: row.issuedOn.toISOString(),
    expires: row.expires?.toISOString() ?? null,
    assertion_url: url,
    image_png_url: `${url}/image.png`,
    image_svg_url: `${url}/image.svg`,
    verify_url: url,
  };
}

const INVALID_CURSOR = () =>
  badgeErrors.invalidParameter('cursor', 'The cursor is not one this API gave out.');

export async function listBadgesNative(deps: Deps, limit: number, cursor?: string) {
  const position = cursor === undefined ? ([0] as const) : decodeKeyset(cursor, ['int']);
  if (!position) throw INVALID_CURSOR();
  const [after] = position;
  const rows = await repo.listBadgesAfter(deps.db, after, limit + 1);
  const page = await toViews(deps, rows.slice(0, limit));
  const last = page.at(-1);
  return {
    data: page.map((b) => nativeBadge(deps, b)),
    next_cursor: rows.length > limit && last ? encodeCursor([last.row.id]) : null,
  };
}

async function badgeById(deps: Deps, id: string) {
  const row = /^\d{1,9}$/.test(id) ? (await repo.findBadgesByIds(deps.db, [Number(id)]))[0] : undefined;
  if (!row) throw badgeErrors.notFound('badge', 'id', id);
  const [view] = await toViews(deps, [row]);
  if (!view) throw badgeErrors.notFound('badge', 'id', id);
  return view;
}

export async function getBadgeNative(deps: Deps, id: string) {
  return nativeBadge(deps, await badgeById(deps, id));
}

/** An app's participation badge, kept in the app's own BadgeKit system `app-<app id>` (made on first use). */
export async function createAppBadge(deps: Deps, principal: Principal, input: Input) {
  const appId = appOf(principal);
  if (!appId) throw badgeErrors.forbidden('Only an app may create its participation badge.');
  const systemSlug = appSystemSlug(appId);
  if (!(await repo.findSystem(deps.db, systemSlug))) {
    const app = await getAppById(deps, appId);
    await createContainer(deps, principal, undefined, {
      slug: systemSlug,
      name: app?.name ?? systemSlug,
      url: app?.homepageUrl ?? deps.config.publicUrl,
    }).catch((error: unknown) => {
      if (!(error instanceof Error && 'code' in error && error.code === 'badges.duplicate')) throw error;
    });
  }
  const badge = await createBadge(
    deps,
    principal,
    { system: systemSlug },
    {
      name: input.name,
      slug: input.slug,
      earnerDescription: input.description,
      consumerDescription: input.description,
      criteriaUrl: input.criteria_url,
      image: input.image,
      unique: 1,
      type: 'participation',
    },
    appId,
  );
  return nativeBadge(deps, badge);
}

/**
 * An app awards its own participation badge to a hub user who has connected to it (granted `openid`); the
 * award goes to the user's email and names the user in `badge.awarded`. The app's token must carry the
 * `badges:award` scope, so a token got for something else (notifications, say) cannot award.
 */
export async function awardAppBadge(
  deps: Deps & WebhookDeps,
  principal: Principal,
  badgeId: string,
  input: Input,
) {
  if (!hasScope(principal, AWARD_SCOPE)) throw badgeErrors.scopeRequired(AWARD_SCOPE);
  const badge = await badgeById(deps, badgeId);
  if (!canAwardAppBadge(principal, badge.row))
    throw badgeErrors.forbidden('Only the app that owns this badge may award it.');
  const c = new Checker(input);
  const ref = c.string('user', { required: true, min: 1, max: 500 });
  const evidenceUrl = c.url('evidence_url');
  const narrative = c.string('narrative', { max: 10_000 });
  c.done();
  const user = ref === undefined ? undefined : await resolveUserRef(deps, ref);
  if (!user) throw badgeErrors.notFound('user', 'ref', ref ?? '');
  const appId = appOf(principal) ?? '';
  if (!canAwardTo(principal, user.id) || !(await hasUserGrant(deps, appId, user.id, 'openid'))) {
    throw badgeErrors.forbidden(
      'This person has not connected to the app, so the app cannot award them a badge.',
    );
  }
  const userRef = {
    id: user.id,
    username: user.username,
    email: user.email,
    profile_url: profileUrl(deps.config, user.username),
  };
  const row = await deps.db.transaction((tx) =>
    insertAward(tx, deps, badge, { email: user.email, evidenceUrl, narrative, user: userRef }),
  );
  return nativeAward(deps, row, badge);
}

/** A person's awards: those made to their email once it is verified (an unverified address proves nothing). */
export async function userAwards(deps: Deps, user: User) {
  if (!user.emailVerified) return [];
  const rows = await awards.liveInstancesOfEmails(deps.db, [user.email.toLowerCase()]);
  const views = new Map(
    (await toViews(deps, await repo.findBadgesByIds(deps.db, [...new Set(rows.map((r) => r.badgeId))]))).map(
      (v) => [v.row.id, v],
    ),
  );
  return rows.flatMap((row) => {
    const b = views.get(row.badgeId);
    return b ? [nativeAward(deps, row, b)] : [];
  });
}

export async function userAwardsByRef(deps: Deps, ref: string) {
  const user = await resolveUserRef(deps, ref);
  if (!user) throw badgeErrors.notFound('user', 'username', ref);
  return userAwards(deps, user);
}
