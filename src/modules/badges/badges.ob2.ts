import type { Deps } from '../../deps.ts';
import type { InstanceRow } from './badges.awards.repository.ts';
import * as awards from './badges.awards.repository.ts';
import { emailHash, ob2AssertionUrl, ob2BadgeUrl } from './badges.awards.ts';
import { badgeErrors } from './badges.errors.ts';
import type { IssuerRow, ProgramRow, SystemRow } from './badges.repository.ts';
import * as repo from './badges.repository.ts';
import { type BadgeView, toViews } from './badges.usecases.ts';

/**
 * Open Badges 2.0 hosted documents. Every URL is under PUBLIC_URL, so issuer, badge class and assertion share
 * one origin (the hosted-verification scope rule). The issuer of a badge is its deepest container.
 */
const CONTEXT = 'https://w3id.org/openbadges/v2';
type ObDeps = Pick<Deps, 'db' | 'config'>;
type Container =
  | { kind: 'system'; row: SystemRow }
  | { kind: 'issuer'; row: IssuerRow }
  | { kind: 'program'; row: ProgramRow };

export const ob2IssuerUrl = (deps: Pick<Deps, 'config'>, c: { kind: string; row: { id: number } }) =>
  `${deps.config.publicUrl}/ob/v2/issuers/${c.kind}-${c.row.id}`;

function issuerOf(badge: BadgeView): Container {
  if (badge.program) return { kind: 'program', row: badge.program };
  if (badge.issuer) return { kind: 'issuer', row: badge.issuer };
  if (badge.system) return { kind: 'system', row: badge.system };
  throw badgeErrors.notFoundMessage('badge has no issuer');
}

async function loadContainer(deps: ObDeps, id: string): Promise<{ c: Container; chain: Container[] }> {
  const m = /^(system|issuer|program)-(\d{1,9})$/.exec(id);
  const n = Number(m?.[2]);
  const program = m?.[1] === 'program' ? await repo.findProgramById(deps.db, n) : undefined;
  const issuer =
    m?.[1] === 'issuer'
      ? await repo.findIssuerById(deps.db, n)
      : program
        ? await repo.findIssuerById(deps.db, program.issuerId)
        : undefined;
  const system =
    m?.[1] === 'system'
      ? await repo.findSystemById(deps.db, n)
      : issuer
        ? await repo.findSystemById(deps.db, issuer.systemId)
        : undefined;
  const chain: Container[] = [
    ...(program ? [{ kind: 'program' as const, row: program }] : []),
    ...(issuer ? [{ kind: 'issuer' as const, row: issuer }] : []),
    ...(system ? [{ kind: 'system' as const, row: system }] : []),
  ];
  const c = chain[0];
  if (!c || !system) throw badgeErrors.notFoundMessage(`No such issuer: ${id}`);
  return { c, chain };
}

/** The Issuer profile; each field from the deepest container that has it, as BadgeKit's public issuer does. */
export async function ob2Issuer(deps: ObDeps, id: string) {
  const { c, chain } = await loadContainer(deps, id);
  const pick = (k: 'name' | 'url' | 'email' | 'description') =>
    chain.map((x) => x.row[k]).find((v) => v) ?? undefined;
  const mailFrom = /<([^>]+)>/.exec(deps.config.mailFrom)?.[1] ?? deps.config.mailFrom;
  const url = ob2IssuerUrl(deps, c);
  return {
    '@context': CONTEXT,
    id: url,
    type: 'Issuer',
    name: pick('name'),
    url: pick('url'),
    email: pick('email') ?? mailFrom,
    ...(pick('description') ? { description: pick('description') } : {}),
    revocationList: `${url}/revocations`,
  };
}

