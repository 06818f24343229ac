import { CsrfField, Notice, renderPage } from '../../web/index.ts';
import type { ActivityRow } from './activity.repository.ts';
import {
  exactTime,
  groupByDay,
  type Linked,
  relativeTime,
  type Sentence,
  sentenceOf,
  sentenceText,
} from './activity.sentences.ts';

export interface FeedView {
  readonly items: readonly ActivityRow[];
  /** App names by app id (null: the hub itself). */
  readonly appNames: ReadonlyMap<string | null, string>;
  /** Display names: people by user id, titles by object or course URL. */
  readonly names: {
    readonly people: ReadonlyMap<string, string>;
    readonly titles: ReadonlyMap<string, string>;
  };
  /** The time relative times are measured from (the hub's clock). */
  readonly now: Date;
  /** Whether the reader may delete each item (the person it is about). */
  readonly deletable: (item: ActivityRow) => boolean;
  readonly moreHref: string | null;
  /** Shown to the owner of a private feed. */
  readonly privateNote: boolean;
  /** Link to the feed settings (the owner's own feed). */
  readonly settingsHref: string | null;
}

function sentenceFor(item: ActivityRow, view: FeedView): Sentence {
  return sentenceOf(item, {
    actor: item.actorUserId ? view.names.people.get(item.actorUserId) : undefined,
    object: view.names.titles.get(item.object),
    course: item.course ? view.names.titles.get(item.course) : undefined,
    app: view.appNames.get(item.appId) ?? 'an app',
  });
}

function Link({ part }: { part: Linked }) {
  const link = part.href ? <a href={part.href}>{part.text}</a> : part.text;
  return part.quoted ? <>“{link}”</> : link;
}

function ActivityItem({ item, view }: { item: ActivityRow; view: FeedView }) {
  const s = sentenceFor(item, view);
  const when = item.publishedAt;
  return (
    <li class="activity" style="margin: 0 0 .9rem">
      <p class="activity-sentence" style="margin: 0">
        <Link part={s.actor} /> {s.verb} <Link part={s.object} />
        {s.course ? (
          <>
            {' in '}
            <Link part={s.course} />
          </>
        ) : null}
      </p>
      {s.summary ? (
        <p class="activity-summary" style="margin: .15rem 0 0; font-style: italic">
          “{s.summary}”
        </p>
      ) : null}
      <p class="muted activity-meta" style="margin: .15rem 0 0; font-size: .9rem">
        <time datetime={when.toISOString()} title={exactTime(when)}>
          {relativeTime(when, view.now)}
        </time>
        {item.appId !== null ? <> · {s.app}</> : null}
        {view.deletable(item) ? (
          <>
            {' · '}
            <a href={`/activity/${item.id}/delete`} aria-label={`Delete “${sentenceText(s)}”`}>
              Delete
            </a>
          </>
        ) : null}
      </p>
    </li>
  );
}

/** The feed as a list grouped by day, for the profile page (renderFeed) and the full feed page. */
export function FeedList(view: FeedView) {
  const days = groupByDay(view.items, (i) => i.publishedAt, view.now);
  return (
    <div class="feed">
      {view.privateNote ? (
        <Notice kind="info">Your feed is private: only you can see your activities.</Notice>
      ) : null}
      {view.items.length === 0 ? (
        <p class="muted">No public activity yet.</p>
      ) : (
        days.map((day) => (
          <section class="activity-day" key={day.key} aria-label={day.label}>
            <h3 class="activity-day-label" style="font-size: 1rem; margin: 1.25rem 0 .5rem">
              {day.label}
            </h3>
            {/* Inline styles: the shared stylesheet (src/web/styles.ts) is another helper's; fold them in there. */}
            <ol class="activities" style="list-style: none; padding: 0; margin: 0">
              {day.items.map((item) => (
                <ActivityItem key={item.id} item={item} view={view} />
              ))}
            </ol>
          </section>
        ))
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
        <blockquote>{item.message ?? `${item.verb} ${item.objectName ?? item.object}`}</blockquote>
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
