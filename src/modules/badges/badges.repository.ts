import { and, asc, count, eq, inArray, type SQL, sql } from 'drizzle-orm';
import type pg from 'pg';
import type { Executor } from '../../db/client.ts';
import {
  badgeAlignments,
  badgeCategories,
  badgeCriteria,
  badgeImages,
  badgeIssuers,
  badgePrograms,
  badgeSystems,
  badges,
  badgeTags,
} from './badges.tables.ts';

export type SystemRow = typeof badgeSystems.$inferSelect;
export type IssuerRow = typeof badgeIssuers.$inferSelect;
export type ProgramRow = typeof badgePrograms.$inferSelect;
export type BadgeRow = typeof badges.$inferSelect;
export type ImageRow = typeof badgeImages.$inferSelect;

export interface Page {
  readonly page: number;
  readonly count: number;
}

export const containerTables = {
  system: badgeSystems,
  issuer: badgeIssuers,
  program: badgePrograms,
} as const;

// Containers ---------------------------------------------------------------------------------------------

export async function findSystem(db: Executor, slug: string) {
  const [row] = await db.select().from(badgeSystems).where(eq(badgeSystems.slug, slug)).limit(1);
  return row;
}
export async function findIssuer(db: Executor, systemId: number, slug: string) {
  const where = and(eq(badgeIssuers.systemId, systemId), eq(badgeIssuers.slug, slug));
  const [row] = await db.select().from(badgeIssuers).where(where).limit(1);
  return row;
}
export async function findProgram(db: Executor, issuerId: number, slug: string) {
  const where = and(eq(badgePrograms.issuerId, issuerId), eq(badgePrograms.slug, slug));
  const [row] = await db.select().from(badgePrograms).where(where).limit(1);
  return row;
}
export async function findSystemById(db: Executor, id: number) {
  const [row] = await db.select().from(badgeSystems).where(eq(badgeSystems.id, id)).limit(1);
  return row;
}
export async function findIssuerById(db: Executor, id: number) {
  const [row] = await db.select().from(badgeIssuers).where(eq(badgeIssuers.id, id)).limit(1);
  return row;
}
export async function findProgramById(db: Executor, id: number) {
  const [row] = await db.select().from(badgePrograms).where(eq(badgePrograms.id, id)).limit(1);
  return row;
}

export async function listSystems(db: Executor, page?: Page) {
  const q = db.select().from(badgeSystems).orderBy(asc(badgeSystems.id)).$dynamic();
  const rows = page ? await q.limit(page.count).offset((page.page - 1) * page.count) : await q;
  const total = page ? await countOf(db, badgeSystems) : rows.length;
  return { rows, total };
}
export async function listIssuers(db: Executor, systemIds: number[], page?: Page) {
  if (systemIds.length === 0) return { rows: [], total: 0 };
  const where = inArray(badgeIssuers.systemId, systemIds);
  const q = db.select().from(badgeIssuers).where(where).orderBy(asc(badgeIssuers.id)).$dynamic();
  const rows = page ? await q.limit(page.count).offset((page.page - 1) * page.count) : await q;
  const total = page ? await countOf(db, badgeIssuers, where) : rows.length;
  return { rows, total };
}
export async function listPrograms(db: Executor, issuerIds: number[], page?: Page) {
  if (issuerIds.length === 0) return { rows: [], total: 0 };
  const where = inArray(badgePrograms.issuerId, issuerIds);
  const q = db.select().from(badgePrograms).where(where).orderBy(asc(badgePrograms.id)).$dynamic();
  const rows = page ? await q.limit(page.count).offset((page.page - 1) * page.count) : await q;
  const total = page ? await countOf(db, badgePrograms, where) : rows.length;
  return { rows, total };
}

type Countable = typeof badgeSystems | typeof badgeIssuers | typeof badgePrograms | typeof badges;
async function countOf(db: Executor, table: Countable, where?: SQL) {
  const [row] = await db.select({ n: count() }).from(table).where(where);
  return row?.n ?? 0;
}

