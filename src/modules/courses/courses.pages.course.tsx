import { markdownToHtmlUnder } from '../../lib/markdown.ts';
import { CsrfField, Field, Notice } from '../../web/index.ts';
import type { CourseClass } from './courses.classes.ts';
import type { Organiser, PageCourse } from './courses.pages.data.ts';
import { shortDate } from './courses.pages.register.tsx';

/** A course's page: what it is, when, who runs it, its classes and sign-up, and related courses. */

export interface JoinForm {
  readonly classId: string;
  readonly activationCode: string;
  /** Errors by field (`class_id`, `activation_code`) or `form` for the whole form. */
  readonly errors: Readonly<Record<string, string>>;
}

export interface CourseView {
  readonly course: PageCourse;
  readonly classes: readonly CourseClass[];
  readonly organisers: readonly Organiser[];
  readonly related: readonly PageCourse[];
  readonly signedIn: boolean;
  readonly enrolled: boolean;
  readonly canManage: boolean;
  readonly csrf: string | null;
  readonly notice: string | null;
  readonly form: JoinForm;
}

const longDate = (d: Date) =>
  d.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

function DateValue({ at }: { at: Date }) {
  return <time datetime={at.toISOString()}>{longDate(at)}</time>;
}

function classLabel(c: CourseClass): string {
  const kind =
    c.type === 'requires-activation-code' ? 'needs an activation code' : c.type === 'open' ? 'open' : c.type;
  const parts = [kind];
  if (c.startsAt) parts.push(`starts ${shortDate(c.startsAt)}`);
  if (c.isBilled && c.price) parts.push(`${c.price} ${c.currency ?? ''}`.trim());
  return parts.join(' · ');
}

function Facts({ view }: { view: CourseView }) {
  const { course } = view;
  return (
    <aside class="course-facts" aria-label="Course facts">
      <dl>
        {course.startsAt ? (
          <>
            <dt>Starts</dt>
            <dd>
              <DateValue at={course.startsAt} />
            </dd>
          </>
        ) : null}
        {course.endsAt ? (
          <>
            <dt>Ends</dt>
            <dd>
              <DateValue at={course.endsAt} />
            </dd>
          </>
        ) : null}
        {view.organisers.length > 0 ? (
          <>
            <dt>{view.organisers.length > 1 ? 'Organisers' : 'Organiser'}</dt>
            <dd>
              <ul class="tag-list">
                {view.organisers.map((o) => (
                  <li>{o.href ? <a href={o.href}>{o.name}</a> : o.name}</li>
                ))}
              </ul>
            </dd>
          </>
        ) : null}
        {course.language ? (
          <>
            <dt>Language</dt>
            <dd>
              <a href={`/courses?language=${encodeURIComponent(course.language)}`}>{course.language}</a>
            </dd>
          </>
        ) : null}
        {course.courseStyle ? (
          <>
            <dt>Style</dt>
            <dd>
              <a href={`/courses?style=${encodeURIComponent(course.courseStyle)}`}>{course.courseStyle}</a>
            </dd>
          </>
        ) : null}
        {course.tags.length > 0 ? (
          <>
            <dt>Tags</dt>
            <dd>
              <ul class="tag-list">
                {course.tags.map((t) => (
                  <li>
                    <a href={`/courses?tags=${encodeURIComponent(t)}`}>{t}</a>
                  </li>
                ))}
              </ul>
            </dd>
          </>
        ) : null}
        {course.shortcode ? (
          <>
            <dt>Code</dt>
            <dd>{course.shortcode}</dd>
          </>
        ) : null}
      </dl>
    </aside>
  );
}

function FieldError({ id, message }: { id: string; message: string | undefined }) {
  return message ? (
    <p class="field-error" id={id}>
      {message}
    </p>
  ) : null;
}

