import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type Static, Type } from 'typebox';
import type { Deps } from '../../deps.ts';
import { renderPage } from '../../web/index.ts';
import { bakePng, bakeSvg } from './badges.bake.ts';
import { badgeErrors } from './badges.errors.ts';
import {
  awardBySlug,
  badgeBySlug,
  badgeImage,
  imageBySlug,
  ob2Assertion,
  ob2BadgeClass,
  ob2Issuer,
  ob2RevocationList,
} from './badges.ob2.ts';
import { issueOb3 } from './badges.ob3.ts';
import { rasterise } from './badges.raster.ts';
import { statusListCredential } from './badges.status.ts';

const Slug = Type.Object({ slug: Type.String({ minLength: 1, maxLength: 255 }) });
const StatusParams = Type.Object({
  system: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }),
  list: Type.Integer({ minimum: 0, maximum: 100_000 }),
});
const IssuerId = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
const Doc = Type.Object(
  { '@context': Type.String(), id: Type.String(), type: Type.String() },
  { additionalProperties: true },
);
const Problem = Type.Object({ code: Type.String() }, { additionalProperties: true });
const Binary = Type.String({ description: 'image bytes' });

/** A browser asking for HTML gets a page; a client naming only application/json gets that; else JSON-LD. */
function wantsHtml(request: FastifyRequest) {
  const accept = request.headers.accept ?? '';
  return accept.includes('text/html') && !accept.includes('json');
}

function sendDoc(
  request: FastifyRequest,
  reply: FastifyReply,
  doc: Record<string, unknown>,
  page: () => string,
  status = 200,
) {
  reply.header('access-control-allow-origin', '*').header('vary', 'Accept').code(status);
  if (wantsHtml(request)) return reply.type('text/html; charset=utf-8').send(page());
  const accept = request.headers.accept ?? '';
  const type =
    accept.includes('application/json') && !accept.includes('ld+json')
      ? 'application/json'
      : 'application/ld+json';
  return reply.type(`${type}; charset=utf-8`).send(JSON.stringify(doc));
}

function docPage(title: string, doc: Record<string, unknown>, lines: [string, string | undefined][]) {
  return renderPage({
    title,
    children: (
      <>
        <h1>{title}</h1>
        <dl>
          {lines
            .filter(([, v]) => v)
            .map(([k, v]) => (
              <>
                <dt>{k}</dt>
                <dd>{v?.startsWith('http') ? <a href={v}>{v}</a> : v}</dd>
              </>
            ))}
        </dl>
        <details>
          <summary>Open Badges 2.0 JSON-LD</summary>
          <pre>{JSON.stringify(doc, null, 2)}</pre>
        </details>
      </>
    ),
  });
}

const schema = (summary: string, params: typeof Slug | typeof IssuerId, ok = Doc) => ({
  tags: ['badges'],
  summary,
  params,
  response: { 200: ok, 404: Problem, 410: Doc },
});

