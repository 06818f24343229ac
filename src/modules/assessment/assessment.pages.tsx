import type { ComponentChildren } from 'preact';
import { CsrfField, Notice, renderPage } from '../../web/index.ts';
import type { ActivityView } from './assessment.activities.ts';
import type { StudentGrade } from './assessment.gradebook.ts';
import type { Criterion } from './assessment.grades.ts';
import type { SubmissionRow } from './assessment.repository.ts';
import type { Feedback, ReviewTask } from './assessment.reviews.ts';

/** Server-rendered pages of peer assessment: forms work without JavaScript and carry a CSRF token. */

const when = (d: Date | null) =>
  d
    ? d
        .toISOString()
        .replace('T', ' ')
        .replace(/:\d\d\.\d+Z$/, ' UTC')
    : '—';
const wide = { width: '100%', font: 'inherit', padding: '.5rem', boxSizing: 'border-box' } as const;

/** A table that scrolls sideways on a narrow screen; focusable so keyboard users can scroll it too. */
function Scroll(props: { label: string; children: ComponentChildren }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard.
    <section aria-label={props.label} tabIndex={0} style={{ overflowX: 'auto', marginTop: '1rem' }}>
      {props.children}
    </section>
  );
}

function phaseLabel(a: ActivityView): string {
  const open = a.schedules.find((s) => s.enabled && s.openedAt && !s.closedAt);
  if (open) return `${open.phase} is open`;
  const enabled = a.schedules.filter((s) => s.enabled);
  if (enabled.length > 0 && enabled.every((s) => s.closedAt)) return 'Finished';
  return 'Not started';
}

function Schedule({ activity }: { activity: ActivityView }) {
  return (
    <table>
      <caption class="muted" style={{ textAlign: 'left' }}>
        Phases and deadlines
      </caption>
      <thead>
        <tr>
          <th scope="col">Phase</th>
          <th scope="col">Opens</th>
          <th scope="col">Closes</th>
          <th scope="col">State</th>
        </tr>
      </thead>
      <tbody>
        {activity.schedules
          .filter((s) => s.enabled)
          .map((s) => (
            <tr key={s.id}>
              <th scope="row">{s.phase}</th>
              <td>{s.manual ? 'by the instructor' : when(s.startsAt)}</td>
              <td>{s.manual ? 'by the instructor' : when(s.endsAt)}</td>
              <td>{s.closedAt ? 'closed' : s.openedAt ? 'open' : 'not yet'}</td>
            </tr>
          ))}
      </tbody>
    </table>
  );
}

/** One number input per rubric criterion, named `<prefix><criterion id>`. */
function RubricInputs(props: {
  rubric: readonly Criterion[];
  prefix: string;
  values?: Record<string, number>;
}) {
  return (
    <>
      {props.rubric.map((c) => {
        const id = `${props.prefix}${c.id}`;
        return (
          <div class="field" key={c.id}>
            <label for={id}>
              {c.title} ({c.min}–{c.max})
            </label>
            <input
              id={id}
              name={id}
              type="number"
              min={c.min}
              max={c.max}
              step={1}
              required
              value={props.values?.[c.id] !== undefined ? String(props.values[c.id]) : undefined}
            />
          </div>
        );
      })}
    </>
  );
}

export interface StudentView {
  readonly activity: ActivityView;
  readonly csrf: string;
  readonly work: SubmissionRow | undefined;
  readonly reviews: readonly ReviewTask[];
  readonly feedback: readonly Feedback[];
  readonly grade: StudentGrade | undefined;
  readonly notice?: string | undefined;
  readonly error?: string | undefined;
}

const isOpen = (a: ActivityView, phase: string) =>
  a.schedules.some((s) => s.phase === phase && s.enabled && s.openedAt && !s.closedAt);