function JoinFormView({ view }: { view: CourseView }) {
  const { course, form } = view;
  const joinable = view.classes.filter((c) => c.type !== 'closed');
  const needsCode = joinable.some((c) => c.type === 'requires-activation-code');
  const chosen = form.classId || joinable[0]?.id || '';
  const classError = form.errors.class_id;
  return (
    <form
      method="post"
      action={`${course.href}/join`}
      class="join-form"
      aria-labelledby="join-heading"
      novalidate
    >
      <CsrfField token={view.csrf ?? ''} />
      {form.errors.form ? <Notice kind="error">{form.errors.form}</Notice> : null}
      {joinable.length > 0 ? (
        <fieldset aria-describedby={classError ? 'class_id-error' : undefined}>
          <legend>Choose a class</legend>
          <FieldError id="class_id-error" message={classError} />
          {joinable.map((c) => (
            <label class="choice">
              <input
                type="radio"
                name="class_id"
                value={c.id}
                checked={c.id === chosen}
                aria-invalid={classError && c.id === chosen ? 'true' : undefined}
              />
              <span>
                <strong>{c.title}</strong>
                <span class="meta">{classLabel(c)}</span>
              </span>
            </label>
          ))}
        </fieldset>
      ) : null}
      {needsCode ? (
        <Field
          name="activation_code"
          id="activation_code"
          label="Activation code"
          hint="Only for a class that needs one: your organiser gives it to you."
          value={form.activationCode}
          error={form.errors.activation_code}
          required={false}
          maxLength={200}
          autocomplete="off"
        />
      ) : null}
      <div>
        <button type="submit">Sign up</button>
      </div>
    </form>
  );
}

function SignUp({ view }: { view: CourseView }) {
  const { course } = view;
  if (view.enrolled)
    return (
      <Notice kind="success">
        {view.form.errors.form ? `${view.form.errors.form} ` : ''}You are enrolled in this course.
      </Notice>
    );
  if (course.status === 'offline') return <p>This course is offline for now: sign-up is closed.</p>;
  if (!view.signedIn)
    return (
      <p>
        <a class="button" href={`/login?return_to=${encodeURIComponent(course.href)}`}>
          Sign in to sign up
        </a>
      </p>
    );
  if (course.signupUrl)
    return (
      <p>
        <a class="button" href={course.signupUrl}>
          Sign up on the course's site
        </a>
      </p>
    );
  if (view.classes.length > 0 && view.classes.every((c) => c.type === 'closed'))
    return <p>This course is not open for sign-up.</p>;
  return <JoinFormView view={view} />;
}

export function CoursePage({ view }: { view: CourseView }) {
  const { course } = view;
  const description = course.description.trim();
  return (
    <article class="course">
      <link rel="stylesheet" href="/assets/courses.css" />
      <p class="crumbs">
        <a href="/courses">Courses</a> ›
      </p>
      <h1>{course.title}</h1>
      {view.notice ? <Notice kind="success">{view.notice}</Notice> : null}
      <div class="course-layout">
        <div>
          {description ? (
            <section aria-labelledby="about-heading" class="course-description">
              <h2 id="about-heading">About this course</h2>
              {/* Sanitised by the shared allowlist in src/lib/markdown.ts. */}
              <div dangerouslySetInnerHTML={{ __html: markdownToHtmlUnder(description, 3) }} />
            </section>
          ) : null}
          <section aria-labelledby="join-heading">
            <h2 id="join-heading">Sign up</h2>
            <SignUp view={view} />
          </section>
          {view.canManage ? (
            <section class="organiser-tools" aria-labelledby="tools-heading">
              <h2 id="tools-heading">For organisers</h2>
              <p>
                <a href={`${course.href}/announcements/new`}>Write an announcement</a> to everyone in this
                course, or see <a href={`${course.href}/announcements`}>past announcements</a>.
              </p>
            </section>
          ) : null}
        </div>
        <Facts view={view} />
      </div>
      {view.related.length > 0 ? (
        <section class="related" aria-labelledby="related-heading">
          <h2 id="related-heading">Related courses</h2>
          <ul>
            {view.related.map((c) => (
              <li>
                <a href={c.href}>{c.title}</a>
                {c.tags.length > 0 ? <span class="meta"> · {c.tags.join(', ')}</span> : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </article>
  );
}

export interface AmbiguousView {
  readonly code: string;
  readonly courses: readonly PageCourse[];
}

/** Several courses share a shortcode (each owner has its own codes): the person picks one. */
export function AmbiguousPage({ view }: { view: AmbiguousView }) {
  return (
    <>
      <h1>{`Several courses use the code ${view.code}`}</h1>
      <p>Which one did you mean?</p>
      <ul>
        {view.courses.map((c) => (
          <li>
            <a href={c.href}>{c.title}</a>
          </li>
        ))}
      </ul>
    </>
  );
}
