import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../deps.ts';
import * as badges from '../../modules/badges/index.ts';
import { bk, NESTINGS, refOf } from './badgekit.http.ts';

/**
 * BadgeKit's public (unauthenticated) Open Badges 1.0 documents, kept for old clients. The hub's verifiable
 * documents are the OB 2.0 ones under /ob/v2 (docs/badges.md).
 */
export async function badgekitPublicRoutes(app: FastifyInstance, { deps }: { deps: Deps }) {
  const base = `${deps.config.publicUrl}/badgekit/public`;
  const ctxPath = (params: Record<string, string>) =>
    `/systems/${params.systemSlug ?? ''}${params.issuerSlug ? `/issuers/${params.issuerSlug}` : ''}${params.programSlug ? `/programs/${params.programSlug}` : ''}`;

  bk(app, 'GET', '/public/assertions/:instanceSlug', 'OB 1.0 hosted assertion (no auth)', async (req) => {
    const { row, badge } = await badges.awardBySlug(deps, req.params.instanceSlug ?? '');
    if (row.revokedAt) throw badges.badgeNotFound('Could not find badge instance');
    const where = `/systems/${badge.system?.slug ?? ''}${badge.issuer ? `/issuers/${badge.issuer.slug}` : ''}${badge.program ? `/programs/${badge.program.slug}` : ''}`;
    return {
      uid: row.slug,
      recipient: { identity: badges.emailHash(row.email), type: 'email', hashed: true },
      badge: `${base}${where}/badges/${badge.row.slug}`,
      verify: { url: `${base}/assertions/${row.slug}`, type: 'hosted' },
      issuedOn: Math.floor(row.issuedOn.getTime() / 1000),
      ...(row.expires ? { expires: Math.floor(row.expires.getTime() / 1000) } : {}),
    };
  });

  bk(app, 'GET', '/public/badges', 'Every badge location (no auth)', async (req) => {
    const list = await badges.allBadgeLocations(deps, badges.parseArchived(req.query.archived));
    return { badgelist: list.map((path) => ({ location: `${base}${path}` })) };
  });

  for (const ctx of NESTINGS) {
    bk(app, 'GET', `/public${ctx}`, 'OB 1.0 IssuerOrganization (no auth)', async (req) => {
      const c = await badges.getContainerChain(deps, refOf(req.params));
      return c;
    });
    bk(app, 'GET', `/public${ctx}/badges/:badgeSlug`, 'OB 1.0 BadgeClass (no auth)', async (req) => {
      const b = await badges.publicBadge(deps, refOf(req.params), req.params.badgeSlug ?? '');
      return {
        name: b.row.name,
        description: b.row.consumerDescription,
        image: b.imageUrl,
        criteria: b.row.criteriaUrl,
        alignment: b.row.alignments.map((a) => ({ name: a.name, url: a.url, description: a.description })),
        issuer: `${base}${ctxPath(req.params)}`,
      };
    });
  }

  bk(app, 'GET', '/public/images/:imageSlug', 'A stored image (no auth)', async (req, reply) => {
    const image = await badges.imageBySlug(deps, req.params.imageSlug ?? '').catch(() => undefined);
    if (!image) throw badges.badgeNotFound('Could not find image');
    if (image.url) return reply.code(301).header('location', image.url).send({ location: image.url });
    // Uploaded SVG can carry script: never let it run on the hub's origin.
    reply
      .header('x-content-type-options', 'nosniff')
      .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'");
    return reply.type(image.mimetype ?? 'application/octet-stream').send(image.data);
  });
}
