import type { Principal } from '../../http/principal.ts';
import { appendDomainEvent } from '../../jobs/domain-events.ts';
import { enqueue } from '../../jobs/enqueue.ts';
import { type ActivityAccess, accessActivity, type Ctx } from './assessment.access.ts';
import { allocateInTx } from './assessment.allocate.ts';
import { seededRandom } from './assessment.allocation.ts';
import { assessmentErrors } from './assessment.errors.ts';
import { courseFields, userRefs } from './assessment.events.ts';
import { checkFile, MAX_FILE_BYTES, MAX_FILES, MAX_SUBMISSION_BYTES } from './assessment.files.ts';
import { isOpen } from './assessment.phases.ts';
import { canSeeProgress, canTakePart } from './assessment.policies.ts';
import {
  fileStats,
  findFile,
  findSubmissionByAuthor,
  insertFile,
  listFiles,
  listGroupMembers,
  listReviewsBy,
  listSchedules,
  type SubmissionRow,
  saveSubmission,
  updateSubmission,
} from './assessment.repository.ts';
import { checkScores, checkText, sanitiseText } from './assessment.validation.ts';

export const RECOMPUTE_JOB = 'assessment.recompute';

/** Grades are recomputed by one job per activity; many changes at once coalesce into one run. */
export async function queueRecompute(tx: Parameters<typeof enqueue>[0], activityId: number): Promise<void> {
  await enqueue(tx, RECOMPUTE_JOB, { activityId }, { jobKey: `${RECOMPUTE_JOB}:${activityId}` });
}

/** The author key of the principal's work: their user id, or their group in a Group activity. */
export async function authorKeyOf(deps: Ctx, access: ActivityAccess): Promise<string> {
  const userId = access.userId;
  if (!userId || !canTakePart(access.role, access.activity.visible)) throw assessmentErrors.notStudent();
  if (access.activity.type !== 'Group') return userId;
  const group = (await listGroupMembers(deps.db, access.activity.id)).find((g) => g.userId === userId);
  if (!group) throw assessmentErrors.notInGroup();
  return `group:${group.groupId}`;
}

/** Case activities give each author one prompt, chosen reproducibly from the activity's seed. */
function promptFor(prompts: readonly string[], seed: string, authorKey: string): string | null {
  if (prompts.length === 0) return null;
  return prompts[Math.floor(seededRandom(`${seed}:${authorKey}`)() * prompts.length)] ?? null;
}

export interface WorkInput {
  readonly content: string;
  /** false: save a draft (autosave); true: submit (final). */
  readonly submit: boolean;
  readonly selfScores?: Readonly<Record<string, unknown>> | undefined;
}

/**
 * Saves or submits the principal's work while Create is open (or, for activities that accept late work,
 * while Assess is open: marked late and allocated reviewers at once). Submitted work no longer changes.
 */
export async function saveWork(
  deps: Ctx,
  principal: Principal,
  activityId: number,
  input: WorkInput,
): Promise<SubmissionRow> {
  const access = await accessActivity(deps, principal, activityId);
  const { activity } = access;
  const authorKey = await authorKeyOf(deps, access);
  const schedules = await listSchedules(deps.db, [activity.id]);
  const late = !isOpen(schedules, 'Create');
  if (late && !(activity.allowLate && isOpen(schedules, 'Assess')))
    throw assessmentErrors.phaseClosed('Create');
  const existing = await findSubmissionByAuthor(deps.db, activity.id, authorKey);
  if (existing?.status === 'submitted') throw assessmentErrors.alreadySubmitted();
  const content = sanitiseText(checkText('content', input.content));
  if (input.submit && content.length === 0) throw assessmentErrors.invalid('content', 'must not be empty');
  const self =
    input.selfScores !== undefined
      ? checkScores(activity.rubric, input.selfScores, 'self_scores')
      : (existing?.selfCreate ?? null);
  if (input.submit && activity.selfAssessCreate && !self)
    throw assessmentErrors.invalid('self_scores', 'this activity asks for a self-assessment with your work');
  const now = deps.clock.now();
  const userId = access.userId ?? '';
  return deps.db.transaction(async (tx) => {
    const row = await saveSubmission(tx, {
      id: existing?.id ?? deps.ids.uuid(),
      activityId: activity.id,
      authorKey,
      userId,
      groupId: authorKey.startsWith('group:') ? authorKey.slice(6) : null,
      prompt: existing?.prompt ?? promptFor(activity.prompts, activity.allocationSeed, authorKey),
      contentCreate: content,
      selfCreate: self,
      status: input.submit ? 'submitted' : 'draft',
      late: input.submit && late,
      submittedAt: input.submit ? now : null,
      updatedAt: now,
    });
    const person = input.submit ? (await userRefs(deps, [userId])).get(userId) : undefined;
    if (person) {
      await appendDomainEvent(tx, deps, {
        type: 'assessment.submitted',
        subject: `user:${userId}`,
        payload: {
          ...courseFields(access.course),
          activity: { id: activity.id, title: activity.title },
          user: person,
          late: row.late,
        },
      });
    }
    if (input.submit) {
      if (activity.allocatedAt) await allocateInTx(tx, deps, activity.id, { late: true });
      await queueRecompute(tx, activity.id);
    }
    return row;
  });
}

