import type { Static } from 'typebox';
import type { CourseClass } from './courses.classes.ts';
import type { Membership } from './courses.enrolment.ts';
import type { CourseBody } from './courses.schemas.ts';
import type { Course, CourseInput } from './courses.usecases.ts';
import { checkDate } from './courses.validation.ts';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function courseJson(course: Course) {
  return {
    id: course.id,
    path: course.path,
    shortcode: course.shortcode,
    title: course.title,
    description: course.description,
    category: course.category,
    tags: course.tags,
    course_style: course.courseStyle,
    signup_url: course.signupUrl,
    language: course.language,
    start_date: iso(course.startsAt),
    end_date: iso(course.endsAt),
    status: course.status,
    published: course.published,
    url: course.url,
    owner: {
      app_id: course.ownerAppId,
      institution_id: course.ownerInstitutionId,
      user_id: course.ownerUserId,
    },
    created_at: course.createdAt.toISOString(),
    updated_at: course.updatedAt.toISOString(),
  };
}

export function classJson(cls: CourseClass) {
  return {
    id: cls.id,
    path: cls.path,
    title: cls.title,
    type: cls.type,
    is_billed: cls.isBilled,
    price: cls.price,
    currency: cls.currency,
    start_date: iso(cls.startsAt),
  };
}

export function membershipJson(m: Membership) {
  return {
    user_id: m.userId,
    class_id: m.classId,
    role: m.role,
    status: m.status,
    progress: m.progress,
    completed_at: iso(m.completedAt),
    joined_at: m.createdAt.toISOString(),
  };
}

/** Native body → use-case input (only the fields that were sent, so PATCH changes only those). */
export function courseInput(body: Static<typeof CourseBody>): CourseInput {
  const input: CourseInput = {};
  if (body.title !== undefined) input.title = body.title;
  if (body.shortcode !== undefined) input.shortcode = body.shortcode;
  if (body.path !== undefined) input.path = body.path;
  if (body.description !== undefined) input.description = body.description;
  if (body.category !== undefined) input.category = body.category;
  if (body.tags !== undefined) input.tags = body.tags;
  const style = body.course_style !== undefined ? body.course_style : body['course-style'];
  if (style !== undefined) input.courseStyle = style;
  const signup = body.signup_url !== undefined ? body.signup_url : body['signup-url'];
  if (signup !== undefined) input.signupUrl = signup;
  if (body.language !== undefined) input.language = body.language;
  if (body.start_date !== undefined)
    input.startsAt = body.start_date ? checkDate('start_date', body.start_date) : null;
  if (body.end_date !== undefined) input.endsAt = body.end_date ? checkDate('end_date', body.end_date) : null;
  if (body.status !== undefined) input.status = body.status;
  if (body.published !== undefined) input.published = body.published;
  return input;
}
