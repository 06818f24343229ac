import { markdownExcerpt } from '../../lib/markdown.ts';
import { Notice } from '../../web/index.ts';
import type { PageCourse } from './courses.pages.data.ts';
import type { Facets } from './courses.search.ts';

/** The register page: a search box that keeps the query, facets beside (or above, on phones) the results. */

export type FacetField = 'style' | 'language' | 'tags';

export interface RegisterView {
  readonly q: string;
  readonly style: string;
  readonly language: string;
  readonly tags: string;
  readonly courses: readonly PageCourse[];
  readonly facets: Facets | null;
  readonly total: number | null;
  readonly fuzzy: boolean;
  readonly nextHref: string | null;
  readonly firstHref: string | null;
  /** A problem with the request (a damaged page link, a too-long query), shown above the results. */
  readonly problem: { readonly field: 'q' | 'cursor'; readonly message: string } | null;
}

const FACETS: readonly { field: FacetField; label: string }[] = [
  { field: 'style', label: 'Style' },
  { field: 'language', label: 'Language' },
  { field: 'tags', label: 'Tags' },
];
/** Values shown before "more" in each facet, so the sidebar stays short. */
const SHOWN = 6;

export function registerHref(
  view: Pick<RegisterView, 'q' | FacetField>,
  change: Partial<Record<FacetField, string>> = {},
): string {
  const params = new URLSearchParams();
  const merged = { q: view.q, style: view.style, language: view.language, tags: view.tags, ...change };
  for (const [k, v] of Object.entries(merged)) if (v) params.set(k, v);
  const query = params.toString();
  return query ? `/courses?${query}` : '/courses';
}

function FacetLink(props: { view: RegisterView; field: FacetField; value: string; count: number }) {
  const active = props.view[props.field] === props.value;
  return (
    <li>
      {active ? (
        <a href={registerHref(props.view, { [props.field]: '' })} aria-current="true">
          <strong>{props.value}</strong> ({props.count}) <span aria-hidden="true">×</span>
          <span class="vh">(remove this filter)</span>
        </a>
      ) : (
        <a href={registerHref(props.view, { [props.field]: props.value })}>
          {props.value} ({props.count})
        </a>
      )}
    </li>
  );
}

function FacetGroups({ view, heading }: { view: RegisterView; heading: 'h2' | 'h3' }) {
  const Heading = heading;
  return (
    <>
      {FACETS.map(({ field, label }) => {
        const values = view.facets?.[field] ?? [];
        if (values.length === 0) return null;
        const shown = values.slice(0, SHOWN);
        const more = values.slice(SHOWN);
        return (
          <section class="facet" aria-label={label}>
            <Heading>{label}</Heading>
            <ul>
              {shown.map((f) => (
                <FacetLink view={view} field={field} value={f.value} count={f.count} />
              ))}
            </ul>
            {more.length > 0 ? (
              <details>
                <summary>{`${more.length} more`}</summary>
                <ul>
                  {more.map((f) => (
                    <FacetLink view={view} field={field} value={f.value} count={f.count} />
                  ))}
                </ul>
              </details>
            ) : null}
          </section>
        );
      })}
    </>
  );
}

function activeFilters(view: RegisterView) {
  return FACETS.flatMap(({ field, label }) =>
    view[field] ? [{ field, label, value: view[field], href: registerHref(view, { [field]: '' }) }] : [],
  );
}

function countLine(view: RegisterView): string {
  const n = view.total ?? view.courses.length;
  const courses = `${n} ${n === 1 ? 'course' : 'courses'}`;
  if (view.fuzzy) return `No exact matches: ${courses} with a title close to “${view.q}”`;
  return view.q ? `${courses} match “${view.q}”` : `${courses}`;
}

function CourseItem({ course }: { course: PageCourse }) {
  const meta = [
    course.courseStyle,
    course.language,
    course.startsAt ? `starts ${shortDate(course.startsAt)}` : null,
  ]
    .filter((v) => v)
    .join(' · ');
  return (
    <li>
      <h2>
        <a href={course.href}>{course.title}</a>
      </h2>
      {meta ? <p class="meta">{meta}</p> : null}
      {course.description ? <p>{markdownExcerpt(course.description, 200)}</p> : null}
      {course.tags.length > 0 ? <p class="meta">Tags: {course.tags.join(', ')}</p> : null}
    </li>
  );
}

export function shortDate(d: Date): string {
  return d.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
}

export function RegisterPage({ view }: { view: RegisterView }) {
  const filters = activeFilters(view);
  const qError = view.problem?.field === 'q' ? view.problem.message : null;
  return (
    <>
      <link rel="stylesheet" href="/assets/courses.css" />
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
          aria-invalid={qError ? 'true' : undefined}
          aria-describedby={qError ? 'q-error' : undefined}
        />
        {view.style ? <input type="hidden" name="style" value={view.style} /> : null}
        {view.language ? <input type="hidden" name="language" value={view.language} /> : null}
        {view.tags ? <input type="hidden" name="tags" value={view.tags} /> : null}
        <button type="submit">Search</button>
        {qError ? (
          <p class="field-error" id="q-error">
            {qError}
          </p>
        ) : null}
      </form>
      {view.problem?.field === 'cursor' ? <Notice kind="error">{view.problem.message}</Notice> : null}
      <div class="course-register">
        <aside class="facets-side" aria-label="Filters">
          <FacetGroups view={view} heading="h2" />
        </aside>
        <section aria-labelledby="result-count">
          <div class="result-bar">
            <p class="result-count" id="result-count" role="status">
              {countLine(view)}
            </p>
            {filters.length > 0 ? (
              <ul class="chips" aria-label="Active filters">
                {filters.map((f) => (
                  <li>
                    <a href={f.href}>
                      {`${f.label}: ${f.value}`} <span aria-hidden="true">×</span>
                      <span class="vh">(remove)</span>
                    </a>
                  </li>
                ))}
              </ul>
            ) : null}
          </div>
          {view.facets && FACETS.some(({ field }) => (view.facets?.[field] ?? []).length > 0) ? (
            <details class="facets-mobile">
              <summary>{filters.length > 0 ? `Filters (${filters.length} on)` : 'Filters'}</summary>
              <FacetGroups view={view} heading="h3" />
            </details>
          ) : null}
          {view.courses.length === 0 ? (
            <p>
              No courses match. <a href="/courses">See every course</a>.
            </p>
          ) : (
            <ol class="course-list">
              {view.courses.map((c) => (
                <CourseItem course={c} />
              ))}
            </ol>
          )}
          {view.nextHref || view.firstHref ? (
            <nav class="pager" aria-label="Result pages">
              {view.firstHref ? <a href={view.firstHref}>← First page</a> : null}
              {view.nextHref ? (
                <a href={view.nextHref} rel="next">
                  Next page →
                </a>
              ) : null}
            </nav>
          ) : null}
        </section>
      </div>
    </>
  );
}
