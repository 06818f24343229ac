import type { ErrorOut } from 'oidc-provider';
import { CsrfField, Notice, renderPage } from '../../web/index.ts';
import { SCOPE_DESCRIPTIONS } from './oauth.client.ts';

export interface ConsentView {
  readonly uid: string;
  readonly csrf: string;
  readonly app: {
    readonly name: string;
    readonly homepageUrl: string | null;
    readonly logoUrl: string | null;
  };
  readonly user: { readonly name: string; readonly username: string };
  /** Scopes asked for that the user has not granted this app yet. */
  readonly scopes: readonly string[];
}

/** The consent screen: what the app asks for, in plain words, and two buttons. */
export function ConsentPage(view: ConsentView): string {
  const { app } = view;
  return renderPage({
    title: `Connect ${app.name}`,
    signedIn: true,
    children: (
      <section class="consent" aria-labelledby="consent-title">
        {app.logoUrl ? <img src={app.logoUrl} alt="" width={64} height={64} /> : null}
        <h1 id="consent-title">{app.name} wants to connect to your Learnhub account</h1>
        <p class="muted">
          Signed in as {view.user.name} (@{view.user.username}).
          {app.homepageUrl ? (
            <>
              {' '}
              The app's website: <a href={app.homepageUrl}>{app.homepageUrl}</a>
            </>
          ) : null}
        </p>
        <p>If you allow it, {app.name} will be able to:</p>
        <ul class="scopes">
          {view.scopes.map((scope) => (
            <li key={scope} data-scope={scope}>
              {SCOPE_DESCRIPTIONS[scope] ?? scope}
            </li>
          ))}
        </ul>
        <p class="muted">
          You can disconnect it at any time under <a href="/account/connections">Connected apps</a>.
        </p>
        <form method="post" action={`/interaction/${view.uid}/consent`} class="inline-form">
          <CsrfField token={view.csrf} />
          <button type="submit" name="decision" value="allow">
            Allow
          </button>{' '}
          <button type="submit" name="decision" value="deny" class="secondary">
            Deny
          </button>
        </form>
      </section>
    ),
  });
}

/** Our sign-in request failed or expired: say so in words, and how to start again. */
export function InteractionErrorPage(props: { title: string; message: string }): string {
  return renderPage({
    title: props.title,
    children: (
      <>
        <h1>{props.title}</h1>
        <Notice kind="error">{props.message}</Notice>
        <p>
          Go back to the app you came from and sign in again. <a href="/">Learnhub home</a>
        </p>
      </>
    ),
  });
}

/** oidc-provider's own error page (a bad authorization request that cannot go back to the app). */
export function renderProviderError(out: ErrorOut): string {
  const detail =
    typeof out.error_description === 'string' ? out.error_description : 'The request was invalid.';
  return InteractionErrorPage({
    title: 'This sign-in request cannot be completed',
    message: `${detail} (${String(out.error)})`,
  });
}
