import type { ActivityView, PhaseInput } from './assessment.activities.ts';
import type { StudentGrade } from './assessment.gradebook.ts';
import { currentPhase } from './assessment.phases.ts';
import type { FileMeta, ScheduleRow, SubmissionRow } from './assessment.repository.ts';
import type { Phase } from './assessment.validation.ts';

const iso = (d: Date | null) => (d === null ? null : d.toISOString());

export const scheduleJson = (s: ScheduleRow) => ({
  id: s.id,
  phase: s.phase,
  manual: s.manual,
  start_date: iso(s.startsAt),
  end_date: iso(s.endsAt),
  order: s.order,
  enabled: s.enabled,
  opened_at: iso(s.openedAt),
  closed_at: iso(s.closedAt),
});

export const activityJson = (a: ActivityView) => ({
  id: a.id,
  course_id: a.courseId,
  title: a.title,
  nickname: a.nickname,
  description: a.description,
  instructions: a.instructions,
  type: a.type,
  visible: a.visible,
  rubric: a.rubric.map((c) => ({ ...c })),
  weights: a.weights,
  prompts: a.prompts,
  reviewers_per_submission: a.reviewersPerSubmission,
  anonymity: a.anonymity,
  self_assess_create: a.selfAssessCreate,
  self_assess_reflect: a.selfAssessReflect,
  allow_late: a.allowLate,
  allocated_at: iso(a.allocatedAt),
  current_phase: currentPhase(a.schedules)?.phase ?? null,
  schedule: a.schedules.map(scheduleJson),
  created_at: a.createdAt.toISOString(),
});

export const fileJson = (f: Pick<FileMeta, 'id' | 'name' | 'contentType' | 'size'>) => ({
  id: f.id,
  name: f.name,
  content_type: f.contentType,
  size: f.size,
});

export const submissionJson = (s: SubmissionRow, files: readonly FileMeta[]) => ({
  id: s.id,
  status: s.status,
  late: s.late,
  prompt: s.prompt,
  content_create: s.contentCreate,
  content_revise: s.contentRevise,
  self_scores_create: s.selfCreate,
  self_scores_reflect: s.selfReflect,
  submitted_at: iso(s.submittedAt),
  revised_at: iso(s.revisedAt),
  files: files.map(fileJson),
});

export const gradeJson = (g: StudentGrade) => ({
  user_id: g.userId,
  overall: g.overall,
  peer_mean: g.peerMean,
  peer_median: g.peerMedian,
  peer_mode: g.peerMode,
  self_create: g.selfCreate,
  self_reflect: g.selfReflect,
  assess: g.assess,
  reflect: g.reflect,
  instructor: g.instructor,
  override: g.override,
  updated_at: g.updatedAt.toISOString(),
});

export function scheduleInput(
  items:
    | readonly {
        phase: Phase;
        manual?: boolean | undefined;
        start_date?: string | null | undefined;
        end_date?: string | null | undefined;
        enabled?: boolean | undefined;
      }[]
    | undefined,
): PhaseInput[] | undefined {
  return items?.map((s) => ({
    phase: s.phase,
    manual: s.manual ?? false,
    startsAt: s.start_date ? new Date(s.start_date) : null,
    endsAt: s.end_date ? new Date(s.end_date) : null,
    enabled: s.enabled ?? true,
  }));
}
