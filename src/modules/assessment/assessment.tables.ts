import { sql } from 'drizzle-orm';
import {
  boolean,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  real,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import type { Criterion, Weights } from './assessment.grades.ts';

const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const bytea = customType<{ data: Buffer }>({ dataType: () => 'bytea' });
export type Scores = Record<string, number>;

/**
 * Peer-assessment activities in a course. The id is an integer identity (never reused), which is also the
 * peerScholar dialect's activity id.
 */
export const assessmentActivities = pgTable(
  'assessment_activities',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    courseId: uuid('course_id').notNull(),
    title: text('title').notNull(),
    nickname: text('nickname').notNull().default(''),
    description: text('description').notNull().default(''),
    instructions: text('instructions').notNull().default(''),
    /** Standard | Case | Group */
    type: text('type').notNull().default('Standard'),
    visible: boolean('visible').notNull().default(true),
    rubric: jsonb('rubric').$type<Criterion[]>().notNull(),
    weights: jsonb('weights').$type<Weights>().notNull(),
    /** Case activities: the prompts, one given to each student or group. */
    prompts: jsonb('prompts').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    reviewersPerSubmission: integer('reviewers_per_submission').notNull().default(3),
    /** double (default): reviewers and authors anonymous to each other; reviewers: only reviewers; none. */
    anonymity: text('anonymity').notNull().default('double'),
    selfAssessCreate: boolean('self_assess_create').notNull().default(false),
    selfAssessReflect: boolean('self_assess_reflect').notNull().default(false),
    /** Submissions after Create closed are accepted (marked late) while Assess is open. */
    allowLate: boolean('allow_late').notNull().default(false),
    allocationSeed: text('allocation_seed').notNull(),
    allocatedAt: at('allocated_at'),
    createdBy: uuid('created_by'),
    createdAt: at('created_at').notNull(),
    updatedAt: at('updated_at').notNull(),
  },
  (t) => [index('assessment_activities_course_idx').on(t.courseId, t.id)],
);

/** The phases Create → Assess → Reflect: scheduled (times) or manual; opened/closed are set when it happens. */
export const assessmentSchedules = pgTable(
  'assessment_schedules',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    activityId: integer('activity_id')
      .notNull()
      .references(() => assessmentActivities.id, { onDelete: 'cascade' }),
    phase: text('phase').notNull(),
    manual: boolean('manual').notNull().default(false),
    startsAt: at('starts_at'),
    endsAt: at('ends_at'),
    order: integer('order').notNull(),
    enabled: boolean('enabled').notNull().default(true),
    openedAt: at('opened_at'),
    closedAt: at('closed_at'),
  },
  (t) => [uniqueIndex('assessment_schedules_phase_idx').on(t.activityId, t.phase)],
);

/** Groups of course members, kept per activity (a person is in at most one group of an activity). */
export const assessmentGroups = pgTable(
  'assessment_groups',
  {
    id: uuid('id').primaryKey(),
    activityId: integer('activity_id')
      .notNull()
      .references(() => assessmentActivities.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
  },
  (t) => [uniqueIndex('assessment_groups_name_idx').on(t.activityId, t.name)],
);

export const assessmentGroupMembers = pgTable(
  'assessment_group_members',
  {
    activityId: integer('activity_id')
      .notNull()
      .references(() => assessmentActivities.id, { onDelete: 'cascade' }),
    userId: uuid('user_id').notNull(),
    groupId: uuid('group_id')
      .notNull()
      .references(() => assessmentGroups.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.activityId, t.userId] })],
);

/**
 * One piece of work per student (or group) and activity: the Create text and, beside it, the revision from
 * Reflect. `author_key` is the user id or `group:<id>`, so the unique index covers both kinds.
 */
export const assessmentSubmissions = pgTable(
  'assessment_submissions',
  {
    id: uuid('id').primaryKey(),
    activityId: integer('activity_id')
      .notNull()
      .references(() => assessmentActivities.id, { onDelete: 'cascade' }),
    authorKey: text('author_key').notNull(),
    userId: uuid('user_id').notNull(),
    groupId: uuid('group_id'),
    prompt: text('prompt'),
    contentCreate: text('content_create').notNull().default(''),
    contentRevise: text('content_revise'),
    selfCreate: jsonb('self_create').$type<Scores>(),
    selfReflect: jsonb('self_reflect').$type<Scores>(),
    /** draft | submitted */
    status: text('status').notNull().default('draft'),
    late: boolean('late').notNull().default(false),
    withdrawn: boolean('withdrawn').notNull().default(false),
    submittedAt: at('submitted_at'),
    revisedAt: at('revised_at'),
    updatedAt: at('updated_at').notNull(),
  },
  (t) => [uniqueIndex('assessment_submissions_author_idx').on(t.activityId, t.authorKey)],
);

