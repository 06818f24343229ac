import { h } from 'preact';
import { CsrfField, Notice, renderPage } from '../../web/index.ts';
import type { Delivery } from './messaging.policies.ts';
import type { MessageRow, ReplyRow } from './messaging.repository.ts';

const CHOICES: readonly { value: Delivery; label: string }[] = [
  { value: 'immediately', label: 'Email me at once' },
  { value: 'daily', label: 'Daily digest' },
  { value: 'weekly', label: 'Weekly digest' },
  { value: 'never', label: 'No email (inbox only)' },
];

const when = (d: Date) => d.toISOString().replace('T', ' ').slice(0, 16);

export function InboxPage(props: { messages: MessageRow[]; unread: number; nextHref: string | null }) {
  return renderPage({
    title: 'Inbox',
    children: (
      <>
        <h1>Inbox</h1>
        <p class="muted">
          {props.unread} unread. <a href="/account/notifications">Email settings</a>
        </p>
        {props.messages.length === 0 ? (
          <p>No messages yet.</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">When (UTC)</th>
                <th scope="col">Subject</th>
              </tr>
            </thead>
            <tbody>
              {props.messages.map((m) => (
                <tr key={m.id}>
                  <td>{when(m.createdAt)}</td>
                  <td>
                    <a href={`/inbox/${m.id}`}>{m.readAt ? m.subject : <strong>{m.subject}</strong>}</a>
                    {m.readAt ? null : <span class="muted"> (unread)</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {props.nextHref ? (
          <nav class="pager" aria-label="Pages">
            <a href={props.nextHref}>Older messages →</a>
          </nav>
        ) : null}
      </>
    ),
  });
}

export function MessagePage(props: { message: MessageRow; replies: ReplyRow[]; csrf: string }) {
  const m = props.message;
  return renderPage({
    title: m.subject,
    children: (
      <>
        <p>
          <a href="/inbox">← Inbox</a>
        </p>
        <h1>{m.subject}</h1>
        <p class="muted">{when(m.createdAt)} UTC</p>
        {/* contentHtml was rendered from Markdown or escaped text and passed through an allowlist sanitiser. */}
        {h('div', { class: 'message-body', dangerouslySetInnerHTML: { __html: m.contentHtml } })}
        {props.replies.length > 0 ? (
          <section>
            <h2>Your replies</h2>
            {props.replies.map((r) => (
              <article key={r.id}>
                <p class="muted">
                  {when(r.receivedAt)} UTC · {r.deliveryStatus}
                </p>
                <pre>{r.body}</pre>
              </article>
            ))}
          </section>
        ) : null}
        <form method="post" action={`/inbox/${m.id}/read`}>
          <CsrfField token={props.csrf} />
          <input type="hidden" name="read" value="false" />
          <button type="submit">Mark as unread</button>
        </form>
      </>
    ),
  });
}

export interface PreferenceRowView {
  readonly scope: string;
  readonly label: string;
  readonly delivery: Delivery | '';
}

export function PreferencesPage(props: { rows: PreferenceRowView[]; csrf: string; saved?: boolean }) {
  return renderPage({
    title: 'Email notifications',
    children: (
      <>
        <h1>Email notifications</h1>
        {props.saved ? <Notice kind="success">Saved.</Notice> : null}
        <p>
          Every message reaches your <a href="/inbox">inbox</a>. Choose when it is also emailed. A course
          setting beats an app setting, which beats the default. Account mail (verification, password reset)
          is always sent.
        </p>
        <form method="post" action="/account/notifications">
          <CsrfField token={props.csrf} />
          {props.rows.map((row) => (
            <div class="field" key={row.scope}>
              <label for={`pref-${row.scope}`}>{row.label}</label>
              <select id={`pref-${row.scope}`} name={`pref:${row.scope}`}>
                {row.scope === 'default' ? null : (
                  <option value="" selected={row.delivery === ''}>
                    Same as default
                  </option>
                )}
                {CHOICES.map((c) => (
                  <option
                    key={c.value}
                    value={c.value}
                    selected={
                      row.delivery === c.value ||
                      (row.scope === 'default' && row.delivery === '' && c.value === 'immediately')
                    }
                  >
                    {c.label}
                  </option>
                ))}
              </select>
            </div>
          ))}
          <button type="submit">Save</button>
        </form>
      </>
    ),
  });
}

export function UnsubscribePage(props: { token: string; done: boolean; what: string }) {
  return renderPage({
    title: 'Unsubscribe',
    children: (
      <>
        <h1>Unsubscribe</h1>
        {props.done ? (
          <Notice kind="success">
            Done: no more email for {props.what}. Messages still reach your <a href="/inbox">inbox</a>.
          </Notice>
        ) : (
          // Link scanners follow GET links, so unsubscribing takes a POST (RFC 8058).
          <form method="post" action={`/unsubscribe/${props.token}`}>
            <p>Stop email for {props.what}?</p>
            <button type="submit">Unsubscribe</button>
          </form>
        )}
      </>
    ),
  });
}