function Work({ view }: { view: StudentView }) {
  const { activity, work } = view;
  const base = `/assessment/${activity.id}`;
  if (work?.status === 'submitted')
    return (
      <section>
        <h2>Your work</h2>
        <p class="muted">
          Submitted {when(work.submittedAt)}
          {work.late ? ' (late)' : ''}.
        </p>
        <pre>{work.contentCreate}</pre>
        {work.contentRevise !== null ? (
          <>
            <h3>Your revision</h3>
            <pre>{work.contentRevise}</pre>
          </>
        ) : null}
      </section>
    );
  const canSubmit = isOpen(activity, 'Create') || (activity.allowLate && isOpen(activity, 'Assess'));
  return (
    <section>
      <h2>Your work</h2>
      {canSubmit ? (
        <form method="post" action={`${base}/work`} class="stack" style={{ maxWidth: 'none' }}>
          <CsrfField token={view.csrf} />
          <div class="field">
            <label for="work-content">Your text</label>
            <textarea id="work-content" name="content" rows={10} maxLength={200000} style={wide}>
              {work?.contentCreate ?? ''}
            </textarea>
          </div>
          {activity.selfAssessCreate ? (
            <fieldset>
              <legend>Assess your own work</legend>
              <RubricInputs rubric={activity.rubric} prefix="self_" values={work?.selfCreate ?? undefined} />
            </fieldset>
          ) : null}
          <div>
            <button type="submit" name="action" value="submit">
              Submit
            </button>{' '}
            <button type="submit" name="action" value="draft" class="secondary">
              Save draft
            </button>
          </div>
        </form>
      ) : (
        <p>{work ? 'Your draft was not submitted.' : 'The Create phase is not open.'}</p>
      )}
    </section>
  );
}

function Reviews({ view }: { view: StudentView }) {
  const { activity } = view;
  if (view.reviews.length === 0) return null;
  const open = isOpen(activity, 'Assess');
  return (
    <section>
      <h2>Reviews to do</h2>
      {view.reviews.map((task, n) => (
        <article key={task.id} style={{ borderTop: '1px solid var(--line)', paddingTop: '1rem' }}>
          <h3>
            Work {n + 1}
            {task.submission.author ? '' : ' (anonymous)'}:{' '}
            {task.status === 'submitted' ? 'reviewed' : 'to review'}
          </h3>
          <pre>{task.submission.content}</pre>
          {open && task.status !== 'submitted' ? (
            <form method="post" action={`/assessment/${activity.id}/reviews/${task.id}`} class="stack">
              <CsrfField token={view.csrf} />
              <RubricInputs rubric={activity.rubric} prefix={`r${n}_`} values={task.scores} />
              <div class="field">
                <label for={`r${n}-comment`}>Comment</label>
                <textarea id={`r${n}-comment`} name="comment" rows={4} maxLength={20000} style={wide}>
                  {task.comment}
                </textarea>
              </div>
              <input type="hidden" name="prefix" value={`r${n}_`} />
              <div>
                <button type="submit" name="action" value="submit">
                  Submit review
                </button>{' '}
                <button type="submit" name="action" value="draft" class="secondary">
                  Save draft
                </button>
              </div>
            </form>
          ) : (
            <p class="muted">
              {task.status === 'submitted' ? 'Your review was submitted.' : 'Reviews are closed.'}
            </p>
          )}
        </article>
      ))}
    </section>
  );
}

