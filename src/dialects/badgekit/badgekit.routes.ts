import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../deps.ts';
import {
  createBadge,
  createContainer,
  deleteBadge,
  deleteContainer,
  getBadge,
  getContainer,
  listContainers,
  parseArchived,
  updateBadge,
  updateContainer,
} from '../../modules/badges/index.ts';
import { bk, listBody, NESTINGS, pageOf, refOf } from './badgekit.http.ts';
import { listBadgesJson } from './badgekit.listcache.ts';
import { BkBadgeList } from './badgekit.schemas.ts';
import { badgeJson, containerJson } from './badgekit.wire.ts';

const CONTAINERS = [
  { parent: '', path: '/systems', one: 'system', many: 'systems', slug: 'systemSlug' },
  { parent: NESTINGS[0], path: `${NESTINGS[0]}/issuers`, one: 'issuer', many: 'issuers', slug: 'issuerSlug' },
  {
    parent: NESTINGS[1],
    path: `${NESTINGS[1]}/programs`,
    one: 'program',
    many: 'programs',
    slug: 'programSlug',
  },
] as const;

/** Health, systems/issuers/programs, and badges in all three nestings. */
export async function badgekitRoutes(app: FastifyInstance, { deps }: { deps: Deps }) {
  const health = async () => ({ app: 'BadgeKit API', version: '0.2.22' });
  bk(app, 'GET', '/', 'Health (no auth)', health);
  bk(app, 'GET', '/healthcheck', 'Health (no auth)', health);

  for (const c of CONTAINERS) {
    const parentRef = (p: Record<string, string>) => (c.parent ? refOf(p) : undefined);
    bk(app, 'GET', c.path, `List ${c.many}`, async (req) => {
      const page = pageOf(req.query);
      const { items, total } = await listContainers(deps, req.principal, parentRef(req.params), page);
      return listBody(c.many, items.map(containerJson), total, page);
    });
    bk(
      app,
      'POST',
      c.path,
      `Create a ${c.one}`,
      async (req) => ({
        status: 'created',
        [c.one]: containerJson(await createContainer(deps, req.principal, parentRef(req.params), req.body)),
      }),
      201,
    );
    const one = `${c.path}/:${c.slug}`;
    bk(app, 'GET', one, `A ${c.one}`, async (req) => ({
      [c.one]: containerJson(await getContainer(deps, req.principal, refOf(req.params))),
    }));
    bk(app, 'PUT', one, `Update a ${c.one}`, async (req) => ({
      status: 'updated',
      [c.one]: containerJson(await updateContainer(deps, req.principal, refOf(req.params), req.body)),
    }));
    bk(app, 'DELETE', one, `Delete a ${c.one} (and what it holds)`, async (req) => ({
      status: 'deleted',
      [c.one]: containerJson(await deleteContainer(deps, req.principal, refOf(req.params))),
    }));
  }

  for (const ctx of NESTINGS) {
    bk(
      app,
      'GET',
      `${ctx}/badges`,
      'List badges (?archived=true|false|any, paging)',
      async (req, reply) => {
        const archived = parseArchived(req.query.archived);
        const body = await listBadgesJson(
          deps,
          req.principal,
          refOf(req.params),
          archived,
          pageOf(req.query),
        );
        // The finished body arrives as bytes (cached per system list version) and is sent without
        // re-encoding, so BkBadgeList is checked by badgekit.lists.contract.test.ts, not by a serialiser.
        return reply.type('application/json; charset=utf-8').send(body);
      },
      200,
      BkBadgeList,
    );
    bk(
      app,
      'POST',
      `${ctx}/badges`,
      'Create a badge',
      async (req, reply) => {
        const badge = await createBadge(deps, req.principal, refOf(req.params), req.body);
        reply.header('location', `${req.url.split('?')[0]}/${badge.row.slug}`);
        return { status: 'created', badge: badgeJson(badge) };
      },
      201,
    );
    const one = `${ctx}/badges/:badgeSlug`;
    bk(app, 'GET', one, 'A badge (with its milestones)', async (req) => ({
      badge: badgeJson(await getBadge(deps, req.principal, refOf(req.params), req.params.badgeSlug ?? '')),
    }));
    bk(app, 'PUT', one, 'Update a badge', async (req) => ({
      status: 'updated',
      badge: badgeJson(
        await updateBadge(deps, req.principal, refOf(req.params), req.params.badgeSlug ?? '', req.body),
      ),
    }));
    bk(app, 'DELETE', one, 'Delete a badge', async (req) => ({
      status: 'deleted',
      badge: badgeJson(await deleteBadge(deps, req.principal, refOf(req.params), req.params.badgeSlug ?? '')),
    }));
  }
}
