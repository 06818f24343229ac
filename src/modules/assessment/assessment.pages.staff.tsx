import { CsrfField, Notice, renderPage } from '../../web/index.ts';
import type { ActivityView } from './assessment.activities.ts';
import type { BadgeRuleView } from './assessment.badges.ts';
import { Head, Scroll, when } from './assessment.pages.tsx';
import type { Progress } from './assessment.progress.ts';

/** The instructor's pages: the activity's progress and phase controls, the course's list, a new activity. */

export interface StaffView {
  readonly activity: ActivityView;
  readonly csrf: string;
  readonly progress: Progress;
  readonly canEdit: boolean;
  /** Whether the viewer may attach a badge (instructors), and the rule there is. */
  readonly canSetBadge?: boolean | undefined;
  readonly badgeRule?: BadgeRuleView | null | undefined;
  readonly notice?: string | undefined;
  readonly error?: string | undefined;
}

function PhaseControls({ view }: { view: StaffView }) {
  const { activity } = view;
  const enabled = activity.schedules.filter((s) => s.enabled).sort((a, b) => a.order - b.order);
  const open = enabled.find((s) => s.openedAt && !s.closedAt);
  const next = enabled.find((s) => !s.openedAt);
  if (!view.canEdit || (!open && !next)) return null;
  return (
    <section>
      <h2>Phases</h2>
      <form method="post" action={`/assessment/${activity.id}/phase`} class="inline-form">
        <CsrfField token={view.csrf} />
        {next ? (
          <button type="submit" name="change" value={`${next.phase}:open`}>
            Open {next.phase}
            {open ? ` (closes ${open.phase})` : ''}
          </button>
        ) : null}{' '}
        {open ? (
          <button type="submit" name="change" value={`${open.phase}:close`} class="secondary">
            Close {open.phase}
          </button>
        ) : null}
      </form>
    </section>
  );
}

