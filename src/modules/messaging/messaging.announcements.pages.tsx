import { CsrfField, Field, Notice, renderPage } from '../../web/index.ts';
import type { PageCourse } from '../courses/index.ts';
import type { AnnouncementRow } from './messaging.announcements.repository.ts';

/** The organiser's announcement pages: write (with preview), send now or later, and watch delivery. */

export const ANNOUNCE_CSS = `
.crumbs { margin: 0 0 .5rem; font-size: .95rem; }
.announce-form { display: grid; gap: 1rem; max-width: 42rem; }
.announce-form textarea { font: inherit; width: 100%; min-height: 14rem; padding: .5rem .6rem; border: 1px solid var(--line); border-radius: 6px; background: transparent; color: inherit; }
.announce-form textarea:focus, .announce-form input:focus { outline: 2px solid var(--accent); outline-offset: 1px; }
.announce-form .field-invalid textarea { border-color: #c62828; }
.announce-form fieldset { border: 0; margin: 0; padding: 0; display: grid; gap: .4rem; }
.announce-form legend { font-weight: 600; padding: 0; margin-bottom: .3rem; }
.announce-form .choice { display: flex; gap: .5rem; align-items: center; }
.announce-form .actions { display: flex; flex-wrap: wrap; gap: .75rem; }
.preview { border: 1px dashed var(--line); border-radius: 6px; padding: 1rem; margin: 1rem 0; max-width: 42rem; overflow-wrap: anywhere; }
.preview .subject { font-weight: 700; margin-top: 0; }
.stats { display: grid; grid-template-columns: repeat(auto-fit, minmax(7rem, 1fr)); gap: .75rem; margin: 1rem 0; padding: 0; list-style: none; }
.stats li { border: 1px solid var(--line); border-radius: 6px; padding: .6rem .8rem; }
.stats strong { display: block; font-size: 1.5rem; }
progress { display: block; width: 100%; max-width: 42rem; height: 1rem; }
.delivery-label { display: block; font-weight: 600; }
.announce-form input[type="datetime-local"] { font: inherit; padding: .45rem .6rem; border: 1px solid var(--line); border-radius: 6px; background: transparent; color: inherit; max-width: 16rem; }
.announce-form label[for="send_at"] { font-weight: 600; margin-top: .3rem; }
.announce-title { font-size: clamp(1.5rem, 5vw, 2rem); line-height: 1.25; overflow-wrap: anywhere; }
`;

export interface AnnounceForm {
  readonly subject: string;
  readonly body: string;
  readonly when: 'now' | 'later';
  readonly sendAt: string;
  readonly idempotencyKey: string;
}

const when = (d: Date) => `${d.toISOString().replace('T', ' ').slice(0, 16)} UTC`;

function Head({ course, title }: { course: PageCourse; title: string }) {
  return (
    <>
      <link rel="stylesheet" href="/assets/announcements.css" />
      <p class="crumbs">
        <a href="/courses">Courses</a> › <a href={course.href}>{course.title}</a> ›
      </p>
      <h1 class="announce-title">{title}</h1>
    </>
  );
}

