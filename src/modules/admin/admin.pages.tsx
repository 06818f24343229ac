import type { OutboxEntry } from '../../mail/index.ts';
import { renderPage } from '../../web/index.ts';

export function MailPage({ mails, nextHref }: { mails: OutboxEntry[]; nextHref: string | null }): string {
  return renderPage({
    title: 'Outbox',
    children: (
      <>
        <h1>Outbox</h1>
        <p class="muted">
          Mail the hub would have sent. It is kept here because no <code>SMTP_URL</code> is configured.
        </p>
        {mails.length === 0 ? (
          <p>No mail yet.</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">When (UTC)</th>
                <th scope="col">To</th>
                <th scope="col">Subject and message</th>
              </tr>
            </thead>
            <tbody>
              {mails.map((m) => (
                <tr key={m.id}>
                  <td>{m.createdAt.toISOString().replace('T', ' ').slice(0, 19)}</td>
                  <td>{m.to.join(', ')}</td>
                  <td>
                    <details>
                      <summary>{m.subject}</summary>
                      <p class="muted">From {m.from}</p>
                      <pre>{m.text}</pre>
                    </details>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {nextHref ? (
          <nav class="pager" aria-label="Pages">
            <a href={nextHref}>Older mail →</a>
          </nav>
        ) : null}
      </>
    ),
  });
}