/** The badge rule: a badge (by its id in the badges module) awarded on completion or at a minimum grade. */
function BadgeRuleForm({ view }: { view: StaffView }) {
  if (!view.canSetBadge) return null;
  const rule = view.badgeRule;
  const id = view.activity.id;
  return (
    <section>
      <h2>Badge</h2>
      <p class="muted">
        {rule
          ? `Awards ${rule.badge ? `"${rule.badge.name}"` : `badge ${rule.badgeId} (deleted)`} ${
              rule.minGrade === null ? 'on completion' : `at a final grade of ${rule.minGrade} or more`
            }, once per student. A later lower grade does not take it back.`
          : 'No badge is awarded for this activity.'}
      </p>
      <form method="post" action={`/assessment/${id}/badge-rule`} class="stack">
        <CsrfField token={view.csrf} />
        <label for="badge_id">Badge id</label>
        <input
          id="badge_id"
          name="badge_id"
          inputMode="numeric"
          required
          value={rule ? String(rule.badgeId) : ''}
          aria-describedby="badge_id_help"
        />
        <small id="badge_id_help">A badge you may award (its id in the hub's badges).</small>
        <label for="min_grade">Minimum final grade (0-100)</label>
        <input
          id="min_grade"
          name="min_grade"
          inputMode="decimal"
          value={rule && rule.minGrade !== null ? String(rule.minGrade) : ''}
          aria-describedby="min_grade_help"
        />
        <small id="min_grade_help">Leave empty to award on completion (any final grade).</small>
        <div>
          <button type="submit" name="action" value="set">
            Save badge rule
          </button>{' '}
          {rule ? (
            <button type="submit" name="action" value="clear" formNoValidate class="secondary">
              Remove badge rule
            </button>
          ) : null}
        </div>
      </form>
    </section>
  );
}

export function instructorPage(view: StaffView): string {
  const { activity, progress } = view;
  const c = progress.counts;
  return renderPage({
    title: `${activity.title}: progress`,
    signedIn: true,
    children: (
      <>
        <Head activity={activity} notice={view.notice} error={view.error} />
        <PhaseControls view={view} />
        <BadgeRuleForm view={view} />
        <section>
          <h2>Progress</h2>
          <dl class="profile">
            <dt>Students</dt>
            <dd data-count="students">{c.students}</dd>
            <dt>Submitted</dt>
            <dd data-count="submitted">{c.submitted}</dd>
            <dt>Finished reviewing</dt>
            <dd data-count="reviewed">{c.reviewed}</dd>
            <dt>Reflected (revised)</dt>
            <dd data-count="reflected">{c.reflected}</dd>
          </dl>
          <p>
            <a class="button" href={`/assessment/${activity.id}/grades.csv`} download>
              Download grades (CSV)
            </a>
          </p>
          <Scroll label="Students' progress">
            <table>
              <caption class="muted" style={{ textAlign: 'left' }}>
                Each student
              </caption>
              <thead>
                <tr>
                  <th scope="col">Student</th>
                  <th scope="col">Work</th>
                  <th scope="col">Reviews</th>
                  <th scope="col">Reflected</th>
                  <th scope="col">Grade</th>
                  <th scope="col">Flags</th>
                </tr>
              </thead>
              <tbody>
                {progress.rows.map((r) => (
                  <tr key={r.userId} data-user={r.username}>
                    <th scope="row">{r.name}</th>
                    <td>{r.submitted ? (r.late ? 'submitted late' : 'submitted') : 'not yet'}</td>
                    <td>
                      {r.reviewsDone} of {r.reviewsAllocated}
                    </td>
                    <td>{r.reflected ? 'yes' : 'no'}</td>
                    <td>
                      {r.overall === null ? '—' : String(Math.round(r.overall * 100) / 100)}
                      {r.overall !== null && r.final ? ' (final)' : ''}
                    </td>
                    <td>{r.flags.join(', ') || '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Scroll>
        </section>
      </>
    ),
  });
}

export function listPage(props: {
  courseTitle: string;
  courseId: string;
  activities: readonly ActivityView[];
  canCreate: boolean;
}): string {
  return renderPage({
    title: `Peer assessment: ${props.courseTitle}`,
    signedIn: true,
    children: (
      <>
        <h1>Peer assessment in {props.courseTitle}</h1>
        {props.canCreate ? (
          <p>
            <a class="button" href={`/assessment/course/${props.courseId}/new`}>
              New activity
            </a>
          </p>
        ) : null}
        {props.activities.length === 0 ? <p>No activities yet.</p> : null}
        <ul>
          {props.activities.map((a) => {
            const open = a.schedules.find((s) => s.enabled && s.openedAt && !s.closedAt);
            return (
              <li key={a.id}>
                <a href={`/assessment/${a.id}`}>{a.title}</a>{' '}
                <span class="muted">
                  {open
                    ? `${open.phase} open${open.endsAt ? `, until ${when(open.endsAt)}` : ''}`
                    : a.schedules.some((s) => s.closedAt)
                      ? 'between phases or finished'
                      : 'not started'}
                </span>
              </li>
            );
          })}
        </ul>
      </>
    ),
  });
}

export function newActivityPage(props: {
  courseId: string;
  courseTitle: string;
  csrf: string;
  error?: string | undefined;
}): string {
  const field = (id: string, label: string, input: preact.JSX.Element) => (
    <div class="field">
      <label for={id}>{label}</label>
      {input}
    </div>
  );
  return renderPage({
    title: 'New peer-assessment activity',
    signedIn: true,
    children: (
      <>
        <h1>New activity in {props.courseTitle}</h1>
        {props.error ? <Notice kind="error">{props.error}</Notice> : null}
        <form method="post" action={`/assessment/course/${props.courseId}/new`} class="stack">
          <CsrfField token={props.csrf} />
          {field('new-title', 'Title', <input id="new-title" name="title" required maxLength={200} />)}
          {field(
            'new-instructions',
            'Instructions',
            <textarea id="new-instructions" name="instructions" rows={5} maxLength={50000} />,
          )}
          {field(
            'new-criterion',
            'Rubric criterion',
            <input id="new-criterion" name="criterion" required maxLength={200} value="Quality" />,
          )}
          {field(
            'new-max',
            'Highest score for the criterion',
            <input id="new-max" name="max" type="number" min={1} max={100} value="10" required />,
          )}
          {field(
            'new-k',
            'Reviews per piece of work',
            <input id="new-k" name="reviewers" type="number" min={1} max={10} value="3" required />,
          )}
          {field(
            'new-anonymity',
            'Anonymity',
            <select id="new-anonymity" name="anonymity">
              <option value="double">Reviewers and authors anonymous to each other</option>
              <option value="reviewers">Reviewers anonymous to authors</option>
              <option value="none">Nobody anonymous</option>
            </select>,
          )}
          <div>
            <button type="submit">Create activity</button>
          </div>
        </form>
      </>
    ),
  });
}