/** Open Badges 2.0 hosted documents and baked images under /ob (public: verifiers fetch them). */
export async function obRoutes(app: FastifyInstance, { deps }: { deps: Deps }) {
  app.get<{ Params: Static<typeof IssuerId> }>(
    '/ob/v2/issuers/:id',
    { schema: schema('OB 2.0 Issuer profile', IssuerId) },
    async (request, reply) => {
      const doc = await ob2Issuer(deps, request.params.id);
      return sendDoc(request, reply, doc, () =>
        docPage(String(doc.name), doc, [
          ['Web site', String(doc.url)],
          ['Email', String(doc.email)],
          ['About', doc.description],
        ]),
      );
    },
  );

  app.get<{ Params: Static<typeof IssuerId> }>(
    '/ob/v2/issuers/:id/revocations',
    { schema: schema('OB 2.0 RevocationList of an issuer', IssuerId) },
    async (request, reply) => {
      const doc = await ob2RevocationList(deps, request.params.id);
      return sendDoc(request, reply, doc, () => docPage('Revoked badges', doc, []));
    },
  );

  app.get<{ Params: Static<typeof Slug> }>(
    '/ob/v2/badges/:slug',
    { schema: schema('OB 2.0 BadgeClass', Slug) },
    async (request, reply) => {
      const doc = ob2BadgeClass(deps, await badgeBySlug(deps, request.params.slug));
      return sendDoc(request, reply, doc, () =>
        docPage(doc.name, doc, [
          ['Description', doc.description],
          ['Criteria', doc.criteria.id],
          ['Issuer', doc.issuer],
          ['Image', doc.image],
        ]),
      );
    },
  );

  app.get<{ Params: Static<typeof Slug> }>(
    '/ob/v2/assertions/:slug',
    { schema: schema('OB 2.0 hosted Assertion (410 with revoked: true once revoked)', Slug) },
    async (request, reply) => {
      const { row, badge } = await awardBySlug(deps, request.params.slug);
      const doc = ob2Assertion(deps, row, badge);
      const status = row.revokedAt ? 410 : 200;
      return sendDoc(
        request,
        reply,
        doc,
        () =>
          docPage(`${badge.row.name}${row.revokedAt ? ' (revoked)' : ''}`, doc, [
            ['Badge', String(ob2BadgeClass(deps, badge).id)],
            ['Issued on', row.issuedOn.toISOString().slice(0, 10)],
            ['Expires', row.expires?.toISOString().slice(0, 10)],
            [
              'Status',
              row.revokedAt ? `Revoked${row.revocationReason ? `: ${row.revocationReason}` : ''}` : 'Valid',
            ],
            ['Baked image', row.revokedAt ? undefined : `${String(doc.id)}/image.png`],
          ]),
        status,
      );
    },
  );

  for (const ext of ['png', 'svg'] as const) {
    app.get<{ Params: Static<typeof Slug> }>(
      `/ob/v2/assertions/:slug/image.${ext}`,
      {
        schema: {
          tags: ['badges'],
          summary: `The award's badge image, baked (${ext.toUpperCase()})`,
          params: Slug,
          response: { 200: Binary, 404: Problem, 410: Problem },
        },
      },
      async (request, reply) => {
        const { row, badge } = await awardBySlug(deps, request.params.slug);
        if (row.revokedAt)
          return reply.code(410).send({ code: 'badges.revoked', detail: 'This badge was revoked.' });
        const image = await badgeImage(deps, badge);
        if (!image.data || !image.mimetype)
          throw badgeErrors.notFoundMessage('The badge image is hosted elsewhere and cannot be baked.');
        const doc = ob2Assertion(deps, row, badge);
        const json = JSON.stringify(doc);
        if (ext === 'png') {
          // SVG, JPEG and GIF images are rasterised, so the baked PNG exists for every award.
          return reply.type('image/png').send(bakePng(rasterise(image.data, image.mimetype), json));
        }
        reply.header(
          'content-security-policy',
          "default-src 'none'; style-src 'unsafe-inline'; img-src data:",
        );
        return reply.type('image/svg+xml').send(bakeSvg(image.data, image.mimetype, String(doc.id), json));
      },
    );
  }

  // Open Badges 3.0: the award as a signed OpenBadgeCredential, as JSON or baked into the badge PNG.
  app.get<{ Params: Static<typeof Slug> }>(
    '/ob/v3/credentials/:slug',
    {
      schema: {
        tags: ['badges'],
        summary: 'OB 3.0 OpenBadgeCredential of an award (eddsa-rdfc-2022 proof, did:key issuer)',
        params: Slug,
        response: { 200: Type.Object({}, { additionalProperties: true }), 404: Problem, 410: Problem },
      },
    },
    async (request, reply) => {
      const { row, badge } = await awardBySlug(deps, request.params.slug);
      if (row.revokedAt)
        return reply.code(410).send({ code: 'badges.revoked', detail: 'This badge was revoked.' });
      const credential = await issueOb3(deps, row, badge);
      return reply
        .type('application/vc+ld+json; charset=utf-8')
        .header('access-control-allow-origin', '*')
        .send(JSON.stringify(credential));
    },
  );
  app.get<{ Params: Static<typeof Slug> }>(
    '/ob/v3/credentials/:slug/image.png',
    {
      schema: {
        tags: ['badges'],
        summary: 'The badge PNG with the OB 3.0 credential baked in',
        params: Slug,
        response: { 200: Binary, 404: Problem, 410: Problem },
      },
    },
    async (request, reply) => {
      const { row, badge } = await awardBySlug(deps, request.params.slug);
      if (row.revokedAt)
        return reply.code(410).send({ code: 'badges.revoked', detail: 'This badge was revoked.' });
      const image = await badgeImage(deps, badge);
      if (!image.data || !image.mimetype)
        throw badgeErrors.notFoundMessage('The badge image is hosted elsewhere and cannot be baked.');
      const credential = await issueOb3(deps, row, badge);
      return reply
        .type('image/png')
        .send(
          bakePng(rasterise(image.data, image.mimetype), JSON.stringify(credential), 'openbadgecredential'),
        );
    },
  );

  app.get<{ Params: Static<typeof StatusParams> }>(
    '/ob/v3/status/:system/:list',
    {
      schema: {
        tags: ['badges'],
        summary: "A system's BitstringStatusListCredential (revocation bits of its OB 3.0 credentials)",
        params: StatusParams,
        response: { 200: Type.Object({}, { additionalProperties: true }), 404: Problem },
      },
    },
    async (request, reply) => {
      const list = await statusListCredential(deps, request.params.system, request.params.list);
      if (!list) throw badgeErrors.notFoundMessage('No such status list.');
      return reply
        .type('application/vc+ld+json; charset=utf-8')
        .header('access-control-allow-origin', '*')
        .header('cache-control', 'no-cache')
        .send(JSON.stringify(list));
    },
  );

  app.get<{ Params: Static<typeof Slug> }>(
    '/ob/images/:slug',
    {
      schema: {
        tags: ['badges'],
        summary: 'A stored badge image (or a redirect to its URL)',
        params: Slug,
        response: { 200: Binary, 404: Problem },
      },
    },
    async (request, reply) => {
      const image = await imageBySlug(deps, request.params.slug);
      if (image.url) return reply.redirect(image.url, 301);
      reply.header('cache-control', 'public, max-age=86400').header('x-content-type-options', 'nosniff');
      // SVG can carry script: served with a CSP that forbids it.
      if (image.mimetype === 'image/svg+xml')
        reply.header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'");
      return reply.type(image.mimetype ?? 'application/octet-stream').send(image.data);
    },
  );
}
