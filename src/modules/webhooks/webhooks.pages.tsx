import { ConfirmButton, CsrfField, Field, Notice, renderPage } from '../../web/index.ts';
import type { App } from '../oauth/index.ts';
import type { DeliverySummary, EndpointOverview } from './webhooks.account.ts';
import type { EndpointRow } from './webhooks.repository.ts';

export interface WebhooksView {
  readonly app: App;
  readonly csrf: string;
  readonly endpoints: readonly EndpointOverview[];
  /** Just created or rotated: the one time the signing secret is shown. */
  readonly revealed?: { readonly endpoint: EndpointRow; readonly secret: string } | undefined;
  readonly notice?: string | undefined;
  readonly error?: string | undefined;
  readonly values?: { readonly url?: string; readonly event_types?: string } | undefined;
}

const base = (app: App) => `/account/apps/${app.id}/webhooks`;

function when(date: Date | null | undefined): string {
  return date
    ? date
        .toISOString()
        .replace('T', ' ')
        .replace(/\.\d+Z$/, ' UTC')
    : '—';
}

function Action(props: { action: string; csrf: string; label: string; secondary?: boolean }) {
  return (
    <form method="post" action={props.action} class="inline-form">
      <CsrfField token={props.csrf} />
      <button type="submit" class={props.secondary ? 'secondary' : undefined}>
        {props.label}
      </button>
    </form>
  );
}

function Deliveries(props: {
  app: App;
  endpoint: EndpointRow;
  rows: readonly DeliverySummary[];
  csrf: string;
}) {
  if (props.rows.length === 0) return <p class="muted">No deliveries yet.</p>;
  return (
    <table>
      <caption>Recent deliveries</caption>
      <thead>
        <tr>
          <th scope="col">Event</th>
          <th scope="col">Status</th>
          <th scope="col">Response</th>
          <th scope="col">Duration</th>
          <th scope="col">Last attempt</th>
          <th scope="col">Actions</th>
        </tr>
      </thead>
      <tbody>
        {props.rows.map(({ delivery, lastAttempt }) => (
          <tr key={delivery.id} data-delivery-id={delivery.id}>
            <td>
              <code>{delivery.eventType}</code>
            </td>
            <td>
              <span data-field="status">{delivery.status}</span>
              {delivery.status === 'pending' && delivery.nextAttemptAt ? (
                <span class="muted"> · next try {when(delivery.nextAttemptAt)}</span>
              ) : null}
            </td>
            <td data-field="code">
              {lastAttempt
                ? (lastAttempt.statusCode ?? lastAttempt.error ?? '—')
                : delivery.status === 'pending'
                  ? 'not sent yet'
                  : (delivery.lastError ?? '—')}
            </td>
            <td data-field="duration">{lastAttempt ? `${lastAttempt.durationMs} ms` : '—'}</td>
            <td>{when(lastAttempt?.attemptedAt)}</td>
            <td>
              {props.endpoint.enabled ? (
                <Action
                  action={`${base(props.app)}/${props.endpoint.id}/deliveries/${delivery.id}/redeliver`}
                  csrf={props.csrf}
                  label="Redeliver"
                  secondary
                />
              ) : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function EndpointItem(props: { app: App; overview: EndpointOverview; csrf: string }) {
  const { endpoint, deliveries } = props.overview;
  const at = `${base(props.app)}/${endpoint.id}`;
  return (
    <li data-endpoint-id={endpoint.id}>
      <h2>
        <code>{endpoint.url}</code>
      </h2>
      <p>
        Events: {endpoint.eventTypes.join(', ')} ·{' '}
        {endpoint.enabled ? <strong>enabled</strong> : <strong>disabled</strong>}
        {endpoint.disabledReason ? ` — ${endpoint.disabledReason}` : ''}
      </p>
      <p>
        {endpoint.enabled ? (
          <>
            <Action action={`${at}/test`} csrf={props.csrf} label="Send test event" />{' '}
            <Action action={`${at}/disable`} csrf={props.csrf} label="Disable" secondary />
          </>
        ) : (
          <Action action={`${at}/enable`} csrf={props.csrf} label="Enable" />
        )}{' '}
      </p>
      <ConfirmButton
        id={`rotate-${endpoint.id}`}
        action={`${at}/rotate-secret`}
        csrf={props.csrf}
        label="Rotate secret"
        confirm="Yes, rotate: deliveries are signed with the new secret from now on"
      />{' '}
      <ConfirmButton
        id={`delete-${endpoint.id}`}
        action={`${at}/delete`}
        csrf={props.csrf}
        label="Delete endpoint"
        confirm="Yes, delete this endpoint and its delivery log"
      />
      <Deliveries app={props.app} endpoint={endpoint} rows={deliveries} csrf={props.csrf} />
    </li>
  );
}

/** The owner's webhooks page for one app: endpoints, recent deliveries, redelivery, a new endpoint. */
export function WebhooksPage(view: WebhooksView): string {
  return renderPage({
    title: `Webhooks · ${view.app.name}`,
    signedIn: true,
    children: (
      <>
        <p>
          <a href="/account/apps">Your apps</a>
        </p>
        <h1>Webhooks of {view.app.name}</h1>
        <p>
          Learnhub signs every delivery by the Standard Webhooks scheme and retries failures for about three
          days. See <a href="/guides/webhooks">the webhooks guide</a>.
        </p>
        {view.revealed ? (
          <Notice kind="success">
            <p>
              Signing secret for <code>{view.revealed.endpoint.url}</code>. Copy it now: it is not shown
              again.
            </p>
            <p>
              <code data-field="secret">{view.revealed.secret}</code>
            </p>
          </Notice>
        ) : null}
        {view.notice ? <Notice kind="info">{view.notice}</Notice> : null}
        {view.endpoints.length === 0 ? <p class="muted">No endpoints yet.</p> : null}
        <ul class="endpoints">
          {view.endpoints.map((overview) => (
            <EndpointItem key={overview.endpoint.id} app={view.app} overview={overview} csrf={view.csrf} />
          ))}
        </ul>
        <h2>Add an endpoint</h2>
        {view.error ? <Notice kind="error">{view.error}</Notice> : null}
        <form class="stack" method="post" action={base(view.app)} novalidate>
          <CsrfField token={view.csrf} />
          <Field name="url" label="URL" type="url" value={view.values?.url} maxLength={2000} />
          <Field
            name="event_types"
            label="Event types"
            hint="Separated by commas or spaces, e.g. user.created app.authorized; * for every type."
            value={view.values?.event_types ?? '*'}
          />
          <button type="submit">Add endpoint</button>
        </form>
      </>
    ),
  });
}