export async function insertSystem(db: Executor, row: typeof badgeSystems.$inferInsert) {
  const [inserted] = await db.insert(badgeSystems).values(row).returning();
  if (!inserted) throw new Error('insert returned no row');
  return inserted;
}
export async function insertIssuer(db: Executor, row: typeof badgeIssuers.$inferInsert) {
  const [inserted] = await db.insert(badgeIssuers).values(row).returning();
  if (!inserted) throw new Error('insert returned no row');
  return inserted;
}
export async function insertProgram(db: Executor, row: typeof badgePrograms.$inferInsert) {
  const [inserted] = await db.insert(badgePrograms).values(row).returning();
  if (!inserted) throw new Error('insert returned no row');
  return inserted;
}
export async function updateSystem(db: Executor, id: number, set: Partial<typeof badgeSystems.$inferInsert>) {
  const [row] = await db.update(badgeSystems).set(set).where(eq(badgeSystems.id, id)).returning();
  return row;
}
export async function updateIssuer(db: Executor, id: number, set: Partial<typeof badgeIssuers.$inferInsert>) {
  const [row] = await db.update(badgeIssuers).set(set).where(eq(badgeIssuers.id, id)).returning();
  return row;
}
export async function updateProgram(
  db: Executor,
  id: number,
  set: Partial<typeof badgePrograms.$inferInsert>,
) {
  const [row] = await db.update(badgePrograms).set(set).where(eq(badgePrograms.id, id)).returning();
  return row;
}
export async function deleteContainer(db: Executor, kind: keyof typeof containerTables, id: number) {
  const table = containerTables[kind];
  await db.delete(table).where(eq(table.id, id));
}

// Images ------------------------------------------------------------------------------------------------

export async function insertImage(db: Executor, row: typeof badgeImages.$inferInsert) {
  const [inserted] = await db.insert(badgeImages).values(row).returning();
  if (!inserted) throw new Error('insert returned no row');
  return inserted;
}
export async function findImageBySlug(db: Executor, slug: string) {
  const [row] = await db.select().from(badgeImages).where(eq(badgeImages.slug, slug)).limit(1);
  return row;
}
export async function findImageById(db: Executor, id: number) {
  const [row] = await db.select().from(badgeImages).where(eq(badgeImages.id, id)).limit(1);
  return row;
}
export async function findImagesByIds(db: Executor, ids: number[]) {
  if (ids.length === 0) return [];
  return db
    .select({ id: badgeImages.id, slug: badgeImages.slug, url: badgeImages.url })
    .from(badgeImages)
    .where(inArray(badgeImages.id, ids));
}

// Badges ------------------------------------------------------------------------------------------------

export interface CriterionRow {
  id: number;
  description: string;
  required: boolean;
  note: string;
}
export interface AlignmentRow {
  id: number;
  name: string;
  url: string;
  description: string | null;
}
export interface BadgeWithRelations extends BadgeRow {
  imageSlug: string | null;
  imageUrl: string | null;
  criteria: CriterionRow[];
  alignments: AlignmentRow[];
  categories: string[];
  tags: { id: number; value: string }[];
}

// One round trip per list: the child rows come back as JSON aggregates of correlated subqueries.
const relations = {
  imageSlug: sql<string | null>`(select slug from badge_images i where i.id = "badges"."image_id")`,
  imageUrl: sql<string | null>`(select url from badge_images i where i.id = "badges"."image_id")`,
  criteria: sql<
    CriterionRow[]
  >`(select coalesce(json_agg(json_build_object('id', c.id, 'description', c.description,
    'required', c.required, 'note', c.note) order by c.id), '[]') from badge_criteria c where c.badge_id = "badges"."id")`,
  alignments: sql<AlignmentRow[]>`(select coalesce(json_agg(json_build_object('id', a.id, 'name', a.name,
    'url', a.url, 'description', a.description) order by a.id), '[]') from badge_alignments a where a.badge_id = "badges"."id")`,
  categories: sql<string[]>`(select coalesce(json_agg(k.value order by k.id), '[]') from badge_categories k
    where k.badge_id = "badges"."id")`,
  tags: sql<
    { id: number; value: string }[]
  >`(select coalesce(json_agg(json_build_object('id', t.id, 'value', t.value)
    order by t.id), '[]') from badge_tags t where t.badge_id = "badges"."id")`,
};