/** The principal's own work (or their group's), with its files' names, or undefined before they start. */
export async function myWork(deps: Ctx, principal: Principal, activityId: number) {
  const access = await accessActivity(deps, principal, activityId);
  const authorKey = await authorKeyOf(deps, access);
  const submission = await findSubmissionByAuthor(deps.db, access.activity.id, authorKey);
  return submission ? { submission, files: await listFiles(deps.db, submission.id) } : undefined;
}

/** Attaches a file to a draft while Create is open: size, count and type limits, content checked. */
export async function addFile(
  deps: Ctx,
  principal: Principal,
  activityId: number,
  file: { name: string; contentType: string; data: Buffer },
): Promise<{ id: string; name: string; contentType: string; size: number }> {
  const access = await accessActivity(deps, principal, activityId);
  const authorKey = await authorKeyOf(deps, access);
  if (!isOpen(await listSchedules(deps.db, [access.activity.id]), 'Create'))
    throw assessmentErrors.phaseClosed('Create');
  if (file.data.length > MAX_FILE_BYTES) throw assessmentErrors.fileTooLarge(MAX_FILE_BYTES);
  const checked = checkFile(file.name, file.contentType, file.data);
  if ('reason' in checked) throw assessmentErrors.fileRejected(checked.reason);
  let submission = await findSubmissionByAuthor(deps.db, access.activity.id, authorKey);
  if (submission?.status === 'submitted') throw assessmentErrors.alreadySubmitted();
  if (!submission) submission = await saveWork(deps, principal, activityId, { content: '', submit: false });
  const stats = await fileStats(deps.db, submission.id);
  if (stats.files >= MAX_FILES)
    throw assessmentErrors.fileRejected(`A submission may have at most ${MAX_FILES} files.`);
  if (stats.bytes + file.data.length > MAX_SUBMISSION_BYTES)
    throw assessmentErrors.fileTooLarge(MAX_SUBMISSION_BYTES);
  const id = deps.ids.uuid();
  await insertFile(deps.db, {
    id,
    submissionId: submission.id,
    name: file.name,
    contentType: checked.type,
    size: file.data.length,
    data: file.data,
    createdAt: deps.clock.now(),
  });
  return { id, name: file.name, contentType: checked.type, size: file.data.length };
}

/** A file, for its author (or group), a reviewer allocated the work, or the course's staff. */
export async function getFile(deps: Ctx, principal: Principal, activityId: number, fileId: string) {
  const access = await accessActivity(deps, principal, activityId);
  const file = /^[0-9a-f-]{36}$/i.test(fileId) ? await findFile(deps.db, fileId) : undefined;
  if (!file) throw assessmentErrors.fileNotFound();
  if (canSeeProgress(access.role)) return file;
  const authorKey = await authorKeyOf(deps, access);
  const own = await findSubmissionByAuthor(deps.db, access.activity.id, authorKey);
  if (own?.id === file.submissionId) return file;
  const reviews = await listReviewsBy(deps.db, access.activity.id, access.userId ?? '');
  if (reviews.some((r) => r.submissionId === file.submissionId)) return file;
  throw assessmentErrors.fileNotFound();
}

/** Reflect: the author revises their work (kept beside the original) and may self-assess again. */
export async function reviseWork(
  deps: Ctx,
  principal: Principal,
  activityId: number,
  input: { content: string; selfScores?: Readonly<Record<string, unknown>> | undefined },
): Promise<SubmissionRow> {
  const access = await accessActivity(deps, principal, activityId);
  const authorKey = await authorKeyOf(deps, access);
  if (!isOpen(await listSchedules(deps.db, [access.activity.id]), 'Reflect'))
    throw assessmentErrors.phaseClosed('Reflect');
  const own = await findSubmissionByAuthor(deps.db, access.activity.id, authorKey);
  if (own?.status !== 'submitted' || own.withdrawn) throw assessmentErrors.notSubmitted();
  const content = sanitiseText(checkText('content', input.content));
  if (content.length === 0) throw assessmentErrors.invalid('content', 'must not be empty');
  const selfReflect =
    input.selfScores !== undefined
      ? checkScores(access.activity.rubric, input.selfScores, 'self_scores')
      : own.selfReflect;
  if (access.activity.selfAssessReflect && !selfReflect)
    throw assessmentErrors.invalid(
      'self_scores',
      'this activity asks for a self-assessment with your revision',
    );
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    await updateSubmission(tx, own.id, {
      contentRevise: content,
      selfReflect,
      revisedAt: now,
      updatedAt: now,
    });
    await queueRecompute(tx, access.activity.id);
  });
  return { ...own, contentRevise: content, selfReflect, revisedAt: now, updatedAt: now };
}
