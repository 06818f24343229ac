import { Type } from 'typebox';

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

export const CourseJson = Type.Object({
  id: Type.String({ format: 'uuid' }),
  path: Type.String(),
  shortcode: Nullable(Type.String()),
  title: Type.String(),
  description: Type.String(),
  category: Nullable(Type.String()),
  tags: Type.Array(Type.String()),
  course_style: Nullable(Type.String()),
  signup_url: Nullable(Type.String()),
  language: Nullable(Type.String()),
  start_date: Nullable(Type.String({ format: 'date-time' })),
  end_date: Nullable(Type.String({ format: 'date-time' })),
  status: Type.Union([Type.Literal('online'), Type.Literal('offline')]),
  published: Type.Boolean(),
  url: Type.String(),
  owner: Type.Object({
    app_id: Nullable(Type.String()),
    institution_id: Nullable(Type.String()),
    user_id: Nullable(Type.String()),
  }),
  created_at: Type.String({ format: 'date-time' }),
  updated_at: Type.String({ format: 'date-time' }),
});

const text = (max: number, description: string) => Type.String({ maxLength: max, description });

/** The story's fields; `signup-url` and `course-style` (the story's own spelling) are accepted as aliases. */
export const CourseBody = Type.Object(
  {
    title: Type.Optional(text(300, 'The course title')),
    shortcode: Type.Optional(
      Nullable(text(64, "A short code, unique among the owner's courses (e.g. SOGTA)")),
    ),
    path: Type.Optional(text(100, 'The course path in URLs; generated when omitted')),
    description: Type.Optional(text(20_000, 'What the course is about')),
    category: Type.Optional(Nullable(text(100, 'Category / subject'))),
    tags: Type.Optional(Type.Array(text(50, 'tag'), { maxItems: 30 })),
    course_style: Type.Optional(Nullable(text(50, 'MOOC, cohort, self-paced, ...'))),
    'course-style': Type.Optional(text(50, 'Alias of course_style')),
    signup_url: Type.Optional(Nullable(text(2000, 'Where people sign up (the app)'))),
    'signup-url': Type.Optional(text(2000, 'Alias of signup_url')),
    language: Type.Optional(Nullable(text(20, 'Language tag, e.g. en'))),
    start_date: Type.Optional(Nullable(Type.String({ format: 'date-time' }))),
    end_date: Type.Optional(Nullable(Type.String({ format: 'date-time' }))),
    status: Type.Optional(Type.Union([Type.Literal('online'), Type.Literal('offline')])),
    published: Type.Optional(Type.Boolean({ description: 'Listed in the register (default true)' })),
  },
  { additionalProperties: false },
);

export const SearchQuery = Type.Object(
  {
    q: Type.Optional(text(200, 'Words to search for (web search syntax: "phrases", -exclude, or)')),
    tags: Type.Optional(text(500, 'Comma-separated tags the course must all have')),
    style: Type.Optional(text(50, 'Course style')),
    language: Type.Optional(text(20, 'Language')),
    facets: Type.Boolean({ default: true, description: 'Include facet counts' }),
    limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
    cursor: Type.Optional(text(300, 'The `next_cursor` of the previous page')),
  },
  { additionalProperties: false },
);

const Facet = Type.Array(Type.Object({ value: Type.String(), count: Type.Integer() }));

export const SearchResultJson = Type.Object({
  data: Type.Array(CourseJson),
  next_cursor: Nullable(Type.String()),
  fuzzy: Type.Boolean({ description: 'True when no word matched and these are the closest titles' }),
  facets: Type.Union([Type.Object({ style: Facet, language: Facet, tags: Facet }), Type.Null()]),
});

export const RefParams = Type.Object({ ref: Type.String({ maxLength: 300 }) });
export const ShortcodeParams = Type.Object({ shortcode: Type.String({ maxLength: 64 }) });
export const MemberParams = Type.Object({
  ref: Type.String({ maxLength: 300 }),
  user: Type.String({ maxLength: 300 }),
});

export const ClassJson = Type.Object({
  id: Type.String({ format: 'uuid' }),
  path: Type.String(),
  title: Type.String(),
  type: Type.String(),
  is_billed: Type.Boolean(),
  price: Nullable(Type.String()),
  currency: Nullable(Type.String()),
  start_date: Nullable(Type.String({ format: 'date-time' })),
});

export const ClassBody = Type.Object(
  {
    title: text(300, 'Class title'),
    type: Type.Optional(text(40, 'open | requires-activation-code | invite-only | closed')),
    is_billed: Type.Optional(Type.Boolean()),
    price: Type.Optional(text(20, 'e.g. 12.00')),
    currency: Type.Optional(text(3, 'ISO 4217, e.g. USD')),
    activation_code: Type.Optional(text(200, 'Stored hashed')),
    start_date: Type.Optional(Type.String({ format: 'date-time' })),
  },
  { additionalProperties: false },
);

export const MembershipJson = Type.Object({
  user_id: Type.String({ format: 'uuid' }),
  class_id: Nullable(Type.String()),
  role: Type.String(),
  status: Type.String(),
  progress: Type.Integer(),
  completed_at: Nullable(Type.String({ format: 'date-time' })),
  joined_at: Type.String({ format: 'date-time' }),
});

export const JoinBody = Type.Object(
  {
    class_id: Type.Optional(Type.String({ format: 'uuid' })),
    activation_code: Type.Optional(text(200, 'For requires-activation-code classes')),
  },
  { additionalProperties: false },
);

export const MembersQuery = Type.Object(
  {
    limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
    cursor: Type.Optional(text(300, 'The `next_cursor` of the previous page')),
  },
  { additionalProperties: false },
);

export const MemberList = Type.Object({
  data: Type.Array(MembershipJson),
  next_cursor: Nullable(Type.String()),
});

export const ProgressBody = Type.Object(
  {
    progress: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
    completed: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