function FeedbackSection({ view }: { view: StudentView }) {
  const { activity } = view;
  const reflect = isOpen(activity, 'Reflect');
  if (view.feedback.length === 0 && !reflect) return null;
  return (
    <section>
      <h2>Feedback you received</h2>
      {view.feedback.length === 0 ? <p>No reviews of your work yet.</p> : null}
      {view.feedback.map((f, n) => (
        <article key={f.id}>
          {/* The reviewer's account id is never shown; a name only where the activity is not anonymous. */}
          <h3>Review {n + 1}</h3>
          <ul>
            {activity.rubric.map((c) => (
              <li key={c.id}>
                {c.title}: {f.scores[c.id] ?? '—'} / {c.max}
              </li>
            ))}
          </ul>
          {f.comment ? <pre>{f.comment}</pre> : null}
          {reflect ? (
            <form method="post" action={`/assessment/${activity.id}/feedback/${f.id}`} class="inline-form">
              <CsrfField token={view.csrf} />
              <label for={`rate-${n}`}>How helpful was this review? </label>
              <select id={`rate-${n}`} name="helpfulness">
                {[1, 2, 3, 4, 5].map((v) => (
                  <option key={v} value={String(v)} selected={f.helpfulness === v}>
                    {v}
                  </option>
                ))}
              </select>{' '}
              <button type="submit" class="secondary">
                Rate
              </button>
            </form>
          ) : f.helpfulness ? (
            <p class="muted">You rated it {f.helpfulness} of 5.</p>
          ) : null}
        </article>
      ))}
      {reflect && view.work?.status === 'submitted' ? (
        <form
          method="post"
          action={`/assessment/${activity.id}/revise`}
          class="stack"
          style={{ maxWidth: 'none' }}
        >
          <CsrfField token={view.csrf} />
          <h3>Reflect and revise</h3>
          <div class="field">
            <label for="revise-content">Your revised text</label>
            <textarea id="revise-content" name="content" rows={10} maxLength={200000} style={wide}>
              {view.work.contentRevise ?? view.work.contentCreate}
            </textarea>
          </div>
          {activity.selfAssessReflect ? (
            <fieldset>
              <legend>Assess your revised work</legend>
              <RubricInputs
                rubric={activity.rubric}
                prefix="self_"
                values={view.work.selfReflect ?? undefined}
              />
            </fieldset>
          ) : null}
          <div>
            <button type="submit">Save revision</button>
          </div>
        </form>
      ) : null}
    </section>
  );
}

function GradeSection({ grade }: { grade: StudentGrade | undefined }) {
  // Before any review arrives the provisional grade is only the reflect part (0): not worth showing.
  if (!grade || grade.overall === null || (!grade.final && grade.peerMean === null)) return null;
  const n = (v: number | null) => (v === null ? '—' : String(Math.round(v * 100) / 100));
  return (
    <section>
      <h2>Your grade</h2>
      <p>
        <strong>{n(grade.overall)}</strong> of 100{' '}
        <span class="muted">{grade.final ? '(final)' : '(provisional until the activity ends)'}</span>
      </p>
      <dl class="profile">
        <dt>Peer mean</dt>
        <dd>{n(grade.peerMean)}</dd>
        <dt>Peer median</dt>
        <dd>{n(grade.peerMedian)}</dd>
        <dt>Peer mode</dt>
        <dd>{n(grade.peerMode)}</dd>
        <dt>Reviewing (helpfulness)</dt>
        <dd>{n(grade.assess)}</dd>
        <dt>Reflection</dt>
        <dd>{n(grade.reflect)}</dd>
        <dt>Instructor</dt>
        <dd>{n(grade.instructor)}</dd>
      </dl>
    </section>
  );
}

function Head(props: { activity: ActivityView; notice?: string | undefined; error?: string | undefined }) {
  const a = props.activity;
  return (
    <>
      <p>
        <a href={`/assessment/course/${a.courseId}`}>All activities of the course</a>
      </p>
      <h1>{a.title}</h1>
      <p>
        <strong>{phaseLabel(a)}</strong>
      </p>
      {props.notice ? <Notice kind="success">{props.notice}</Notice> : null}
      {props.error ? <Notice kind="error">{props.error}</Notice> : null}
      {a.instructions ? <pre>{a.instructions}</pre> : null}
      <Scroll label="Phases and deadlines">
        <Schedule activity={a} />
      </Scroll>
    </>
  );
}

export function studentPage(view: StudentView): string {
  return renderPage({
    title: view.activity.title,
    signedIn: true,
    children: (
      <>
        <Head activity={view.activity} notice={view.notice} error={view.error} />
        <Work view={view} />
        <Reviews view={view} />
        <FeedbackSection view={view} />
        <GradeSection grade={view.grade} />
      </>
    ),
  });
}

export { Head, Scroll, when };
