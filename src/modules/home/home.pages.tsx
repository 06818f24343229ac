import { renderPage } from '../../web/index.ts';
import type { Course } from '../courses/index.ts';
import type { Dashboard } from './home.usecases.ts';

/** A course's page on this hub: the path of its URL, so links stay on the origin the person is using. */
function coursePath(course: Pick<Course, 'url' | 'path'>): string {
  try {
    return new URL(course.url).pathname;
  } catch {
    return `/courses/${encodeURIComponent(course.path)}`;
  }
}

function day(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function SearchForm({ id }: { id: string }) {
  return (
    <form class="course-search" method="get" action="/courses" aria-label="Course search">
      <label for={id} class="visually-hidden">
        Search courses
      </label>
      <input
        type="search"
        id={id}
        name="q"
        placeholder="Search courses, e.g. open education"
        maxLength={200}
      />
      <button type="submit">Search</button>
    </form>
  );
}

/** The home page for visitors: what the hub is, the course search, and the way in. */
export function LandingPage(): string {
  return renderPage({
    title: 'Learn together',
    signedIn: false,
    children: (
      <>
        <section class="hero" aria-labelledby="hero-heading">
          <h1 id="hero-heading">Learn together, in the open</h1>
          <p>
            Find a course run by peers, join its class, hear from the organisers and earn a badge you can show
            anywhere.
          </p>
          <SearchForm id="landing-search" />
          <p>
            <a class="button" href="/signup">
              Create an account
            </a>{' '}
            <a class="button secondary" href="/login">
              Sign in
            </a>
          </p>
        </section>
        <section aria-labelledby="how-heading">
          <h2 id="how-heading">How it works</h2>
          <div class="cards">
            <div class="card">
              <h3>Find a course</h3>
              <p>
                Search the <a href="/courses">course register</a> by topic, language and style, and join the
                class that suits you.
              </p>
            </div>
            <div class="card">
              <h3>Keep up</h3>
              <p>Organisers' weekly mail and messages from the sites you use arrive in one inbox.</p>
            </div>
            <div class="card">
              <h3>Show what you learnt</h3>
              <p>Badges land on your profile with your activity, and anyone can verify them.</p>
            </div>
          </div>
        </section>
        <section aria-labelledby="build-heading">
          <h2 id="build-heading">Building a learning site?</h2>
          <p>
            Let people sign in with Learnhub and use its courses, messages, activity and badges: see the{' '}
            <a href="/guides/integrating">integration guide</a> and the <a href="/docs">API reference</a>.
          </p>
        </section>
      </>
    ),
  });
}

function CoursesCard({ view }: { view: Dashboard }) {
  const { joined, running } = view.courses;
  return (
    <section class="card" aria-labelledby="courses-heading">
      <h2 id="courses-heading">Your courses</h2>
      {joined.length === 0 && running.length === 0 ? (
        <p class="muted">You have not joined a course yet.</p>
      ) : null}
      {joined.length > 0 ? (
        <ul>
          {joined.map(({ course, klass, role }) => (
            <li key={course.id}>
              <a href={coursePath(course)}>{course.title}</a>
              {klass ? <span class="muted"> · class {klass.title}</span> : null}
              {role !== 'Student' ? <span class="muted"> · {role}</span> : null}
            </li>
          ))}
        </ul>
      ) : null}
      {running.length > 0 ? (
        <>
          <h3>Courses you run</h3>
          <ul>
            {running.map((course) => (
              <li key={course.id}>
                <a href={coursePath(course)}>{course.title}</a>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <p class="more">
        <a href="/courses">Find a course</a>
      </p>
    </section>
  );
}

function InboxCard({ view }: { view: Dashboard }) {
  return (
    <section class="card" aria-labelledby="inbox-heading">
      <h2 id="inbox-heading">Messages</h2>
      <p>{view.unread === 0 ? 'No unread messages.' : `${view.unread} unread.`}</p>
      {view.messages.length > 0 ? (
        <ul>
          {view.messages.map((m) => (
            <li key={m.id}>
              <a href={`/inbox/${m.id}`}>{m.read ? m.subject : <strong>{m.subject}</strong>}</a>{' '}
              <span class="muted">
                {m.read ? '' : '(unread) '}
                {day(m.createdAt)}
              </span>
            </li>
          ))}
        </ul>
      ) : null}
      <p class="more">
        <a href="/inbox">Open your inbox</a>
      </p>
    </section>
  );
}

function BadgesCard({ view }: { view: Dashboard }) {
  return (
    <section class="card" aria-labelledby="badges-heading">
      <h2 id="badges-heading">Latest badges</h2>
      {view.badges.length === 0 ? (
        <p class="muted">
          {view.user.emailVerified
            ? 'No badges yet.'
            : 'Badges are awarded to your email address: confirm it on your account page to see them.'}
        </p>
      ) : (
        <ul>
          {view.badges.map((b) => (
            <li key={b.verify_url}>
              <a href={b.verify_url}>{b.badge.name}</a> <span class="muted">{b.issued_on.slice(0, 10)}</span>
            </li>
          ))}
        </ul>
      )}
      <p class="more">
        <a href="/account/badges">All your badges</a>
      </p>
    </section>
  );
}

function ReviewsCard({ view }: { view: Dashboard }) {
  if (view.reviews.length === 0) return null;
  return (
    <section class="card" aria-labelledby="reviews-heading">
      <h2 id="reviews-heading">Peer reviews to do</h2>
      <ul>
        {view.reviews.map((r) => (
          <li key={r.activityId}>
            {r.open === 1 ? '1 review' : `${r.open} reviews`} in <strong>{r.title}</strong>
            {r.course ? (
              <>
                {' '}
                (<a href={coursePath(r.course)}>{r.course.title}</a>)
              </>
            ) : null}
          </li>
        ))}
      </ul>
      <p class="hint">The course's learning site shows the work to review.</p>
    </section>
  );
}

/** The home page for a signed-in person. */
export function DashboardPage(view: Dashboard): string {
  const profile = `/u/${encodeURIComponent(view.user.username)}`;
  return renderPage({
    title: 'Your hub',
    signedIn: true,
    children: (
      <>
        <h1>Welcome back, {view.user.name}</h1>
        <p>
          <a href={profile}>Your public profile</a> · <a href="/account">Your account</a>
        </p>
        <SearchForm id="dashboard-search" />
        <div class="cards">
          <CoursesCard view={view} />
          <InboxCard view={view} />
          <ReviewsCard view={view} />
          <BadgesCard view={view} />
        </div>
        <section aria-labelledby="activity-heading">
          <h2 id="activity-heading">Recent activity around you</h2>
          {view.activity}
        </section>
      </>
    ),
  });
}