function BodyField(props: { value: string; error: string | undefined }) {
  const described = ['body-hint', props.error ? 'body-error' : ''].filter(Boolean).join(' ');
  return (
    <div class={props.error ? 'field field-invalid' : 'field'}>
      <label for="body">Message</label>
      <p class="hint" id="body-hint">
        Markdown: **bold**, *italic*, [a link](https://example.org), lists with "-". Every active member
        receives it by email (as their notification settings say) and in their inbox.
      </p>
      <textarea
        id="body"
        name="body"
        maxLength={50_000}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={described}
      >
        {props.value}
      </textarea>
      {props.error ? (
        <p class="field-error" id="body-error">
          {props.error}
        </p>
      ) : null}
    </div>
  );
}

export function AnnounceFormPage(props: {
  course: PageCourse;
  form: AnnounceForm;
  errors: Readonly<Record<string, string>>;
  preview: { subject: string; html: string } | null;
  csrf: string;
  now: Date;
}) {
  const { course, form, errors } = props;
  const sendAtError = errors.send_at;
  return renderPage({
    title: `Announcement · ${course.title}`,
    signedIn: true,
    children: (
      <>
        <Head course={course} title="Write an announcement" />
        {errors.form ? <Notice kind="error">{errors.form}</Notice> : null}
        {Object.keys(errors).length > 0 && !errors.form ? (
          <Notice kind="error">Nothing was sent: please correct the marked fields.</Notice>
        ) : null}
        {props.preview ? (
          <section class="preview" aria-labelledby="preview-heading">
            <h2 id="preview-heading">Preview</h2>
            <p class="subject">{props.preview.subject}</p>
            <div dangerouslySetInnerHTML={{ __html: props.preview.html }} />
          </section>
        ) : null}
        <form method="post" action={`${course.href}/announcements/new`} class="announce-form" novalidate>
          <CsrfField token={props.csrf} />
          <input type="hidden" name="idempotency_key" value={form.idempotencyKey} />
          <Field
            name="subject"
            id="subject"
            label="Subject"
            value={form.subject}
            error={errors.subject}
            maxLength={200}
            hint={`Mail subjects start with [${course.title}].`}
          />
          <BodyField value={form.body} error={errors.body} />
          <fieldset aria-describedby={sendAtError ? 'send_at-error' : undefined}>
            <legend>When</legend>
            <label class="choice">
              <input type="radio" name="when" value="now" checked={form.when === 'now'} /> Send now
            </label>
            <label class="choice">
              <input type="radio" name="when" value="later" checked={form.when === 'later'} /> Send later, at:
            </label>
            <label for="send_at">Date and time (UTC)</label>
            <p class="hint" id="send_at-hint">{`It is now ${when(props.now)}.`}</p>
            <input
              id="send_at"
              name="send_at"
              type="datetime-local"
              value={form.sendAt}
              aria-invalid={sendAtError ? 'true' : undefined}
              aria-describedby={sendAtError ? 'send_at-hint send_at-error' : 'send_at-hint'}
            />
            {sendAtError ? (
              <p class="field-error" id="send_at-error">
                {sendAtError}
              </p>
            ) : null}
          </fieldset>
          <div class="actions">
            <button type="submit" name="action" value="preview" class="secondary">
              Preview
            </button>
            <button type="submit" name="action" value="send">
              {form.when === 'later' ? 'Schedule' : 'Send'}
            </button>
          </div>
        </form>
        <p>
          <a href={`${course.href}/announcements`}>Past announcements</a>
        </p>
      </>
    ),
  });
}

export interface Progress {
  readonly recipients: number;
  readonly sent: number;
  readonly pending: number;
  readonly failed: number;
  readonly notMailed: number;
}

export function progressOf(row: AnnouncementRow, counts: Record<string, number>): Progress {
  const sent = counts.sent ?? 0;
  const pending = counts.pending ?? 0;
  const failed = counts.failed ?? 0;
  return {
    recipients: row.recipients,
    sent,
    pending,
    failed,
    notMailed: row.recipients - sent - pending - failed,
  };
}

export function statusLine(row: AnnouncementRow, now: Date): string {
  if (row.status === 'cancelled') return 'Cancelled: nothing more will be sent.';
  if (row.status === 'done') return `Finished${row.completedAt ? ` ${when(row.completedAt)}` : ''}.`;
  if (row.status === 'pending' && row.scheduledFor && row.scheduledFor > now)
    return `Scheduled for ${when(row.scheduledFor)}.`;
  if (row.status === 'pending') return 'Queued: sending starts in a moment.';
  return 'Sending: members are being added and mailed.';
}

export function finished(row: AnnouncementRow): boolean {
  return row.status === 'done' || row.status === 'cancelled';
}

/** The subject as the organiser wrote it: mail subjects carry a `[Course title]` prefix. */
function withoutPrefix(subject: string, title: string): string {
  const prefix = `[${title}] `;
  return subject.startsWith(prefix) ? subject.slice(prefix.length) : subject;
}

export function ProgressPage(props: {
  course: PageCourse;
  row: AnnouncementRow;
  progress: Progress;
  csrf: string;
  now: Date;
  justSent: boolean;
}) {
  const { course, row, progress: p } = props;
  const href = `${course.href}/announcements/${row.id}`;
  const handled = p.sent + p.failed + Math.max(p.notMailed, 0);
  return renderPage({
    title: `Announcement progress · ${course.title}`,
    signedIn: true,
    children: (
      <>
        <Head course={course} title={`Announcement: ${withoutPrefix(row.subject, course.title)}`} />
        <p class="muted">{`Mail subject: ${row.subject}`}</p>
        {props.justSent ? (
          <Notice kind="success">
            {row.scheduledFor && row.scheduledFor > props.now
              ? 'Scheduled.'
              : 'Accepted: sending has started.'}
          </Notice>
        ) : null}
        <p role="status">{statusLine(row, props.now)}</p>
        <ul class="stats" aria-label="Delivery counts">
          <li>
            <strong>{p.recipients}</strong> {p.recipients === 1 ? 'recipient' : 'recipients'}
          </li>
          <li>
            <strong>{p.pending}</strong> queued
          </li>
          <li>
            <strong>{p.sent}</strong> emailed
          </li>
          <li>
            <strong>{p.failed}</strong> failed
          </li>
          <li>
            <strong>{Math.max(p.notMailed, 0)}</strong> inbox only
          </li>
        </ul>
        <label for="delivery" class="delivery-label">
          Delivery
        </label>
        <progress id="delivery" max={Math.max(p.recipients, 1)} value={p.recipients === 0 ? 0 : handled}>
          {`${handled} of ${p.recipients}`}
        </progress>
        <p class="muted">
          "Inbox only" are members whose settings hold mail back (a digest, no email) or who have no usable
          address; they read it in their inbox.
        </p>
        <p>
          {finished(row) ? null : (
            <>
              <a href={href}>Refresh</a> (this page also reloads itself every 10 seconds) ·{' '}
            </>
          )}
          <a href={`${course.href}/announcements`}>All announcements</a> ·{' '}
          <a href={`${course.href}/announcements/new`}>Write another</a>
        </p>
        {finished(row) ? null : (
          <form method="post" action={`${href}/cancel`}>
            <CsrfField token={props.csrf} />
            <button type="submit" class="secondary">
              Cancel what is not sent yet
            </button>
          </form>
        )}
      </>
    ),
  });
}

export function AnnouncementListPage(props: {
  course: PageCourse;
  items: { row: AnnouncementRow; progress: Progress }[];
  now: Date;
}) {
  const { course } = props;
  return renderPage({
    title: `Announcements · ${course.title}`,
    signedIn: true,
    children: (
      <>
        <Head course={course} title="Announcements" />
        <p>
          <a class="button" href={`${course.href}/announcements/new`}>
            Write an announcement
          </a>
        </p>
        {props.items.length === 0 ? (
          <p>No announcements yet.</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">Subject</th>
                <th scope="col">Status</th>
                <th scope="col">Emailed</th>
              </tr>
            </thead>
            <tbody>
              {props.items.map(({ row, progress }) => (
                <tr>
                  <td>
                    <a href={`${course.href}/announcements/${row.id}`}>{row.subject}</a>
                    <br />
                    <span class="muted">{when(row.createdAt)}</span>
                  </td>
                  <td>{statusLine(row, props.now)}</td>
                  <td>{`${progress.sent} of ${progress.recipients}`}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </>
    ),
  });
}