export interface BadgeScope {
  readonly systemId: number;
  readonly issuerId?: number;
  readonly programId?: number;
}

export function badgeScopeWhere(scope: Partial<BadgeScope>): SQL {
  const where: SQL[] = [];
  if (scope.systemId !== undefined) where.push(eq(badges.systemId, scope.systemId));
  if (scope.issuerId !== undefined) where.push(eq(badges.issuerId, scope.issuerId));
  if (scope.programId !== undefined) where.push(eq(badges.programId, scope.programId));
  return and(...where) ?? sql`true`;
}

function scopeWhere(scope: BadgeScope): SQL[] {
  const where = [eq(badges.systemId, scope.systemId)];
  if (scope.issuerId !== undefined) where.push(eq(badges.issuerId, scope.issuerId));
  if (scope.programId !== undefined) where.push(eq(badges.programId, scope.programId));
  return where;
}

export async function listBadges(db: Executor, scope: BadgeScope, archived: boolean | 'any', page?: Page) {
  const conds = scopeWhere(scope);
  if (archived !== 'any') conds.push(eq(badges.archived, archived));
  const where = and(...conds);
  const q = db
    .select({ ...badgeColumns(), ...relations })
    .from(badges)
    .where(where)
    .orderBy(asc(badges.id))
    .$dynamic();
  const rows = page ? await q.limit(page.count).offset((page.page - 1) * page.count) : await q;
  const total = page ? await countOf(db, badges, where) : rows.length;
  return { rows: rows as BadgeWithRelations[], total };
}

export async function listAllBadges(db: Executor, archived: boolean | 'any') {
  const where = archived === 'any' ? undefined : eq(badges.archived, archived);
  return db.select().from(badges).where(where).orderBy(asc(badges.id));
}

export async function findBadge(db: Executor, scope: BadgeScope, slug: string) {
  const where = and(eq(badges.slug, slug), ...scopeWhere(scope));
  const [row] = await db
    .select({ ...badgeColumns(), ...relations })
    .from(badges)
    .where(where)
    .limit(1);
  return row as BadgeWithRelations | undefined;
}

export async function findBadgesByIds(db: Executor, ids: number[]) {
  if (ids.length === 0) return [];
  const rows = await db
    .select({ ...badgeColumns(), ...relations })
    .from(badges)
    .where(inArray(badges.id, ids))
    .orderBy(asc(badges.id));
  return rows as BadgeWithRelations[];
}

function badgeColumns() {
  const { ...columns } = badges;
  return {
    id: columns.id,
    slug: columns.slug,
    name: columns.name,
    strapline: columns.strapline,
    earnerDescription: columns.earnerDescription,
    consumerDescription: columns.consumerDescription,
    issuerUrl: columns.issuerUrl,
    rubricUrl: columns.rubricUrl,
    criteriaUrl: columns.criteriaUrl,
    timeValue: columns.timeValue,
    timeUnits: columns.timeUnits,
    limit: columns.limit,
    unique: columns.unique,
    archived: columns.archived,
    created: columns.created,
    imageId: columns.imageId,
    systemId: columns.systemId,
    issuerId: columns.issuerId,
    programId: columns.programId,
    type: columns.type,
    evidenceType: columns.evidenceType,
    ownerAppId: columns.ownerAppId,
  };
}

