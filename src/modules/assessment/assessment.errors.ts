import { AppError, errors } from '../../errors/index.ts';

const invalid = (field: string, message: string) =>
  new AppError('assessment.invalid_input', `${field}: ${message}`, {
    details: { errors: [{ field, message }] },
  });

export const assessmentErrors = {
  invalid,
  notFound: () => errors.notFound('assessment.not_found', 'No such activity.'),
  courseNotFound: () => errors.notFound('assessment.course_not_found', 'No such course.'),
  submissionNotFound: () => errors.notFound('assessment.submission_not_found', 'No such submission.'),
  reviewNotFound: () =>
    errors.notFound('assessment.review_not_found', 'No such review, or it is not allocated to you.'),
  fileNotFound: () => errors.notFound('assessment.file_not_found', 'No such file.'),
  notInstructor: () =>
    errors.forbidden('assessment.not_instructor', 'Only the instructors of this course may do this.'),
  notMember: () =>
    errors.forbidden('assessment.not_member', "You are not a member of this activity's course."),
  notStudent: () =>
    errors.forbidden(
      'assessment.not_student',
      'Only active students of this course take part in activities.',
    ),
  phaseClosed: (phase: string) =>
    errors.conflict('assessment.phase_closed', `The ${phase} phase is not open.`),
  notSubmitted: () =>
    errors.conflict('assessment.not_submitted', 'Submit your work in the Create phase first.'),
  alreadySubmitted: () =>
    errors.conflict(
      'assessment.already_submitted',
      'This has been submitted already and can no longer change.',
    ),
  notInGroup: () =>
    errors.forbidden('assessment.not_in_group', 'You are not in a group of this group activity.'),
  tooFewReviewers: (needed: number) =>
    errors.conflict(
      'assessment.too_few_reviewers',
      `Allocation needs more reviewers than authors: at least ${needed} students must take part.`,
    ),
  fileRejected: (message: string) => new AppError('assessment.file_rejected', message),
  fileTooLarge: (limit: number) =>
    new AppError('assessment.file_too_large', `A submission's files may total at most ${limit} bytes.`),
} as const;
