import type { FastifyInstance } from 'fastify';
import type { Static } from 'typebox';
import { Type } from 'typebox';
import type { Deps } from '../../deps.ts';
import { type BadgeRuleView, clearBadgeRule, getBadgeRule, setBadgeRule } from './assessment.badges.ts';
import { BadgeRule, BadgeRuleBody, IdParams } from './assessment.schemas.ts';

const config = { principals: ['user', 'app_user', 'operator'] as const };
const security: Record<string, string[]>[] = [{ bearer: [] }, { session: [] }];
const tags = ['assessment'];
const path = '/api/v1/assessment/activities/:id/badge-rule';

export function badgeRuleJson(r: BadgeRuleView): Static<typeof BadgeRule> {
  return {
    activity_id: r.activityId,
    badge_id: String(r.badgeId),
    badge: r.badge?.slug ?? null,
    badge_name: r.badge?.name ?? null,
    min_grade: r.minGrade,
    rule: r.minGrade === null ? 'completion' : 'threshold',
    updated_at: r.updatedAt.toISOString(),
  };
}

/** The badge rule of an activity in the native API (instructors; the badge must be one they may award). */
export async function badgeRuleRoutes(app: FastifyInstance, { deps }: { deps: Deps }) {
  app.get<{ Params: Static<typeof IdParams> }>(
    path,
    {
      schema: {
        tags,
        security,
        summary: "The activity's badge rule (204 when it has none)",
        params: IdParams,
        response: { 200: BadgeRule, 204: Type.Null() },
      },
      config,
    },
    async (request, reply) => {
      const rule = await getBadgeRule(deps, request.principal, request.params.id);
      return rule ? badgeRuleJson(rule) : reply.code(204).send();
    },
  );
  app.put<{ Params: Static<typeof IdParams>; Body: Static<typeof BadgeRuleBody> }>(
    path,
    {
      schema: {
        tags,
        security,
        summary: 'Award a badge on completing the activity (min_grade null) or at/above a final grade',
        params: IdParams,
        body: BadgeRuleBody,
        response: { 200: BadgeRule },
      },
      config,
    },
    async (request) =>
      badgeRuleJson(
        await setBadgeRule(deps, request.principal, request.params.id, {
          badgeId: request.body.badge_id,
          minGrade: request.body.min_grade,
        }),
      ),
  );
  app.delete<{ Params: Static<typeof IdParams> }>(
    path,
    {
      schema: {
        tags,
        security,
        summary: 'Remove the badge rule (awards made stay)',
        params: IdParams,
        response: { 204: Type.Null() },
      },
      config,
    },
    async (request, reply) => {
      await clearBadgeRule(deps, request.principal, request.params.id);
      return reply.code(204).send();
    },
  );
}
