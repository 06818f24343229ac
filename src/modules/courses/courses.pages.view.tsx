import { CsrfField, Notice } from '../../web/index.ts';
import type { CourseClass } from './courses.classes.ts';
import type { Facets } from './courses.search.ts';
import type { Course } from './courses.usecases.ts';

export interface RegisterView {
  q: string;
  style: string;
  language: string;
  tags: string;
  courses: Course[];
  facets: Facets | null;
  fuzzy: boolean;
  nextHref: string | null;
}

function href(view: RegisterView, change: Partial<Record<'style' | 'language' | 'tags', string>>): string {
  const params = new URLSearchParams();
  const merged = { q: view.q, style: view.style, language: view.language, tags: view.tags, ...change };
  for (const [k, v] of Object.entries(merged)) if (v) params.set(k, v);
  return `/courses?${params.toString()}`;
}

function FacetList(props: { label: string; field: 'style' | 'language' | 'tags'; view: RegisterView }) {
  const values = props.view.facets?.[props.field === 'style' ? 'style' : props.field] ?? [];
  if (values.length === 0) return null;
  const current = props.view[props.field];
  return (
    <section class="facet" aria-label={props.label}>
      <h2>{props.label}</h2>
      <ul>
        {values.map((f) => (
          <li>
            {current === f.value ? (
              <a href={href(props.view, { [props.field]: '' })} aria-current="true">
                <strong>{f.value}</strong> ({f.count}) ×
              </a>
            ) : (
              <a href={href(props.view, { [props.field]: f.value })}>
                {f.value} ({f.count})
              </a>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

export function RegisterPage({ view }: { view: RegisterView }) {
  return (
    <>
      <h1>Courses</h1>
      <form method="get" action="/courses" class="course-search" aria-label="Search courses">
        <label for="q">Search the course register</label>
        <input
          id="q"
          name="q"
          type="search"
          value={view.q}
          maxLength={200}
          placeholder="e.g. geographic art"
        />
        {view.style ? <input type="hidden" name="style" value={view.style} /> : null}
        {view.language ? <input type="hidden" name="language" value={view.language} /> : null}
        {view.tags ? <input type="hidden" name="tags" value={view.tags} /> : null}
        <button type="submit">Search</button>
      </form>
      <div class="course-register">
        <aside>
          <FacetList label="Style" field="style" view={view} />
          <FacetList label="Language" field="language" view={view} />
          <FacetList label="Tags" field="tags" view={view} />
        </aside>
        <section aria-label="Results">
          {view.fuzzy ? (
            <p class="muted">No exact matches; these titles are close to what you typed.</p>
          ) : null}
          {view.courses.length === 0 ? <p>No courses match.</p> : null}
          <ol class="course-list">
            {view.courses.map((c) => (
              <li>
                <h2>
                  <a href={`/courses/${c.path}`}>{c.title}</a>
                </h2>
                <p class="muted">
                  {[c.courseStyle, c.language, c.tags.join(', ')].filter((v) => v).join(' · ')}
                </p>
                {c.description ? <p>{c.description.slice(0, 240)}</p> : null}
              </li>
            ))}
          </ol>
          {view.nextHref ? (
            <p>
              <a href={view.nextHref} rel="next">
                Next page
              </a>
            </p>
          ) : null}
        </section>
      </div>
    </>
  );
}

export interface CourseView {
  course: Course;
  classes: CourseClass[];
  signedIn: boolean;
  enrolled: boolean;
  csrf: string | null;
  notice: string | null;
}

function SignUp({ view }: { view: CourseView }) {
  const { course } = view;
  const back = `/login?return_to=${encodeURIComponent(`/courses/${course.path}`)}`;
  if (view.enrolled) return <Notice kind="success">You are enrolled in this course.</Notice>;
  if (!view.signedIn)
    return (
      <p>
        <a class="button" href={back}>
          Sign in to sign up
        </a>
      </p>
    );
  if (course.signupUrl)
    return (
      <p>
        <a class="button" href={course.signupUrl}>
          Sign up
        </a>
      </p>
    );
  const joinable = view.classes.filter((c) => c.type === 'open' || c.type === 'requires-activation-code');
  if (view.classes.length > 0 && joinable.length === 0) return <p>This course is not open for sign-up.</p>;
  return (
    <form method="post" action={`/courses/${course.path}/join`}>
      <CsrfField token={view.csrf ?? ''} />
      {joinable.length > 0 ? (
        <>
          <label for="class_id">Class</label>
          <select id="class_id" name="class_id">
            {joinable.map((c) => (
              <option value={c.id}>{c.title}</option>
            ))}
          </select>
        </>
      ) : null}
      {joinable.some((c) => c.type === 'requires-activation-code') ? (
        <>
          <label for="activation_code">Activation code (if your class needs one)</label>
          <input id="activation_code" name="activation_code" maxLength={200} />
        </>
      ) : null}
      <button type="submit">Sign up</button>
    </form>
  );
}

export function CoursePage({ view }: { view: CourseView }) {
  const { course } = view;
  return (
    <article class="course">
      <p>
        <a href="/courses">All courses</a>
      </p>
      <h1>{course.title}</h1>
      <p class="muted">
        {[course.shortcode, course.courseStyle, course.language, course.tags.join(', ')]
          .filter((v) => v)
          .join(' · ')}
      </p>
      {view.notice ? <Notice kind="success">{view.notice}</Notice> : null}
      {course.status === 'offline' ? <p>This course is offline for now.</p> : null}
      <section aria-label="About">
        {course.description.split(/\n{2,}/).map((para) => (
          <p>{para}</p>
        ))}
      </section>
      {view.classes.length > 0 ? (
        <section aria-label="Classes">
          <h2>Classes</h2>
          <ul>
            {view.classes.map((c) => (
              <li>
                {c.title} — {c.type.replace(/-/g, ' ')}
                {c.startsAt ? `, starts ${c.startsAt.toISOString().slice(0, 10)}` : ''}
                {c.isBilled && c.price ? `, ${c.price} ${c.currency ?? ''}` : ''}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <SignUp view={view} />
    </article>
  );
}
