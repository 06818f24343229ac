import { createHash } from 'node:crypto';
import type { Executor } from '../../db/client.ts';
import type { Deps } from '../../deps.ts';
import type { Principal } from '../../http/principal.ts';
import { appendDomainEvent } from '../../jobs/domain-events.ts';
import { getUserByEmail, userRef } from '../identity/index.ts';
import type { InstanceRow } from './badges.awards.repository.ts';
import * as awards from './badges.awards.repository.ts';
import { type BadgeContext, type ContextRef, resolveContext } from './badges.containers.ts';
import { badgeErrors, isUniqueViolation } from './badges.errors.ts';
import type { BadgeWithRelations, Page } from './badges.repository.ts';
import * as repo from './badges.repository.ts';
import { type BadgeView, findBadgeIn, scopeOf, toViews } from './badges.usecases.ts';
import { Checker, type Input, isEmail } from './badges.validation.ts';
import { queueBadgekitWebhook, type WebhookDeps } from './badges.webhooks.ts';

type ReadDeps = Pick<Deps, 'db' | 'config' | 'clock' | 'ids' | 'secretKey'>;
export type AwardDeps = ReadDeps & WebhookDeps;

export const assertionUrl = (deps: Pick<Deps, 'config'>, slug: string) =>
  `${deps.config.publicUrl}/badgekit/public/assertions/${encodeURIComponent(slug)}`;
export const ob2AssertionUrl = (deps: Pick<Deps, 'config'>, slug: string) =>
  `${deps.config.publicUrl}/ob/v2/assertions/${encodeURIComponent(slug)}`;
export const ob2BadgeUrl = (deps: Pick<Deps, 'config'>, slug: string) =>
  `${deps.config.publicUrl}/ob/v2/badges/${encodeURIComponent(slug)}`;

export const emailHash = (email: string, salt = '') =>
  `sha256$${createHash('sha256').update(`${email}${salt}`, 'utf8').digest('hex')}`;

export interface AwardInput {
  readonly email: string;
  readonly slug?: string | undefined;
  readonly issuedOn?: Date | undefined;
  readonly expires?: Date | undefined;
  readonly claimCode?: string | undefined;
  readonly comment?: string | null | undefined;
  readonly evidenceUrl?: string | undefined;
  readonly narrative?: string | undefined;
  readonly user?: { id: string; username: string; email: string; profile_url: string } | undefined;
}

/**
 * Inserts one award and, in the same transaction, appends `badge.awarded` and queues the system's BadgeKit
 * `award` webhook. A live award of the same badge to the same email is a conflict naming the existing one.
 */
export async function insertAward(
  tx: Executor,
  deps: AwardDeps,
  badge: BadgeView,
  input: AwardInput,
  webhookBadge?: BadgeView,
) {
  const email = input.email.toLowerCase();
  // An award to the verified address of a hub account names that person, so the profile, the activity feed
  // and the Event Store can attribute it (an unverified address proves nothing about who holds it).
  const holder = await getUserByEmail(deps, email);
  const user = input.user ?? (holder?.emailVerified ? userRef(deps.config, holder) : undefined);
  const slug = input.slug ?? createHash('sha1').update(deps.ids.token(24)).digest('hex');
  const existing = await awards.findLiveInstance(tx, badge.row.id, email);
  if (existing) throw badgeErrors.alreadyAwarded(email, badge.row.slug, assertionUrl(deps, existing.slug));
  let row: InstanceRow;
  try {
    row = await tx.transaction((inner) =>
      awards.insertInstance(inner, {
        slug,
        email,
        issuedOn: input.issuedOn ?? deps.clock.now(),
        expires: input.expires ?? null,
        claimCode: input.claimCode ?? null,
        badgeId: badge.row.id,
        salt: deps.ids.token(12),
        evidenceUrl: input.evidenceUrl ?? null,
        narrative: input.narrative ?? null,
        userId: user?.id ?? null,
      }),
    );
  } catch (error) {
    if (isUniqueViolation(error)) throw badgeErrors.duplicate('badgeInstance', { slug, email });
    throw error;
  }
  await appendDomainEvent(tx, deps, {
    type: 'badge.awarded',
    subject: `badge:${badge.row.id}`,
    payload: {
      badge: {
        id: String(badge.row.id),
        slug: badge.row.slug,
        name: badge.row.name,
        url: ob2BadgeUrl(deps, badge.row.slug),
      },
      assertion: { id: row.slug, url: ob2AssertionUrl(deps, row.slug) },
      user: user ?? null,
      recipient_email_hash: emailHash(email),
      ...(badge.row.ownerAppId ? { app_ids: [badge.row.ownerAppId] } : {}),
    },
  });
  await queueBadgekitWebhook(tx, deps, badge.row.systemId, {
    action: 'award',
    instance: row,
    badge: webhookBadge ?? badge,
    assertionUrl: assertionUrl(deps, row.slug),
    comment: webhookBadge ? undefined : (input.comment ?? null),
  });
  return row;
}

