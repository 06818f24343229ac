import type { ComponentChildren } from 'preact';
import { renderPage } from '../../web/index.ts';
import type { User } from './identity.usecases.ts';

/**
 * The public profile: what anyone may see about a person (never the email). Other modules (badges,
 * activity) will add their sections where the placeholders are.
 */
export function ProfilePage({
  user,
  signedIn,
  activity,
  badges,
}: {
  user: User;
  signedIn: boolean;
  /** The badges module's section (renderBadges). */
  badges?: ComponentChildren;
  /** The activity module's feed section (renderFeed). */
  activity?: ComponentChildren;
}): string {
  const since = user.createdAt.toISOString().slice(0, 10);
  return renderPage({
    title: user.name,
    signedIn,
    children: (
      <>
        <h1>{user.name}</h1>
        <dl class="profile">
          <dt>Username</dt>
          <dd>{user.username}</dd>
          <dt>Member since</dt>
          <dd>
            <time datetime={user.createdAt.toISOString()}>{since}</time>
          </dd>
        </dl>
        <section aria-labelledby="badges-heading" id="badges">
          <h2 id="badges-heading">Badges</h2>
          {badges ?? <p class="muted">No badges yet.</p>}
        </section>
        <section aria-labelledby="activity-heading" id="activity">
          <h2 id="activity-heading">Activity</h2>
          {activity ?? <p class="muted">No public activity yet.</p>}
        </section>
      </>
    ),
  });
}
