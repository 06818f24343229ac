import type { JobHelpers } from 'graphile-worker';
import type { Executor } from '../../db/client.ts';
import type { Deps } from '../../deps.ts';
import { enqueue } from '../../jobs/enqueue.ts';
import {
  countAttempt,
  findDelivery,
  findLink,
  insertDelivery,
  linksWithAccount,
  setLinkLineItem,
  updateDelivery,
} from './lti.ags.repository.ts';
import { findContextById, findPlatform, type PlatformRow, type ResourceLinkRow } from './lti.repository.ts';
import { SCOPES, ServiceError, scoresUrl, serviceCall } from './lti.services.ts';

export const PUBLISH_SCORE = 'lti.publish_score';
const MAX_ATTEMPTS = 10;

export type ActivityProgress = 'Initialized' | 'Started' | 'InProgress' | 'Submitted' | 'Completed';
export type GradingProgress = 'FullyGraded' | 'Pending' | 'PendingManual' | 'Failed' | 'NotReady';

export interface ScoreInput {
  /** What was graded: a course (completion) or an activity (`ref` as registered by its resolver). */
  readonly target: { readonly kind: 'course' | 'activity'; readonly ref: string };
  readonly userId: string;
  readonly scoreGiven?: number;
  readonly scoreMaximum: number;
  readonly activityProgress: ActivityProgress;
  readonly gradingProgress: GradingProgress;
  /** When the grade changed; the platform ignores a score older than the one it has. */
  readonly timestamp: Date;
  readonly comment?: string;
}

/**
 * Queues a score for every LMS resource link that leads to the target and knows the person (AGS 2.0). Call it
 * inside the transaction that changes the grade: the deliveries and their jobs commit with it. The same score
 * (link, person, timestamp) is recorded once, so a repeated call sends nothing twice. Returns how many were queued.
 */
export async function publishScore(
  deps: Pick<Deps, 'db' | 'ids' | 'clock'>,
  input: ScoreInput,
  db: Executor = deps.db,
) {
  const links = await linksWithAccount(db, input.target.kind, input.target.ref, input.userId);
  let queued = 0;
  for (const { link, sub } of links) {
    const score: Record<string, unknown> = {
      userId: sub,
      scoreMaximum: input.scoreMaximum,
      activityProgress: input.activityProgress,
      gradingProgress: input.gradingProgress,
      timestamp: input.timestamp.toISOString(),
    };
    if (input.scoreGiven !== undefined) score.scoreGiven = input.scoreGiven;
    if (input.comment !== undefined) score.comment = input.comment.slice(0, 1000);
    const row = await insertDelivery(db, {
      id: deps.ids.uuid(),
      platformId: link.platformId,
      resourceLinkRowId: link.id,
      lineItemUrl: link.lineItemUrl,
      userId: input.userId,
      sub,
      score,
      scoreTimestamp: input.timestamp,
      status: 'pending',
      createdAt: deps.clock.now(),
    });
    if (!row) continue;
    await enqueue(
      db,
      PUBLISH_SCORE,
      { id: row.id },
      { jobKey: `${PUBLISH_SCORE}:${row.id}`, maxAttempts: MAX_ATTEMPTS },
    );
    queued++;
  }
  return queued;
}

function withParam(url: string, name: string, value: string): string {
  const u = new URL(url);
  u.searchParams.set(name, value);
  return u.toString();
}

