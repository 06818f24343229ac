import type { Deps } from '../../deps.ts';
import type { Principal } from '../../http/principal.ts';
import { enqueue } from '../../jobs/enqueue.ts';
import { type BulkInput, type BulkKind, loadContext, processLine } from './courses.bulk.lines.ts';
import { type CourseClass, getClassByPath } from './courses.classes.ts';
import { courseErrors } from './courses.errors.ts';
import {
  type CourseJobRow,
  findInstitution,
  findJob,
  findJobForUpdate,
  findMembersByEmails,
  insertJob,
  updateJob,
} from './courses.institutions.repository.ts';
import { type Institution, institutionFor } from './courses.institutions.ts';
import { getCourseById } from './courses.usecases.ts';
import { parseEmail } from './courses.validation.ts';

export const BULK_TASK = 'courses.bulk';
/** Lists up to this size are processed in the request, so scripts get the seed's four lists at once. */
export const INLINE_LIMIT = 200;
const CHUNK = 250;
const MAX_LINES = 20_000;

export interface BulkJob {
  id: string;
  /** The institution the job belongs to (its progress is read under this path). */
  institutionPath: string;
  kind: BulkKind;
  status: 'queued' | 'running' | 'done';
  total: number;
  processed: number;
  result: Record<string, unknown[]>;
  createdAt: Date;
  finishedAt: Date | null;
}

function toJob(row: CourseJobRow, institutionPath: string): BulkJob {
  return {
    id: row.id,
    institutionPath,
    kind: row.kind as BulkKind,
    status: row.status === 'done' ? 'done' : row.position > 0 ? 'running' : 'queued',
    total: row.total,
    processed: row.position,
    result: row.result as Record<string, unknown[]>,
    createdAt: row.createdAt,
    finishedAt: row.finishedAt,
  };
}

function splitLines(list: string): string[] {
  const lines = list
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
  if (lines.length > MAX_LINES) throw courseErrors.invalid('emailAddressList', `at most ${MAX_LINES} lines`);
  return lines;
}

/** `enrollCohorts`: a JSON array of class paths, all in this institution's courses. */
async function resolveCohorts(
  deps: Deps,
  institution: Institution,
  raw: string | undefined,
): Promise<CourseClass[]> {
  if (raw === undefined || raw.trim() === '') return [];
  let paths: unknown;
  try {
    paths = JSON.parse(raw);
  } catch {
    throw courseErrors.invalid('enrollCohorts', 'must be a JSON array of cohort paths');
  }
  if (!Array.isArray(paths) || paths.length > 50 || !paths.every((p) => typeof p === 'string'))
    throw courseErrors.invalid('enrollCohorts', 'must be a JSON array of at most 50 cohort paths');
  const classes: CourseClass[] = [];
  for (const path of paths as string[]) {
    const cls = await getClassByPath(deps, path);
    if (!cls) throw courseErrors.classNotFound();
    const course = await getCourseById(deps, cls.courseId);
    if (course?.ownerInstitutionId !== institution.id) throw courseErrors.notOwner();
    classes.push(cls);
  }
  return classes;
}

const EMPTY: Record<BulkKind, Record<string, unknown[]>> = {
  institution_invite: {
    autoEnrolledStudents: [],
    alreadyEnrolledStudents: [],
    pendingEnrolledEmails: [],
    unprocessedEmails: [],
  },
  class_invite: {
    autoEnrolledStudents: [],
    alreadyEnrolledStudents: [],
    pendingEnrolledEmails: [],
    unprocessedEmails: [],
  },
  import: { importedEmails: [], unprocessedEmails: [] },
};

/**
 * Starts a bulk invite or import as a job (row + graphile job in one transaction). Small lists are processed
 * right away, in the request; large ones by the worker, with progress readable on the job.
 */
