import { Type } from 'typebox';

const N = <T extends ReturnType<typeof Type.Number | typeof Type.String | typeof Type.Integer>>(t: T) =>
  Type.Union([t, Type.Null()]);
const time = () => N(Type.String({ format: 'date-time' }));

export const Criterion = Type.Object({
  id: Type.Optional(Type.String({ maxLength: 40 })),
  title: Type.String({ maxLength: 200 }),
  min: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
  max: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
  weight: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 100 })),
  descriptors: Type.Optional(Type.Record(Type.String({ maxLength: 10 }), Type.String({ maxLength: 2000 }))),
});

export const Weights = Type.Object({
  create: Type.Optional(Type.Number({ minimum: 0, maximum: 100 })),
  assess: Type.Optional(Type.Number({ minimum: 0, maximum: 100 })),
  reflect: Type.Optional(Type.Number({ minimum: 0, maximum: 100 })),
  instructor: Type.Optional(Type.Number({ minimum: 0, maximum: 100 })),
});

export const PhaseName = Type.Union([
  Type.Literal('Create'),
  Type.Literal('Assess'),
  Type.Literal('Reflect'),
]);

export const ScheduleInput = Type.Object({
  phase: PhaseName,
  manual: Type.Optional(Type.Boolean({ default: false })),
  start_date: Type.Optional(time()),
  end_date: Type.Optional(time()),
  enabled: Type.Optional(Type.Boolean({ default: true })),
});

export const ActivityBody = Type.Object(
  {
    title: Type.Optional(Type.String({ maxLength: 300 })),
    nickname: Type.Optional(Type.String({ maxLength: 100 })),
    description: Type.Optional(Type.String({ maxLength: 20_000 })),
    instructions: Type.Optional(Type.String({ maxLength: 50_000 })),
    type: Type.Optional(Type.Union([Type.Literal('Standard'), Type.Literal('Case'), Type.Literal('Group')])),
    visible: Type.Optional(Type.Boolean()),
    rubric: Type.Optional(Type.Array(Criterion, { maxItems: 20 })),
    weights: Type.Optional(Weights),
    prompts: Type.Optional(Type.Array(Type.String({ maxLength: 5000 }), { maxItems: 50 })),
    reviewers_per_submission: Type.Optional(Type.Integer({ minimum: 1, maximum: 10 })),
    anonymity: Type.Optional(
      Type.Union([Type.Literal('double'), Type.Literal('reviewers'), Type.Literal('none')]),
    ),
    self_assess_create: Type.Optional(Type.Boolean()),
    self_assess_reflect: Type.Optional(Type.Boolean()),
    allow_late: Type.Optional(Type.Boolean()),
    schedule: Type.Optional(Type.Array(ScheduleInput, { maxItems: 3 })),
  },
  { additionalProperties: false },
);

export const Schedule = Type.Object({
  id: Type.Integer(),
  phase: Type.String(),
  manual: Type.Boolean(),
  start_date: time(),
  end_date: time(),
  order: Type.Integer(),
  enabled: Type.Boolean(),
  opened_at: time(),
  closed_at: time(),
});

export const Activity = Type.Object({
  id: Type.Integer(),
  course_id: Type.String({ format: 'uuid' }),
  title: Type.String(),
  nickname: Type.String(),
  description: Type.String(),
  instructions: Type.String(),
  type: Type.String(),
  visible: Type.Boolean(),
  rubric: Type.Array(
    Type.Object({
      id: Type.String(),
      title: Type.String(),
      min: Type.Integer(),
      max: Type.Integer(),
      weight: Type.Number(),
      descriptors: Type.Optional(Type.Record(Type.String(), Type.String())),
    }),
  ),
  weights: Type.Object({
    create: Type.Number(),
    assess: Type.Number(),
    reflect: Type.Number(),
    instructor: Type.Number(),
  }),
  prompts: Type.Array(Type.String()),
  reviewers_per_submission: Type.Integer(),
  anonymity: Type.String(),
  self_assess_create: Type.Boolean(),
  self_assess_reflect: Type.Boolean(),
  allow_late: Type.Boolean(),
  allocated_at: time(),
  current_phase: N(Type.String()),
  schedule: Type.Array(Schedule),
  created_at: Type.String({ format: 'date-time' }),
});

export const ActivityList = Type.Object({ data: Type.Array(Activity) });
export const CourseParams = Type.Object({ courseId: Type.String({ format: 'uuid' }) });
export const IdParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }) });
export const PhaseParams = Type.Object({
  id: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }),
  phase: PhaseName,
});
export const PhaseBody = Type.Object(
  { action: Type.Union([Type.Literal('open'), Type.Literal('close')]) },
  { additionalProperties: false },
);
export const ReviewParams = Type.Object({
  id: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }),
  reviewId: Type.String({ format: 'uuid' }),
});
export const FileParams = Type.Object({
  id: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }),
  fileId: Type.String({ format: 'uuid' }),
});
export const UserParams = Type.Object({
  id: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }),
  userId: Type.String({ format: 'uuid' }),
});

