import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../deps.ts';
import * as badges from '../../modules/badges/index.ts';
import { bk, listBody, NESTINGS, pageOf, refOf } from './badgekit.http.ts';
import {
  applicationJson,
  badgeJson,
  claimCodeJson,
  instanceJson,
  milestoneJson,
  reviewJson,
} from './badgekit.wire.ts';

/** Claim codes, instances (awards), applications, reviews and milestones. */
export async function badgekitAwardRoutes(
  app: FastifyInstance,
  { deps }: { deps: Deps & badges.WebhookDeps },
) {
  const url = (slug: string) => badges.assertionUrl(deps, slug);
  const p = (params: Record<string, string>, k: string) => params[k] ?? '';

  for (const ctx of NESTINGS) {
    const B = `${ctx}/badges/:badgeSlug`;
    // Claim codes
    bk(app, 'GET', `${B}/codes`, 'List claim codes', async (req) => {
      const page = pageOf(req.query);
      const r = await badges.listCodes(
        deps,
        req.principal,
        refOf(req.params),
        p(req.params, 'badgeSlug'),
        page,
      );
      return listBody('claimCodes', r.items.map(claimCodeJson), r.total, page, { badge: badgeJson(r.badge) });
    });
    for (const random of [false, true]) {
      bk(
        app,
        'POST',
        random ? `${B}/codes/random` : `${B}/codes`,
        random ? 'Create a random claim code' : 'Create a claim code',
        async (req) => {
          const r = await badges.createCode(
            deps,
            req.principal,
            refOf(req.params),
            p(req.params, 'badgeSlug'),
            req.body,
            random,
          );
          const { email, ...code } = claimCodeJson(r.row);
          return {
            status: 'created',
            claimCode: email === null ? code : { ...code, email },
            badge: badgeJson(r.badge),
          };
        },
        201,
      );
    }
    bk(app, 'GET', `${B}/codes/:code`, 'A claim code', async (req) => {
      const r = await badges.getCode(
        deps,
        req.principal,
        refOf(req.params),
        p(req.params, 'badgeSlug'),
        p(req.params, 'code'),
      );
      return { badge: badgeJson(r.badge), claimCode: claimCodeJson(r.row) };
    });
    bk(app, 'DELETE', `${B}/codes/:code`, 'Delete a claim code', async (req) => {
      const r = await badges.deleteCode(
        deps,
        req.principal,
        refOf(req.params),
        p(req.params, 'badgeSlug'),
        p(req.params, 'code'),
      );
      return { status: 'deleted', claimCode: claimCodeJson(r.row), badge: badgeJson(r.badge) };
    });
    bk(app, 'POST', `${B}/codes/:code/claim`, 'Claim a code (does not award)', async (req) => {
      const r = await badges.claimCode(
        deps,
        req.principal,
        refOf(req.params),
        p(req.params, 'badgeSlug'),
        p(req.params, 'code'),
        req.body,
      );
      return { status: 'updated', claimCode: claimCodeJson(r.row), badge: badgeJson(r.badge) };
    });
    bk(app, 'GET', `${ctx}/codes/:code`, 'The badge a claim code belongs to', async (req) => {
      const r = await badges.badgeForCode(deps, req.principal, refOf(req.params), p(req.params, 'code'));
      return { badge: { ...badgeJson(r.badge), claimed: r.claimed ? 1 : 0 } };
    });

    // Instances
    bk(
      app,
      'POST',
      `${B}/instances`,
      'Award a badge to an email',
      async (req, reply) => {
        const row = await badges.createInstance(
          deps,
          req.principal,
          refOf(req.params),
          p(req.params, 'badgeSlug'),
          req.body,
        );
        reply.header('location', `/public/assertions/${row.slug}`);
        return { status: 'created', instance: instanceJson(row, url(row.slug), null, false) };
      },
      201,
    );
    bk(
      app,
      'POST',
      `${B}/instances/bulk`,
      'Award a badge to many emails (repeats skipped)',
      async (req) => {
        const rows = await badges.createInstances(
          deps,
          req.principal,
          refOf(req.params),
          p(req.params, 'badgeSlug'),
          req.body,
        );
        return {
          status: 'created',
          instances: rows.map((row) => instanceJson(row, url(row.slug), null, false)),
        };
      },
      201,
    );
    bk(app, 'GET', `${B}/instances`, 'List awards of a badge', async (req) => {
      const page = pageOf(req.query);
      const r = await badges.listInstances(
        deps,
        req.principal,
        refOf(req.params),
        p(req.params, 'badgeSlug'),
        page,
      );
      return listBody(
        'instances',
        r.items.map((i) => instanceJson(i.row, url(i.row.slug), i.badge)),
        r.total,
        page,
      );
    });
    bk(app, 'GET', `${B}/instances/:email`, "A learner's award of a badge", async (req) => {
      const r = await badges.getInstance(
        deps,
        req.principal,
        refOf(req.params),
        p(req.params, 'badgeSlug'),
        p(req.params, 'email'),
      );
      return { instance: instanceJson(r.row, url(r.row.slug), r.badge) };
    });
    bk(app, 'DELETE', `${B}/instances/:email`, 'Revoke an award', async (req) => {
      const r = await badges.revokeInstance(
        deps,
        req.principal,
        refOf(req.params),
        p(req.params, 'badgeSlug'),
        p(req.params, 'email'),
      );
      return { instance: instanceJson(r.row, url(r.row.slug), r.badge) };
    });
    bk(app, 'GET', `${ctx}/instances/:email`, "A learner's awards in this context", async (req) => {
      const page = pageOf(req.query);
      const r = await badges.learnerInstances(
        deps,
        req.principal,
        refOf(req.params),
        p(req.params, 'email'),
        page,
      );
      return listBody(
        'instances',
        r.items.map((i) => instanceJson(i.row, url(i.row.slug), i.badge)),
        r.total,
        page,
      );
    });

    // Applications and reviews
    for (const scope of [ctx, B]) {
      bk(
        app,
        'GET',
        `${scope}/applications`,
        'List applications (?processed=, ?email=, paging)',
        async (req) => {
          const page = pageOf(req.query);
          const filter = { processed: badges.parseProcessed(req.query.processed), email: req.query.email };
          const badgeSlug = scope === B ? p(req.params, 'badgeSlug') : undefined;
          const r = await badges.listApplications(
            deps,
            req.principal,
            refOf(req.params),
            badgeSlug,
            filter,
            page,
          );
          return listBody(
            'applications',
            r.items.map((a) => applicationJson(a.row, a.badge, a.evidence)),
            r.total,
            page,
          );
        },
      );
    }
    const A = `${B}/applications/:applicationSlug`;
    const a = (params: Record<string, string>) =>
      [refOf(params), p(params, 'badgeSlug'), p(params, 'applicationSlug')] as const;
    bk(
      app,
      'POST',
      `${B}/applications`,
      'Apply for a badge',
      async (req) => {
        const v = await badges.createApplication(
          deps,
          req.principal,
          refOf(req.params),
          p(req.params, 'badgeSlug'),
          req.body,
        );
        return { status: 'created', application: applicationJson(v.row, v.badge, v.evidence) };
      },
      201,
    );
    bk(app, 'GET', A, 'An application', async (req) => {
      const v = await badges.getApplication(deps, req.principal, ...a(req.params));
      return { application: applicationJson(v.row, v.badge, v.evidence) };
    });
    bk(app, 'PUT', A, 'Update an application', async (req) => {
      const v = await badges.updateApplication(deps, req.principal, ...a(req.params), req.body);
      return { status: 'updated', application: applicationJson(v.row, v.badge, v.evidence) };
    });
    bk(app, 'DELETE', A, 'Delete an application', async (req) => {
      const v = await badges.deleteApplication(deps, req.principal, ...a(req.params));
      return { status: 'deleted', application: applicationJson(v.row, null, []) };
    });
    bk(app, 'GET', `${A}/reviews`, 'List reviews', async (req) => {
      const page = pageOf(req.query);
      const r = await badges.listReviews(deps, req.principal, ...a(req.params), page);
      return listBody(
        'reviews',
        r.items.map((v) => reviewJson(v.row, v.items)),
        r.total,
        page,
      );
    });
    bk(
      app,
      'POST',
      `${A}/reviews`,
      'Review an application (fires the review webhook)',
      async (req) => {
        const v = await badges.createReview(deps, req.principal, ...a(req.params), req.body);
        return { status: 'created', review: reviewJson(v.row, v.items) };
      },
      201,
    );
    const R = `${A}/reviews/:reviewSlug`;
    bk(app, 'GET', R, 'A review', async (req) => {
      const v = await badges.getReview(deps, req.principal, ...a(req.params), p(req.params, 'reviewSlug'));
      return { review: reviewJson(v.row, v.items) };
    });
    bk(app, 'PUT', R, 'Update a review (fires the review webhook)', async (req) => {
      const v = await badges.updateReview(
        deps,
        req.principal,
        ...a(req.params),
        p(req.params, 'reviewSlug'),
        req.body,
      );
      return { status: 'updated', review: reviewJson(v.row, v.items) };
    });
    // BadgeKit really answers a deleted review under the key `badge`.
    bk(app, 'DELETE', R, 'Delete a review', async (req) => {
      const v = await badges.deleteReview(deps, req.principal, ...a(req.params), p(req.params, 'reviewSlug'));
      return { status: 'deleted', badge: reviewJson(v.row, v.items) };
    });
  }

  // Milestones (system level only)
  const S = NESTINGS[0];
  bk(app, 'GET', `${S}/milestones`, 'List milestones', async (req) => {
    const page = pageOf(req.query);
    const r = await badges.listMilestones(deps, req.principal, refOf(req.params), page);
    return listBody('milestones', r.items.map(milestoneJson), r.total, page);
  });
  bk(
    app,
    'POST',
    `${S}/milestones`,
    'Create a milestone',
    async (req) => ({
      status: 'created',
      milestone: milestoneJson(
        await badges.createMilestone(deps, req.principal, p(req.params, 'systemSlug'), req.body),
      ),
    }),
    201,
  );
  const M = `${S}/milestones/:milestoneId`;
  bk(app, 'GET', M, 'A milestone', async (req) => ({
    milestone: milestoneJson(
      await badges.getMilestone(
        deps,
        req.principal,
        p(req.params, 'systemSlug'),
        p(req.params, 'milestoneId'),
      ),
    ),
  }));
  bk(app, 'PUT', M, 'Update a milestone', async (req) => ({
    status: 'updated',
    milestone: milestoneJson(
      await badges.updateMilestone(
        deps,
        req.principal,
        p(req.params, 'systemSlug'),
        p(req.params, 'milestoneId'),
        req.body,
      ),
    ),
  }));
  bk(app, 'DELETE', M, 'Delete a milestone', async (req) => {
    await badges.deleteMilestone(
      deps,
      req.principal,
      p(req.params, 'systemSlug'),
      p(req.params, 'milestoneId'),
    );
    return { status: 'deleted' };
  });
  for (const [action, add] of [
    ['add-badge', true],
    ['remove-badge', false],
  ] as const) {
    bk(
      app,
      'POST',
      `${M}/${action}`,
      `${add ? 'Add a support badge to' : 'Remove a support badge from'} a milestone`,
      async (req) => ({
        status: 'updated',
        milestone: milestoneJson(
          await badges.changeSupport(
            deps,
            req.principal,
            p(req.params, 'systemSlug'),
            p(req.params, 'milestoneId'),
            req.body,
            add,
          ),
        ),
      }),
    );
  }
}