export async function ob2RevocationList(deps: ObDeps, id: string) {
  const { c } = await loadContainer(deps, id);
  const where =
    c.kind === 'program' ? { programId: c.row.id } : c.kind === 'issuer' ? { issuerId: c.row.id } : {};
  const systemId = c.kind === 'system' ? c.row.id : c.kind === 'issuer' ? c.row.systemId : undefined;
  const ids = await awards.badgeIdsOf(deps.db, repo.badgeScopeWhere({ systemId, ...where }));
  const revoked = await awards.revokedOfBadges(deps.db, ids);
  const url = ob2IssuerUrl(deps, c);
  return {
    '@context': CONTEXT,
    id: `${url}/revocations`,
    type: 'RevocationList',
    issuer: url,
    revokedAssertions: revoked.map((r) => ({
      id: ob2AssertionUrl(deps, r.slug),
      ...(r.revocationReason ? { revocationReason: r.revocationReason } : {}),
    })),
  };
}

export async function badgeBySlug(deps: ObDeps, slug: string): Promise<BadgeView> {
  const row = await repo.findBadgeBySlug(deps.db, slug);
  if (!row) throw badgeErrors.notFound('badge', 'slug', slug);
  const [view] = await toViews(deps, [row]);
  if (!view) throw badgeErrors.notFound('badge', 'slug', slug);
  return view;
}

export function ob2BadgeClass(deps: ObDeps, badge: BadgeView) {
  const b = badge.row;
  return {
    '@context': CONTEXT,
    id: ob2BadgeUrl(deps, b.slug),
    type: 'BadgeClass',
    name: b.name,
    description: b.consumerDescription,
    image: badge.imageUrl ?? '',
    criteria: {
      id: b.criteriaUrl,
      ...(b.criteria.length ? { narrative: b.criteria.map((c) => `- ${c.description}`).join('\n') } : {}),
    },
    issuer: ob2IssuerUrl(deps, issuerOf(badge)),
    ...(b.tags.length ? { tags: b.tags.map((t) => t.value) } : {}),
    ...(b.alignments.length
      ? {
          alignment: b.alignments.map((a) => ({
            targetName: a.name,
            targetUrl: a.url,
            ...(a.description ? { targetDescription: a.description } : {}),
          })),
        }
      : {}),
  };
}

export async function awardBySlug(
  deps: ObDeps,
  slug: string,
): Promise<{ row: InstanceRow; badge: BadgeView }> {
  const row = slug.length <= 255 ? await awards.findInstanceBySlug(deps.db, slug) : undefined;
  if (!row) throw badgeErrors.notFoundMessage('Could not find badge instance');
  const [view] = await toViews(deps, await repo.findBadgesByIds(deps.db, [row.badgeId]));
  if (!view) throw badgeErrors.notFoundMessage('Could not find badge instance');
  return { row, badge: view };
}

/** The hosted Assertion; the recipient is the salted hash of the (lower-cased) email. */
export function ob2Assertion(deps: ObDeps, row: InstanceRow, badge: BadgeView) {
  const id = ob2AssertionUrl(deps, row.slug);
  if (row.revokedAt) {
    return {
      '@context': CONTEXT,
      id,
      type: 'Assertion',
      revoked: true,
      ...(row.revocationReason ? { revocationReason: row.revocationReason } : {}),
    };
  }
  return {
    '@context': CONTEXT,
    id,
    type: 'Assertion',
    recipient: { type: 'email', hashed: true, salt: row.salt, identity: emailHash(row.email, row.salt) },
    badge: ob2BadgeUrl(deps, badge.row.slug),
    verification: { type: 'HostedBadge' },
    issuedOn: row.issuedOn.toISOString(),
    image: `${id}/image.png`,
    ...(row.expires ? { expires: row.expires.toISOString() } : {}),
    ...(row.evidenceUrl ? { evidence: row.evidenceUrl } : {}),
    ...(row.narrative ? { narrative: row.narrative } : {}),
  };
}

/** The stored image of a badge (bytes and type), or its external URL. */
export async function imageBySlug(deps: ObDeps, slug: string) {
  const image = slug.length <= 255 ? await repo.findImageBySlug(deps.db, slug) : undefined;
  if (!image) throw badgeErrors.notFoundMessage('not found');
  return image;
}

export async function badgeImage(deps: ObDeps, badge: BadgeView) {
  const image = await repo.findImageById(deps.db, badge.row.imageId);
  if (!image) throw badgeErrors.notFoundMessage('not found');
  return image;
}