const Scores = Type.Record(Type.String({ maxLength: 40 }), Type.Integer());

export const WorkBody = Type.Object(
  {
    content: Type.String({ maxLength: 100_000 }),
    submit: Type.Optional(Type.Boolean({ default: false })),
    self_scores: Type.Optional(Scores),
  },
  { additionalProperties: false },
);
export const ReviseBody = Type.Object(
  { content: Type.String({ maxLength: 100_000 }), self_scores: Type.Optional(Scores) },
  { additionalProperties: false },
);
export const FileBody = Type.Object(
  {
    name: Type.String({ maxLength: 200 }),
    content_type: Type.String({ maxLength: 200 }),
    data_base64: Type.String({
      maxLength: 7_000_000,
      description: 'The file, base64-encoded (at most 5 MiB decoded)',
    }),
  },
  { additionalProperties: false },
);
export const FileJson = Type.Object({
  id: Type.String(),
  name: Type.String(),
  content_type: Type.String(),
  size: Type.Integer(),
});

export const Submission = Type.Object({
  id: Type.String(),
  status: Type.String(),
  late: Type.Boolean(),
  prompt: N(Type.String()),
  content_create: Type.String(),
  content_revise: N(Type.String()),
  self_scores_create: Type.Union([Scores, Type.Null()]),
  self_scores_reflect: Type.Union([Scores, Type.Null()]),
  submitted_at: time(),
  revised_at: time(),
  files: Type.Array(FileJson),
});

export const ReviewBody = Type.Object(
  {
    scores: Scores,
    comment: Type.Optional(Type.String({ maxLength: 20_000, default: '' })),
    submit: Type.Optional(Type.Boolean({ default: false })),
  },
  { additionalProperties: false },
);
export const ReviewTask = Type.Object({
  id: Type.String(),
  submission: Type.Object({
    id: Type.String(),
    content: Type.String(),
    prompt: N(Type.String()),
    author: N(Type.String()),
  }),
  status: Type.String(),
  scores: Scores,
  comment: Type.String(),
  submitted_at: time(),
});
export const ReviewList = Type.Object({ data: Type.Array(ReviewTask) });
export const Feedback = Type.Object({
  id: Type.String(),
  reviewer: N(Type.String()),
  scores: Scores,
  comment: Type.String(),
  helpfulness: N(Type.Integer()),
});
export const FeedbackList = Type.Object({ data: Type.Array(Feedback) });
export const HelpfulnessBody = Type.Object(
  { helpfulness: Type.Integer({ minimum: 1, maximum: 5 }) },
  { additionalProperties: false },
);

const G = () => N(Type.Number());
export const Grade = Type.Object({
  user_id: Type.String(),
  overall: G(),
  peer_mean: G(),
  peer_median: G(),
  peer_mode: G(),
  self_create: G(),
  self_reflect: G(),
  assess: G(),
  reflect: G(),
  instructor: G(),
  override: G(),
  updated_at: Type.String({ format: 'date-time' }),
});
export const GradeList = Type.Object({ data: Type.Array(Grade) });
export const GradeBody = Type.Object(
  { instructor: Type.Optional(G()), override: Type.Optional(G()) },
  { additionalProperties: false },
);
export const GroupBody = Type.Object(
  {
    name: Type.String({ maxLength: 100 }),
    user_ids: Type.Array(Type.String({ format: 'uuid' }), { maxItems: 50 }),
  },
  { additionalProperties: false },
);
export const GroupJson = Type.Object({
  id: Type.String(),
  name: Type.String(),
  user_ids: Type.Array(Type.String()),
});
export const Allocation = Type.Object({
  data: Type.Array(
    Type.Object({
      review_id: Type.String(),
      submission_id: Type.String(),
      author: Type.String(),
      reviewer_id: Type.String(),
      status: Type.String(),
    }),
  ),
});
export const AllocationRun = Type.Object({ allocated: Type.Integer() });

export const BadgeRuleBody = Type.Object(
  {
    badge_id: Type.Union([Type.Integer({ minimum: 1 }), Type.String({ pattern: '^[1-9][0-9]{0,8}$' })], {
      description: "The badge's id in the badges module (`id` of GET /api/v1/badges/{id})",
    }),
    // Null first: the validator coerces types, and would read null as 0 for a number tried first.
    min_grade: Type.Union([Type.Null(), Type.Number({ minimum: 0, maximum: 100 })], {
      description: 'The least final grade (0-100) that earns the badge; null: on completion',
    }),
  },
  { additionalProperties: false },
);

export const BadgeRule = Type.Object({
  activity_id: Type.Integer(),
  badge_id: Type.String(),
  badge: N(Type.String({ description: "The badge's slug; null when the badge has been deleted" })),
  badge_name: N(Type.String()),
  min_grade: N(Type.Number()),
  rule: Type.Union([Type.Literal('completion'), Type.Literal('threshold')]),
  updated_at: Type.String({ format: 'date-time' }),
});
