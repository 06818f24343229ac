import type { KoaContextWithOIDC } from 'oidc-provider';
import { renderPage } from '../../web/index.ts';

/**
 * The OpenID end-session pages (RP-initiated logout, /oidc/session/end) in the hub's own look, instead of
 * oidc-provider's stock pages (which load a third-party web font). The provider hands us its confirmation
 * form as HTML; we take its two values (where it posts, its anti-forgery token) and render our own form, so
 * nothing unescaped reaches the page.
 */
function formParts(form: string): { action: string; xsrf: string } {
  const action = /action="([^"]+)"/.exec(form)?.[1];
  const xsrf = /name="xsrf" value="([^"]+)"/.exec(form)?.[1];
  if (!action || !xsrf) throw new Error('oauth: unexpected end-session form from the provider');
  // The provider writes an absolute URL on the issuer; the page is served from the same origin.
  return { action: new URL(action, 'http://x').pathname, xsrf };
}

export async function logoutSource(ctx: KoaContextWithOIDC, form: string): Promise<void> {
  const { action, xsrf } = formParts(form);
  const app = ctx.oidc.client?.clientName;
  ctx.type = 'html';
  ctx.body = renderPage({
    title: 'Sign out',
    children: (
      <section>
        <h1>Sign out of Learnhub?</h1>
        <p>
          {app ? `${app} asked to sign you out. ` : ''}Signing out ends your Learnhub session in this browser,
          for every app that signs you in with Learnhub.
        </p>
        <form method="post" action={action} class="inline-form">
          <input type="hidden" name="xsrf" value={xsrf} />
          <button type="submit" name="logout" value="yes">
            Sign out
          </button>{' '}
          <button type="submit" class="secondary">
            Stay signed in
          </button>
        </form>
      </section>
    ),
  });
}

export async function postLogoutSuccessSource(ctx: KoaContextWithOIDC): Promise<void> {
  ctx.type = 'html';
  ctx.body = renderPage({
    title: 'Signed out',
    children: (
      <section>
        <h1>You are signed out</h1>
        <p>
          <a href="/">Learnhub home</a> · <a href="/login">Sign in again</a>
        </p>
      </section>
    ),
  });
}