/**
 * After an award: every milestone supported by that badge whose primary badge the learner lacks and whose
 * support count (across all systems) is reached awards its primary badge. No cascade; the webhook names the
 * triggering badge and has no comment, as BadgeKit's does.
 */
export async function applyMilestones(tx: Executor, deps: AwardDeps, email: string, trigger: BadgeView) {
  const supported = await awards.milestonesSupportedBy(tx, trigger.row.id);
  for (const { m } of supported) {
    if (await awards.findLiveInstance(tx, m.primaryBadgeId, email)) continue;
    const support = (await awards.supportBadgeIds(tx, [m.id])).map((s) => s.badgeId);
    if ((await awards.countHeld(tx, email, support)) < m.numberRequired) continue;
    const [primary] = await toViews(deps, await repo.findBadgesByIds(tx, [m.primaryBadgeId]));
    if (primary) await insertAward(tx, deps, primary, { email }, trigger);
  }
}

function checkAward(input: Input) {
  const c = new Checker(input);
  const email = c.email('email', true);
  const claimCode = c.string('claimCode', { max: 255 });
  const slug = c.string('slug', { min: 1, max: 255 });
  const issuedOn = c.date('issuedOn') ?? undefined;
  const expires = c.date('expires') ?? undefined;
  const comment = c.string('comment', { max: 65535 });
  c.done();
  return { email: email ?? '', claimCode, slug, issuedOn, expires, comment };
}

async function badgeViewIn(deps: ReadDeps, ctx: BadgeContext, slug: string) {
  const row = await findBadgeIn(deps, ctx, slug);
  const [view] = await toViews(deps, [row], ctx);
  return view as BadgeView;
}

/** POST B/instances: award to an email, optionally redeeming a claim code in the same step. */
export async function createInstance(
  deps: AwardDeps,
  principal: Principal,
  ref: ContextRef,
  badgeSlug: string,
  input: Input,
) {
  const award = checkAward(input);
  const ctx = await resolveContext(deps, principal, ref);
  const badge = await badgeViewIn(deps, ctx, badgeSlug);
  return deps.db.transaction(async (tx) => {
    if (award.claimCode !== undefined) {
      const code = await awards.findCode(tx, badge.row.id, award.claimCode, true);
      if (!code) throw badgeErrors.notFound('claimCode', 'code', award.claimCode);
      if (code.claimed && !code.multiuse) throw badgeErrors.codeAlreadyUsed(award.claimCode);
      await awards.claimCode(tx, code.id, award.email.toLowerCase());
    }
    const row = await insertAward(tx, deps, badge, award);
    await applyMilestones(tx, deps, row.email, badge);
    return row;
  });
}

