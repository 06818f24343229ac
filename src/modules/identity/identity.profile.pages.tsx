import type { ComponentChildren } from 'preact';
import { renderPage } from '../../web/index.ts';
import type { User } from './identity.usecases.ts';

/** A contributed section, rendered (see identity.profile.sections.ts). */
export interface RenderedSection {
  readonly id: string;
  readonly heading: string;
  readonly empty: string;
  readonly content: ComponentChildren | undefined;
}

/**
 * The public profile: what anyone may see about a person (never the email), then the sections other
 * modules contribute (badges, activity, ...), in their order.
 */
export function ProfilePage({
  user,
  signedIn,
  sections,
}: {
  user: User;
  signedIn: boolean;
  sections: readonly RenderedSection[];
}): string {
  const since = user.createdAt.toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });
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
        {sections.map((section) => (
          <section aria-labelledby={`${section.id}-heading`} id={section.id}>
            <h2 id={`${section.id}-heading`}>{section.heading}</h2>
            {section.content ?? <p class="muted">{section.empty}</p>}
          </section>
        ))}
      </>
    ),
  });
}
