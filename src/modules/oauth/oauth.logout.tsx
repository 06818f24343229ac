import type Provider from 'oidc-provider';
import type { KoaContextWithOIDC } from 'oidc-provider';
import type { Deps } from '../../deps.ts';
import { renderPage } from '../../web/index.ts';
import { endSessionByToken, SESSION_COOKIE } from '../identity/index.ts';

/**
 * The OpenID end-session pages (RP-initiated logout, /oidc/session/end) in the hub's own look, instead of
 * oidc-provider's stock pages (which load a third-party web font). The provider hands us its confirmation
 * form as HTML; we take its two values (where it posts, its anti-forgery token) and render our own form, so
 * nothing unescaped reaches the page.
 *
 * Signing out here signs the person out of the hub too. The provider's confirm endpoint has a second caller:
 * during an account switch (someone else signed in to the hub on this browser) it ends the previous person's
 * provider session with a self-submitting form that also says `logout=yes`, and by then the hub cookie is the
 * new person's. So the hub session is ended only when the person confirmed on OUR page: rendering it marks the
 * provider session's logout state (server side, in the provider session, next to the anti-forgery secret), and
 * an account switch replaces that state with a fresh one that carries no mark.
 */
const HUB_SIGN_OUT = 'learnhubSignOut';
/** Where the end-session hook leaves the hub cookie to end for the middleware that awaits the deletion. */
const PENDING = Symbol('learnhub hub sign-out');

function formParts(form: string): { action: string; xsrf: string } {
  const action = /action="([^"]+)"/.exec(form)?.[1];
  const xsrf = /name="xsrf" value="([^"]+)"/.exec(form)?.[1];
  if (!action || !xsrf) throw new Error('oauth: unexpected end-session form from the provider');
  // The provider writes an absolute URL on the issuer; the page is served from the same origin.
  return { action: new URL(action, 'http://x').pathname, xsrf };
}

export async function logoutSource(ctx: KoaContextWithOIDC, form: string): Promise<void> {
  const { action, xsrf } = formParts(form);
  const state = ctx.oidc.session?.state;
  if (state) state[HUB_SIGN_OUT] = true;
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

/**
 * Ends the hub session when the person confirmed "Sign out" on the hub's end-session page (see above). The
 * cookie is cleared in the same response; the stored session row is deleted before the response goes out.
 */
export function endHubSessionOnSignOut(provider: Provider, deps: Pick<Deps, 'db' | 'config'>): void {
  provider.on('end_session.success', (ctx: KoaContextWithOIDC) => {
    if (!ctx.oidc.params?.logout || ctx.oidc.session?.state?.[HUB_SIGN_OUT] !== true) return;
    const token = ctx.cookies.get(SESSION_COOKIE);
    ctx.cookies.set(SESSION_COOKIE, null, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: deps.config.publicUrl.startsWith('https:'),
      overwrite: true,
    });
    if (token) (ctx.state as Record<symbol, unknown>)[PENDING] = token;
  });
  provider.use(async (ctx, next) => {
    await next();
    const token = (ctx.state as Record<symbol, unknown>)[PENDING];
    if (typeof token === 'string') await endSessionByToken(deps, token);
  });
}
