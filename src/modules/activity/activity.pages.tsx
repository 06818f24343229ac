import { CsrfField, Notice, renderPage } from '../../web/index.ts';
import type { ActivityRow } from './activity.repository.ts';

export interface FeedView {
  readonly items: readonly ActivityRow[];
  /** App names by app id (null: the hub itself). */
  readonly appNames: ReadonlyMap<string | null, string>;
  /** Whether the reader may delete each item (the person it is about). */
  readonly deletable: (item: ActivityRow) => boolean;
  readonly moreHref: string | null;
  /** Shown to the owner of a private feed. */
  readonly privateNote: boolean;
  /** Link to the feed settings (the owner's own feed). */
  readonly settingsHref: string | null;
}

function who(actorUrl: string | null): string {
  if (!actorUrl) return 'Someone';
  const last = actorUrl.split('/').at(-1) ?? '';
  try {
    return decodeURIComponent(last);
  } catch {
    return last;
  }
}

function ActivityItem({ item, app, deletable }: { item: ActivityRow; app: string; deletable: boolean }) {
  const when = item.publishedAt.toISOString();
  return (
    <li class="activity">
      <p>
        {item.message ?? (
          <>
            {who(item.actorUrl)} {item.verb} <a href={item.object}>{item.object}</a>
          </>
        )}
      </p>
      <p class="muted">
        {item.actorUrl ? <a href={item.actorUrl}>{who(item.actorUrl)}</a> : 'Anonymous'} · {item.verb}{' '}
        <a href={item.verbUrl ?? item.object}>{item.verbUrl ? 'see it' : 'object'}</a> ·{' '}
        <time datetime={when}>{when.replace('T', ' ').slice(0, 16)} UTC</time> · via {app}
        {deletable ? (
          <>
            {' · '}
            <a
              href={`/activity/${item.id}/delete`}
              aria-label={`Delete the activity from ${when.slice(0, 10)}`}
            >
              Delete
            </a>
          </>
        ) : null}
      </p>
    </li>
  );
}

/** The feed as a list, for the profile page (renderFeed) and the full feed page. */
export function FeedList(view: FeedView) {
  return (
    <div class="feed">
      {view.privateNote ? (
        <Notice kind="info">Your feed is private: only you can see your activities.</Notice>
      ) : null}
      {view.items.length === 0 ? (
        <p class="muted">No public activity yet.</p>
      ) : (
        <ol class="activities">
          {view.items.map((item) => (
            <ActivityItem
              key={item.id}
              item={item}
              app={view.appNames.get(item.appId) ?? 'an app'}
              deletable={view.deletable(item)}
            />
          ))}
        </ol>
      )}
      {view.moreHref ? (
        <nav class="pager" aria-label="Activity pages">
          <a href={view.moreHref}>Older activity →</a>
        </nav>
      ) : null}
      {view.settingsHref ? (
        <p>
          <a href={view.settingsHref}>Feed privacy settings</a>
        </p>
      ) : null}
    </div>
  );
}

export function FeedPageView({ noun, signedIn, view }: { noun: string; signedIn: boolean; view: FeedView }) {
  return renderPage({
    title: 'Activity',
    signedIn,
    children: (
      <>
        <h1>Activity</h1>
        <p class="muted">
          Everything involving <a href={noun}>{noun}</a>, newest first.
        </p>
        <FeedList {...view} />
      </>
    ),
  });
}

export function DeleteConfirmPage({ item, csrf }: { item: ActivityRow; csrf: string }) {
  return renderPage({
    title: 'Delete an activity',
    signedIn: true,
    children: (
      <>
        <h1>Delete this activity?</h1>
        <blockquote>{item.message ?? `${item.verb} ${item.object}`}</blockquote>
        <p>It disappears from every feed, and the app cannot publish it again.</p>
        <form method="post" action={`/activity/${item.id}/delete`}>
          <CsrfField token={csrf} />
          <button type="submit">Delete</button> <a href="/account/activity">Cancel</a>
        </form>
      </>
    ),
  });
}

export function SettingsPage(props: {
  isPrivate: boolean;
  csrf: string;
  saved: boolean;
  profileHref: string;
}) {
  return renderPage({
    title: 'Activity feed settings',
    signedIn: true,
    children: (
      <>
        <h1>Activity feed settings</h1>
        {props.saved ? <Notice kind="success">Your feed settings were saved.</Notice> : null}
        <p>
          Your activity feed shows on <a href={props.profileHref}>your profile</a> and to apps that ask for
          it.
        </p>
        <form method="post" action="/account/activity">
          <CsrfField token={props.csrf} />
          <div class="field">
            <label for="field-private">
              <input type="checkbox" id="field-private" name="private" value="on" checked={props.isPrivate} />{' '}
              Keep my activity private (only I can see it)
            </label>
          </div>
          <button type="submit">Save</button>
        </form>
      </>
    ),
  });
}