/** Files attached to a submission, in the database so that any web process can serve them. */
export const assessmentFiles = pgTable(
  'assessment_files',
  {
    id: uuid('id').primaryKey(),
    submissionId: uuid('submission_id')
      .notNull()
      .references(() => assessmentSubmissions.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    contentType: text('content_type').notNull(),
    size: integer('size').notNull(),
    data: bytea('data').notNull(),
    createdAt: at('created_at').notNull(),
  },
  (t) => [index('assessment_files_submission_idx').on(t.submissionId)],
);

/** Who reviews what, and the review itself (scores per criterion, comment, the author's helpfulness rating). */
export const assessmentReviews = pgTable(
  'assessment_reviews',
  {
    id: uuid('id').primaryKey(),
    activityId: integer('activity_id')
      .notNull()
      .references(() => assessmentActivities.id, { onDelete: 'cascade' }),
    submissionId: uuid('submission_id')
      .notNull()
      .references(() => assessmentSubmissions.id, { onDelete: 'cascade' }),
    reviewerId: uuid('reviewer_id').notNull(),
    scores: jsonb('scores').$type<Scores>().notNull().default(sql`'{}'::jsonb`),
    comment: text('comment').notNull().default(''),
    /** allocated | draft | submitted */
    status: text('status').notNull().default('allocated'),
    submittedAt: at('submitted_at'),
    helpfulness: integer('helpfulness'),
    ratedAt: at('rated_at'),
    createdAt: at('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('assessment_reviews_pair_idx').on(t.submissionId, t.reviewerId),
    index('assessment_reviews_reviewer_idx').on(t.activityId, t.reviewerId),
  ],
);

/**
 * Each student's grades, recomputed whenever an input changes (so reports read one row). The instructor's
 * grade and override are inputs; the rest is derived by assessment.grades.ts.
 */
export const assessmentGrades = pgTable(
  'assessment_grades',
  {
    activityId: integer('activity_id')
      .notNull()
      .references(() => assessmentActivities.id, { onDelete: 'cascade' }),
    userId: uuid('user_id').notNull(),
    peerMean: real('peer_mean'),
    peerMedian: real('peer_median'),
    peerMode: real('peer_mode'),
    selfCreate: real('self_create'),
    selfReflect: real('self_reflect'),
    assess: real('assess'),
    reflect: real('reflect'),
    instructor: real('instructor'),
    override: real('override'),
    overall: real('overall'),
    /**
     * The final grade's version: 0 until the activity closes, then raised each time the final grade changes
     * (an instructor's override after the close). Each version is published once (LTI score, graded event).
     */
    finalVersion: integer('final_version').notNull().default(0),
    /** The overall grade of the last final version (what the LMS gradebook was sent). */
    finalOverall: real('final_overall'),
    finalAt: at('final_at'),
    updatedAt: at('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.activityId, t.userId] })],
);

/**
 * The badge rule of an activity: when a student's final grade arrives, the badge (a badges-module badge, by
 * id) is awarded, on completion (`min_grade` null) or at/above `min_grade` (0-100). One rule per activity.
 */
export const assessmentBadgeRules = pgTable('assessment_badge_rules', {
  activityId: integer('activity_id')
    .primaryKey()
    .references(() => assessmentActivities.id, { onDelete: 'cascade' }),
  badgeId: integer('badge_id').notNull(),
  minGrade: real('min_grade'),
  setBy: text('set_by').notNull(),
  updatedAt: at('updated_at').notNull(),
});

/**
 * One row per (activity, student) whose rule badge was awarded: the claim that makes the award happen once,
 * whatever grade versions follow. Written in the award's transaction.
 */
export const assessmentBadgeAwards = pgTable(
  'assessment_badge_awards',
  {
    activityId: integer('activity_id')
      .notNull()
      .references(() => assessmentActivities.id, { onDelete: 'cascade' }),
    userId: uuid('user_id').notNull(),
    badgeId: integer('badge_id').notNull(),
    /** The assertion's id, or null when the student already held the badge from elsewhere. */
    assertionId: text('assertion_id'),
    eventId: text('event_id').notNull(),
    awardedAt: at('awarded_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.activityId, t.userId] })],
);
