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
  /** Everything the app will hold if allowed: each scope, marked when the person granted it before. */
  readonly scopes: readonly { readonly scope: string; readonly granted: boolean }[];
  /** Where the person goes afterwards (the host of the app's redirect URI). */
  readonly returnHost: string | null;
}

/**
 * The consent screen: everything the app will hold, in plain words (new permissions and those allowed
 * before, marked), where the person goes next, and two buttons.
 */
export function ConsentPage(view: ConsentView): string {
  const { app } = view;
  const fresh = view.scopes.filter((s) => !s.granted);
  const renewing = fresh.length === 0;
  return renderPage({
    title: `Connect ${app.name}`,
    signedIn: true,
    children: (
      <section class="consent" aria-labelledby="consent-title">
        {app.logoUrl ? <img src={app.logoUrl} alt="" width={64} height={64} /> : null}
        <h1 id="consent-title">
          {renewing
            ? `${app.name} asks you to confirm its connection to your Learnhub account`
            : `${app.name} wants to connect to your Learnhub account`}
        </h1>
        <p class="muted">
          Signed in as {view.user.name} (@{view.user.username}).
          {app.homepageUrl ? (
            <>
              {' '}
              The app's website: <a href={app.homepageUrl}>{app.homepageUrl}</a>
            </>
          ) : null}
        </p>
        <p>
          {renewing
            ? `You allowed this before. If you allow it again, ${app.name} keeps being able to:`
            : `If you allow it, ${app.name} will be able to:`}
        </p>
        <ul class="scopes">
          {view.scopes.map(({ scope, granted }) => (
            <li key={scope} data-scope={scope} data-granted={granted ? 'true' : undefined}>
              {SCOPE_DESCRIPTIONS[scope] ?? scope}
              {granted ? <span class="muted"> (already allowed)</span> : null}
            </li>
          ))}
        </ul>
        {view.returnHost ? (
          <p>
            Then you will return to <strong>{view.returnHost}</strong>.
          </p>
        ) : null}
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