export async function startBulk(
  deps: Deps,
  principal: Principal,
  input: {
    kind: BulkKind;
    institutionPath?: string;
    classPath?: string;
    emailAddressList: string;
    enrollCohorts?: string;
    /** The seed's `generateAccount`: honoured only for institutions with the feature, otherwise ignored. */
    generateAccount?: boolean;
  },
): Promise<BulkJob> {
  let institution: Institution;
  let classIds: string[] = [];
  if (input.kind === 'class_invite') {
    const cls = await getClassByPath(deps, input.classPath ?? '');
    if (!cls) throw courseErrors.classNotFound();
    const course = await getCourseById(deps, cls.courseId);
    if (!course?.ownerInstitutionId) throw courseErrors.notOwner();
    const owner = await institutionPathOf(deps, course.ownerInstitutionId);
    institution = await institutionFor(deps, principal, owner);
    classIds = [cls.id];
  } else {
    institution = await institutionFor(deps, principal, input.institutionPath ?? '');
    if (input.kind === 'institution_invite')
      classIds = (await resolveCohorts(deps, institution, input.enrollCohorts)).map((c) => c.id);
  }
  const lines = splitLines(input.emailAddressList);
  const id = deps.ids.uuid();
  await deps.db.transaction(async (tx) => {
    await insertJob(tx, {
      id,
      institutionId: institution.id,
      kind: input.kind,
      status: 'queued',
      input: {
        lines,
        classIds,
        generateAccounts:
          input.kind === 'institution_invite' &&
          input.generateAccount === true &&
          institution.generateAccounts,
      } satisfies BulkInput,
      total: lines.length,
      result: EMPTY[input.kind],
      createdAt: deps.clock.now(),
    });
    await enqueue(tx, BULK_TASK, { id }, { jobKey: `${BULK_TASK}:${id}` });
  });
  if (lines.length <= INLINE_LIMIT) await runBulk(deps, id);
  const row = await findJob(deps.db, id);
  if (!row) throw courseErrors.jobNotFound();
  return toJob(row, institution.path);
}

async function institutionPathOf(deps: Deps, institutionId: string): Promise<string> {
  return (await findInstitution(deps.db, { id: institutionId }))?.path ?? '';
}

export async function getBulkJob(deps: Deps, principal: Principal, institutionPath: string, id: string) {
  const institution = await institutionFor(deps, principal, institutionPath);
  const row = /^[0-9a-f-]{36}$/.test(id) ? await findJob(deps.db, id) : undefined;
  if (!row || row.institutionId !== institution.id) throw courseErrors.jobNotFound();
  return toJob(row, institution.path);
}

/**
 * Works through the job a chunk at a time, each chunk in one transaction with its position: a crash loses
 * only the uncommitted chunk (its mails were queued in that same transaction), so a rerun resumes where the
 * last commit left off and nobody is invited twice.
 */
export async function runBulk(deps: Deps, id: string): Promise<void> {
  for (;;) {
    const finished = await deps.db.transaction(async (tx) => {
      const row = await findJobForUpdate(tx, id);
      if (!row || row.status === 'done') return true;
      const input = row.input as unknown as BulkInput;
      const slice = input.lines.slice(row.position, row.position + CHUNK);
      const result = row.result as Record<string, unknown[]>;
      const ctx = await loadContext(deps, row, input);
      // One query for the chunk's addresses already in the institution, instead of one per line.
      const emails = slice.flatMap((line) => parseEmail(line.split(',')[0] ?? '') ?? []);
      for (const m of await findMembersByEmails(tx, row.institutionId, emails)) ctx.known.set(m.email, m);
      for (const line of slice) await processLine(tx, deps, row.kind as BulkKind, ctx, line, result);
      const position = row.position + slice.length;
      const done = position >= row.total;
      await updateJob(tx, id, {
        position,
        result,
        status: done ? 'done' : 'running',
        finishedAt: done ? deps.clock.now() : null,
      });
      return done;
    });
    if (finished) return;
  }
}

export type { BulkKind };