/** The link's line item: the one the platform already has for this resource link, or a new one. */
async function ensureLineItem(deps: Deps, platform: PlatformRow, link: ResourceLinkRow): Promise<string> {
  const context = await findContextById(deps.db, link.contextRowId);
  if (!context?.lineItemsUrl)
    throw new ServiceError(
      `resource link ${link.resourceLinkId} has no line item and its context no lineitems URL`,
      undefined,
      false,
    );
  const scopes = [SCOPES.lineItem];
  const listed = await serviceCall(
    deps,
    platform,
    scopes,
    withParam(context.lineItemsUrl, 'resource_link_id', link.resourceLinkId),
    {
      method: 'GET',
      headers: { accept: 'application/vnd.ims.lis.v2.lineitemcontainer+json' },
    },
  );
  const items = (await listed.json().catch(() => [])) as { id?: unknown }[];
  let id = Array.isArray(items) ? items.find((i) => typeof i.id === 'string')?.id : undefined;
  if (typeof id !== 'string') {
    const created = await serviceCall(deps, platform, scopes, context.lineItemsUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/vnd.ims.lis.v2.lineitem+json',
        accept: 'application/vnd.ims.lis.v2.lineitem+json',
      },
      body: JSON.stringify({
        scoreMaximum: 100,
        label: link.title ?? 'Learnhub',
        resourceLinkId: link.resourceLinkId,
        resourceId: link.targetRef,
      }),
    });
    id = ((await created.json().catch(() => ({}))) as { id?: unknown }).id;
  }
  if (typeof id !== 'string')
    throw new ServiceError('the platform returned a line item without id', undefined, true);
  await setLinkLineItem(deps.db, link.id, id);
  return id;
}

/** The job: POST the score to `<lineitem>/scores`; 4xx (but 401/429) is final, anything else is retried. */
export async function deliverScore(deps: Deps, id: string, helpers?: Pick<JobHelpers, 'job'>): Promise<void> {
  const delivery = await findDelivery(deps.db, id);
  if (delivery?.status !== 'pending') return;
  const platform = await findPlatform(deps.db, delivery.platformId);
  const link = await findLink(deps.db, delivery.resourceLinkRowId);
  if (!platform || !link) return;
  await countAttempt(deps.db, id);
  try {
    const lineItem = delivery.lineItemUrl ?? link.lineItemUrl ?? (await ensureLineItem(deps, platform, link));
    const res = await serviceCall(deps, platform, [SCOPES.score], scoresUrl(lineItem), {
      method: 'POST',
      headers: { 'content-type': 'application/vnd.ims.lis.v1.score+json' },
      body: JSON.stringify(delivery.score),
    });
    await updateDelivery(deps.db, id, {
      status: 'delivered',
      lineItemUrl: lineItem,
      lastStatus: res.status,
      lastError: null,
      deliveredAt: deps.clock.now(),
    });
  } catch (error) {
    const service = error instanceof ServiceError ? error : undefined;
    const lastAttempt = helpers ? helpers.job.attempts >= helpers.job.max_attempts : false;
    const final = (service && !service.retry) || lastAttempt;
    await updateDelivery(deps.db, id, {
      lastStatus: service?.status ?? null,
      lastError: (error instanceof Error ? error.message : String(error)).slice(0, 500),
      ...(final ? { status: 'failed' as const } : {}),
    });
    deps.logger.warn(
      { lti: { delivery: id, platform: platform.id, status: service?.status } },
      `LTI score delivery failed: ${String(error)}`,
    );
    if (!final) throw error;
  }
}

export function registerScoreJobs(deps: Deps): void {
  deps.jobs.register<{ id: string }>(PUBLISH_SCORE, (payload, helpers) =>
    deliverScore(deps, payload.id, helpers),
  );
  // A completed course is a full score on the links that lead to the course.
  deps.domainEvents.subscribe('lti.course_completed', ['course.completed'], async (event) => {
    const payload = event.payload as { course?: { id?: string }; user?: { id?: string } };
    if (!payload.course?.id || !payload.user?.id) return;
    await publishScore(deps, {
      target: { kind: 'course', ref: payload.course.id },
      userId: payload.user.id,
      scoreGiven: 100,
      scoreMaximum: 100,
      activityProgress: 'Completed',
      gradingProgress: 'FullyGraded',
      timestamp: event.occurredAt,
    });
  });
}
