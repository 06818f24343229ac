import { and, asc, count, eq, inArray, isNotNull, isNull, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import type { Page } from './badges.repository.ts';
import {
  badgeApplications,
  type badgeClaimCodes,
  badgeEvidence,
  type badgeInstances,
  type badgeMilestones,
  badgeReviewItems,
  badgeReviews,
} from './badges.tables.ts';

export type ApplicationRow = typeof badgeApplications.$inferSelect;
export type EvidenceRow = typeof badgeEvidence.$inferSelect;
export type ReviewRow = typeof badgeReviews.$inferSelect;
export type ReviewItemRow = typeof badgeReviewItems.$inferSelect;

/** Shared by the badges repositories: BadgeKit's page/count paging and the total it reports. */
export const paged = async <T>(
  q: { limit(n: number): { offset(n: number): Promise<T[]> } } & Promise<T[]>,
  page?: Page,
) => (page ? q.limit(page.count).offset((page.page - 1) * page.count) : q);

export async function total(
  db: Executor,
  table: Parameters<Executor['select']> extends never
    ? never
    :
        | typeof badgeClaimCodes
        | typeof badgeInstances
        | typeof badgeApplications
        | typeof badgeReviews
        | typeof badgeMilestones,
  where: SQL | undefined,
) {
  const [row] = await db.select({ n: count() }).from(table).where(where);
  return row?.n ?? 0;
}

// Applications, evidence, reviews

export interface ApplicationFilter {
  /** One badge's applications, or else those of a system narrowed to an issuer and/or program. */
  readonly badgeId?: number | undefined;
  readonly systemId: number;
  readonly issuerId?: number | undefined;
  readonly programId?: number | undefined;
  readonly processed: boolean | 'any';
  readonly email?: string | undefined;
}

export function applicationsWhere(filter: ApplicationFilter): SQL | undefined {
  const t = badgeApplications;
  const conds: SQL[] = [];
  if (filter.badgeId !== undefined) conds.push(eq(t.badgeId, filter.badgeId));
  else {
    conds.push(eq(t.systemId, filter.systemId));
    if (filter.issuerId !== undefined) conds.push(eq(t.issuerId, filter.issuerId));
    if (filter.programId !== undefined) conds.push(eq(t.programId, filter.programId));
  }
  if (filter.processed !== 'any') conds.push(filter.processed ? isNotNull(t.processed) : isNull(t.processed));
  if (filter.email !== undefined) conds.push(eq(t.learner, filter.email.toLowerCase()));
  return and(...conds);
}

export async function listApplications(db: Executor, where: SQL | undefined, page?: Page) {
  const rows = await paged(
    db
      .select()
      .from(badgeApplications)
      .where(where)
      .orderBy(asc(badgeApplications.badgeId), asc(badgeApplications.created), asc(badgeApplications.id))
      .$dynamic(),
    page,
  );
  return { rows, total: page ? await total(db, badgeApplications, where) : rows.length };
}
export const app = badgeApplications;
export async function findApplication(db: Executor, badgeId: number, slug: string) {
  const [r] = await db
    .select()
    .from(badgeApplications)
    .where(and(eq(badgeApplications.badgeId, badgeId), eq(badgeApplications.slug, slug)))
    .limit(1);
  return r;
}
export async function insertApplication(db: Executor, row: typeof badgeApplications.$inferInsert) {
  const [r] = await db.insert(badgeApplications).values(row).returning();
  if (!r) throw new Error('insert returned no row');
  return r;
}
export async function updateApplication(
  db: Executor,
  id: number,
  set: Partial<typeof badgeApplications.$inferInsert>,
) {
  const [r] = await db.update(badgeApplications).set(set).where(eq(badgeApplications.id, id)).returning();
  return r;
}
export async function deleteApplication(db: Executor, id: number) {
  await db.delete(badgeApplications).where(eq(badgeApplications.id, id));
}
export async function evidenceOf(db: Executor, applicationIds: number[]) {
  if (applicationIds.length === 0) return [];
  return db
    .select()
    .from(badgeEvidence)
    .where(inArray(badgeEvidence.applicationId, applicationIds))
    .orderBy(asc(badgeEvidence.id));
}
export async function replaceEvidence(
  db: Executor,
  applicationId: number,
  items: Omit<typeof badgeEvidence.$inferInsert, 'applicationId'>[],
) {
  await db.delete(badgeEvidence).where(eq(badgeEvidence.applicationId, applicationId));
  if (items.length) await db.insert(badgeEvidence).values(items.map((i) => ({ ...i, applicationId })));
}
export async function listReviews(db: Executor, applicationId: number, page?: Page) {
  const where = eq(badgeReviews.applicationId, applicationId);
  const rows = await paged(
    db.select().from(badgeReviews).where(where).orderBy(asc(badgeReviews.id)).$dynamic(),
    page,
  );
  return { rows, total: page ? await total(db, badgeReviews, where) : rows.length };
}
export async function findReview(db: Executor, applicationId: number, slug: string) {
  const [r] = await db
    .select()
    .from(badgeReviews)
    .where(and(eq(badgeReviews.applicationId, applicationId), eq(badgeReviews.slug, slug)))
    .limit(1);
  return r;
}
export async function insertReview(db: Executor, row: typeof badgeReviews.$inferInsert) {
  const [r] = await db.insert(badgeReviews).values(row).returning();
  if (!r) throw new Error('insert returned no row');
  return r;
}
export async function updateReview(db: Executor, id: number, set: Partial<typeof badgeReviews.$inferInsert>) {
  const [r] = await db.update(badgeReviews).set(set).where(eq(badgeReviews.id, id)).returning();
  return r;
}
export async function deleteReview(db: Executor, id: number) {
  await db.delete(badgeReviews).where(eq(badgeReviews.id, id));
}
export async function itemsOf(db: Executor, reviewIds: number[]) {
  if (reviewIds.length === 0) return [];
  return db
    .select()
    .from(badgeReviewItems)
    .where(inArray(badgeReviewItems.reviewId, reviewIds))
    .orderBy(asc(badgeReviewItems.id));
}
export async function replaceItems(
  db: Executor,
  reviewId: number,
  items: Omit<typeof badgeReviewItems.$inferInsert, 'reviewId'>[],
) {
  await db.delete(badgeReviewItems).where(eq(badgeReviewItems.reviewId, reviewId));
  if (items.length) await db.insert(badgeReviewItems).values(items.map((i) => ({ ...i, reviewId })));
}