/** POST B/instances/bulk: one award per new email; emails that already hold the badge are skipped. */
export async function createInstances(
  deps: AwardDeps,
  principal: Principal,
  ref: ContextRef,
  badgeSlug: string,
  input: Input,
) {
  const emails = input.emails;
  const c = new Checker(input);
  if (!Array.isArray(emails) || emails.length > 1000)
    c.fail('emails', emails, 'must be a list of at most 1000 emails');
  else
    emails.forEach((e, n) => {
      if (!isEmail(e)) c.fail(`emails.${n}`, e, 'must be an email address');
    });
  const issuedOn = c.date('issuedOn') ?? undefined;
  const expires = c.date('expires') ?? undefined;
  const comment = c.string('comment');
  c.done();
  const ctx = await resolveContext(deps, principal, ref);
  const badge = await badgeViewIn(deps, ctx, badgeSlug);
  const unique = [...new Set((emails as string[]).map((e) => e.trim().toLowerCase()))];
  return deps.db.transaction(async (tx) => {
    const out: InstanceRow[] = [];
    for (const email of unique) {
      if (await awards.findLiveInstance(tx, badge.row.id, email)) continue;
      const row = await insertAward(tx, deps, badge, { email, issuedOn, expires, comment });
      await applyMilestones(tx, deps, email, badge);
      out.push(row);
    }
    return out;
  });
}

export async function listInstances(
  deps: ReadDeps,
  principal: Principal,
  ref: ContextRef,
  badgeSlug: string,
  page?: Page,
) {
  const ctx = await resolveContext(deps, principal, ref);
  const badge = await badgeViewIn(deps, ctx, badgeSlug);
  const { rows, total } = await awards.listInstances(deps.db, awards.instancesOfBadge(badge.row.id), page);
  return { items: rows.map((row) => ({ row, badge })), total };
}

export async function getInstance(
  deps: ReadDeps,
  principal: Principal,
  ref: ContextRef,
  badgeSlug: string,
  email: string,
) {
  const ctx = await resolveContext(deps, principal, ref);
  const badge = await badgeViewIn(deps, ctx, badgeSlug);
  const row = await awards.findLiveInstance(deps.db, badge.row.id, email.toLowerCase());
  if (!row) throw badgeErrors.notFound('badgeInstance', 'email', email);
  return { row, badge };
}

/** All of a learner's awards for badges in the context. */
export async function learnerInstances(
  deps: ReadDeps,
  principal: Principal,
  ref: ContextRef,
  email: string,
  page?: Page,
) {
  const ctx = await resolveContext(deps, principal, ref);
  const all = await repo.listBadges(deps.db, scopeOf(ctx), 'any');
  const views = new Map((await toViews(deps, all.rows, ctx)).map((v) => [v.row.id, v]));
  const where = awards.instancesOfEmailIn(email.toLowerCase(), [...views.keys()]);
  const { rows, total } = await awards.listInstances(deps.db, where, page);
  return { items: rows.map((row) => ({ row, badge: views.get(row.badgeId) ?? null })), total };
}

/**
 * Revokes an award (BadgeKit's DELETE B/instances/:email): the hosted assertion then answers 410, and the
 * `revoke` webhook and `badge.revoked` are queued in the same transaction.
 */
export async function revokeInstance(
  deps: AwardDeps,
  principal: Principal,
  ref: ContextRef,
  badgeSlug: string,
  email: string,
  reason?: string,
) {
  const { row, badge } = await getInstance(deps, principal, ref, badgeSlug, email);
  return revokeAward(deps, row, badge, reason);
}

export async function revokeAward(deps: AwardDeps, row: InstanceRow, badge: BadgeView, reason?: string) {
  return deps.db.transaction(async (tx) => {
    const revoked = await awards.revokeInstance(tx, row.id, deps.clock.now(), reason ?? null);
    if (!revoked) throw badgeErrors.notFound('badgeInstance', 'email', row.email);
    await appendDomainEvent(tx, deps, {
      type: 'badge.revoked',
      subject: `badge:${badge.row.id}`,
      payload: {
        badge: {
          id: String(badge.row.id),
          slug: badge.row.slug,
          name: badge.row.name,
          url: ob2BadgeUrl(deps, badge.row.slug),
        },
        assertion: { id: row.slug, url: ob2AssertionUrl(deps, row.slug) },
        user: null,
        recipient_email_hash: emailHash(row.email),
        reason: reason ?? null,
      },
    });
    await queueBadgekitWebhook(tx, deps, badge.row.systemId, { action: 'revoke', instance: row, badge });
    return { row: revoked, badge };
  });
}

export type { BadgeWithRelations };
