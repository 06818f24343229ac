import { CsrfField, Field, Notice, renderPage } from '../../web/index.ts';
import { SCOPE_DESCRIPTIONS } from './oauth.client.ts';
import type { Connection } from './oauth.tokens.ts';
import type { App } from './oauth.usecases.ts';

export interface AppsView {
  readonly csrf: string;
  readonly apps: readonly App[];
  /** Just created or rotated: the one time its secret is shown. */
  readonly revealed?: { readonly app: App; readonly secret: string } | undefined;
  readonly error?: string | undefined;
  readonly values?: Readonly<Record<string, string>> | undefined;
  readonly notice?: string | undefined;
}

function SecretBox({ app, secret }: { app: App; secret: string }) {
  return (
    <Notice kind="success">
      <p>
        Credentials for <strong>{app.name}</strong>. Copy the secret now: it is not shown again.
      </p>
      <dl>
        <dt>client_id</dt>
        <dd>
          <code data-field="client_id">{app.clientId}</code>
        </dd>
        <dt>client_secret</dt>
        <dd>
          <code data-field="client_secret">{secret}</code>
        </dd>
      </dl>
    </Notice>
  );
}

/**
 * A destructive action's first step: a GET form to its confirmation page (works without JavaScript; the
 * POST that does it is only on that page). Styled as a secondary button, not as the page's main action.
 */
function AskFirst({ action, label }: { action: string; label: string }) {
  return (
    <form method="get" action={action} class="inline-form">
      <button type="submit" class="secondary">
        {label}
      </button>
    </form>
  );
}

/** "Disconnect Open MOOC?": what happens, the button that does it, and a way back. */
export function ConfirmPage(props: {
  title: string;
  consequences: readonly string[];
  action: string;
  button: string;
  csrf: string;
  cancelHref: string;
}): string {
  return renderPage({
    title: props.title,
    signedIn: true,
    children: (
      <>
        <h1>{props.title}</h1>
        <ul>
          {props.consequences.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
        <form method="post" action={props.action} class="inline-form">
          <CsrfField token={props.csrf} />
          <button type="submit" class="danger">
            {props.button}
          </button>
        </form>{' '}
        <a href={props.cancelHref} style="margin-left: 1rem">
          Cancel
        </a>
      </>
    ),
  });
}

/** The developer page: register apps, see their credentials, rotate secrets, delete. */
export function AppsPage(view: AppsView): string {
  const v = view.values ?? {};
  return renderPage({
    title: 'Your apps',
    signedIn: true,
    children: (
      <>
        <h1>Your apps</h1>
        <p>
          Apps sign people in with Learnhub using OpenID Connect. See <a href="/docs">the API reference</a>{' '}
          and <a href="/guides/integrating">the integration guide</a>.
        </p>
        {view.revealed ? <SecretBox app={view.revealed.app} secret={view.revealed.secret} /> : null}
        {view.notice ? <Notice kind="info">{view.notice}</Notice> : null}
        {view.apps.length === 0 ? <p class="muted">You have not registered an app yet.</p> : null}
        <ul class="apps">
          {view.apps.map((app) => (
            <li key={app.id} data-app-id={app.id}>
              <h2>{app.name}</h2>
              <p>
                client_id: <code>{app.clientId}</code>
              </p>
              <p class="muted">
                Redirect URIs: {app.redirectUris.length ? app.redirectUris.join(', ') : 'none'}
              </p>
              <p>
                <a href={`/account/apps/${app.id}/webhooks`}>Webhooks for {app.name}</a>
              </p>
              <AskFirst
                action={`/account/apps/${app.id}/secret`}
                label={`Rotate the secret of ${app.name}`}
              />{' '}
              <AskFirst action={`/account/apps/${app.id}/delete`} label={`Delete ${app.name}`} />
            </li>
          ))}
        </ul>
        <h2>Register an app</h2>
        {view.error ? <Notice kind="error">{view.error}</Notice> : null}
        <form class="stack" method="post" action="/account/apps" novalidate>
          <CsrfField token={view.csrf} />
          <Field name="name" label="Name" value={v.name} maxLength={100} />
          <Field name="homepage_url" label="Website" type="url" value={v.homepage_url} required={false} />
          <Field
            name="logo_url"
            label="Logo URL"
            type="url"
            value={v.logo_url}
            required={false}
            hint="An https image, shown when people are asked to connect."
          />
          <div class="field">
            <label for="field-redirect_uris">Redirect URIs</label>
            <p class="hint" id="field-redirect_uris-hint">
              One per line. https, or http only for localhost and 127.0.0.1.
            </p>
            <textarea
              id="field-redirect_uris"
              name="redirect_uris"
              rows={3}
              aria-describedby="field-redirect_uris-hint"
            >
              {v.redirect_uris ?? ''}
            </textarea>
          </div>
          <Field name="reply_url" label="Reply URL" type="url" value={v.reply_url} required={false} />
          <div>
            <button type="submit">Register app</button>
          </div>
        </form>
      </>
    ),
  });
}

/** Apps the person has let in, with what each may do, and a way to disconnect. */
export function ConnectionsPage(view: {
  csrf: string;
  connections: readonly Connection[];
  notice?: string | undefined;
}): string {
  return renderPage({
    title: 'Connected apps',
    signedIn: true,
    children: (
      <>
        <h1>Connected apps</h1>
        {view.notice ? <Notice kind="success">{view.notice}</Notice> : null}
        {view.connections.length === 0 ? <p class="muted">No apps are connected to your account.</p> : null}
        <ul class="connections">
          {view.connections.map(({ app, scopes, connectedAt }) => (
            <li key={app.id} data-app-id={app.id}>
              <h2>{app.name}</h2>
              <p class="muted">Connected {connectedAt.toISOString().slice(0, 10)}. It may:</p>
              <ul>
                {scopes.map((scope) => (
                  <li key={scope}>{SCOPE_DESCRIPTIONS[scope] ?? scope}</li>
                ))}
              </ul>
              <AskFirst action={`/account/connections/${app.id}/revoke`} label={`Disconnect ${app.name}`} />
            </li>
          ))}
        </ul>
      </>
    ),
  });
}