export async function insertBadge(db: Executor, row: typeof badges.$inferInsert) {
  const [inserted] = await db.insert(badges).values(row).returning();
  if (!inserted) throw new Error('insert returned no row');
  return inserted;
}
export async function updateBadge(db: Executor, id: number, set: Partial<typeof badges.$inferInsert>) {
  if (Object.keys(set).length > 0) await db.update(badges).set(set).where(eq(badges.id, id));
}
export async function deleteBadge(db: Executor, id: number) {
  await db.delete(badges).where(eq(badges.id, id));
}
export async function findBadgeById(db: Executor, id: number) {
  const [row] = await db.select().from(badges).where(eq(badges.id, id)).limit(1);
  return row;
}

export interface BadgeChildren {
  criteria?: { description: string; required: boolean; note: string }[];
  alignments?: { name: string; url: string; description: string | null }[];
  categories?: string[];
  tags?: string[];
}

/** Replaces a badge's criteria, alignments, categories and tags (BadgeKit's PUT semantics). */
export async function replaceChildren(db: Executor, badgeId: number, c: BadgeChildren) {
  await db.delete(badgeCriteria).where(eq(badgeCriteria.badgeId, badgeId));
  await db.delete(badgeAlignments).where(eq(badgeAlignments.badgeId, badgeId));
  await db.delete(badgeCategories).where(eq(badgeCategories.badgeId, badgeId));
  await db.delete(badgeTags).where(eq(badgeTags.badgeId, badgeId));
  if (c.criteria?.length) await db.insert(badgeCriteria).values(c.criteria.map((x) => ({ ...x, badgeId })));
  if (c.alignments?.length)
    await db.insert(badgeAlignments).values(c.alignments.map((x) => ({ ...x, badgeId })));
  if (c.categories?.length)
    await db.insert(badgeCategories).values(c.categories.map((value) => ({ value, badgeId })));
  if (c.tags?.length) await db.insert(badgeTags).values(c.tags.map((value) => ({ value, badgeId })));
}

export async function issuersOf(db: Executor, ids: number[]) {
  if (ids.length === 0) return [];
  return db.select().from(badgeIssuers).where(inArray(badgeIssuers.id, ids));
}
export async function programsOf(db: Executor, ids: number[]) {
  if (ids.length === 0) return [];
  return db.select().from(badgePrograms).where(inArray(badgePrograms.id, ids));
}

export async function findBadgeBySlug(db: Executor, slug: string) {
  const [row] = await db
    .select({ ...badgeColumns(), ...relations })
    .from(badges)
    .where(eq(badges.slug, slug))
    .limit(1);
  return row as BadgeWithRelations | undefined;
}

export async function listBadgesAfter(db: Executor, afterId: number, limit: number) {
  const rows = await db
    .select({ ...badgeColumns(), ...relations })
    .from(badges)
    .where(and(eq(badges.archived, false), sql`"badges"."id" > ${afterId}`))
    .orderBy(asc(badges.id))
    .limit(limit);
  return rows as BadgeWithRelations[];
}

/** Invalidates every cached badge list of a system (the BadgeKit dialect's list cache, badgekit.listcache.ts). */
export async function bumpListVersion(db: Executor, systemId: number) {
  await db
    .update(badgeSystems)
    .set({ listVersion: sql`${badgeSystems.listVersion} + 1` })
    .where(eq(badgeSystems.id, systemId));
}

export interface ListKeyRow {
  readonly system_id: number;
  readonly list_version: number;
  readonly issuer_id: number | null;
  readonly program_id: number | null;
}

// The list hot path's only query: one named prepared statement resolving a nesting's slugs to ids, plus the
// system's list version. A missing issuer or program comes back as a null id (the caller names the 404).
const LIST_KEY = {
  name: 'badges_list_key',
  text: `select s.id as system_id, s.list_version, i.id as issuer_id, p.id as program_id
    from badge_systems s
    left join badge_issuers i on i.system_id = s.id and i.slug = $2
    left join badge_programs p on p.issuer_id = i.id and p.slug = $3
    where s.slug = $1`,
};

export async function findListKey(pool: pg.Pool, system: string, issuer?: string, program?: string) {
  const { rows } = await pool.query<ListKeyRow>({
    ...LIST_KEY,
    values: [system, issuer ?? null, program ?? null],
  });
  return rows[0];
}
