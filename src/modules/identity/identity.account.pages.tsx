import { CsrfField, Field, HiddenField, Notice, renderPage } from '../../web/index.ts';
import type { FieldErrors } from './identity.errors.ts';
import type { User } from './identity.usecases.ts';
import { PASSWORD_MIN } from './identity.validation.ts';

export interface AccountState {
  readonly user: User;
  readonly csrf: string;
  readonly profileUrl: string;
  readonly notice?: string | undefined;
  readonly errors?: FieldErrors;
  readonly emailValue?: string;
}

export function SignOutForm({ csrf }: { csrf: string }) {
  return (
    <form method="post" action="/logout" class="inline-form">
      <CsrfField token={csrf} />
      <button type="submit" class="secondary">
        Sign out
      </button>
    </form>
  );
}

export function AccountPage(state: AccountState): string {
  const { user, csrf } = state;
  const e = state.errors ?? {};
  return renderPage({
    title: 'Your account',
    signedIn: true,
    children: (
      <>
        <h1>Your account</h1>
        {state.notice ? <Notice kind="success">{state.notice}</Notice> : null}
        {Object.keys(e).length > 0 ? (
          <Notice kind="error">Nothing was changed: see the form below.</Notice>
        ) : null}
        <dl class="profile">
          <dt>Name</dt>
          <dd>{user.name}</dd>
          <dt>Username</dt>
          <dd>{user.username}</dd>
          <dt>Email</dt>
          <dd>
            {user.email} {user.emailVerified ? '(verified)' : '(not verified yet)'}
          </dd>
          <dt>Public profile</dt>
          <dd>
            <a href={state.profileUrl}>{state.profileUrl}</a>
          </dd>
        </dl>
        {user.emailVerified ? null : (
          <Notice kind="info">
            <p>We sent a link to {user.email}. Open it to confirm your address.</p>
            <form method="post" action="/account/verify-email" class="inline-form">
              <CsrfField token={csrf} />
              <button type="submit" class="secondary">
                Send the link again
              </button>
            </form>
          </Notice>
        )}
        <section aria-labelledby="email-heading">
          <h2 id="email-heading">Change email</h2>
          <form class="stack" method="post" action="/account/email" novalidate>
            <CsrfField token={csrf} />
            <Field
              name="email"
              label="New email"
              type="email"
              autocomplete="email"
              value={state.emailValue}
              error={e.email}
            />
            <Field
              name="current_password"
              id="field-email-current_password"
              label="Current password"
              type="password"
              autocomplete="current-password"
              error={e.email_current_password}
            />
            <div>
              <button type="submit">Change email</button>
            </div>
          </form>
        </section>
        <section aria-labelledby="apps-heading">
          <h2 id="apps-heading">Apps</h2>
          <ul>
            <li>
              <a href="/account/connections">Connected apps</a>: sites you signed in to with the hub, and what
              they may do.
            </li>
            <li>
              <a href="/account/apps">Your apps</a>: register a site or app that signs people in with the hub.
            </li>
            <li>
              <a href="/account/notifications">Notifications</a>: which apps may email you, and how often.
            </li>
            <li>
              <a href="/account/badges">Your badges</a>: badges you earned here and elsewhere, verified.
            </li>
          </ul>
        </section>
        <section aria-labelledby="password-heading">
          <h2 id="password-heading">Change password</h2>
          <form class="stack" method="post" action="/account/password" novalidate>
            <CsrfField token={csrf} />
            <Field
              name="current_password"
              label="Current password"
              type="password"
              autocomplete="current-password"
              error={e.current_password}
            />
            <Field
              name="new_password"
              label="New password"
              type="password"
              autocomplete="new-password"
              error={e.new_password}
              hint={`At least ${PASSWORD_MIN} characters. Other devices are signed out.`}
            />
            <div>
              <button type="submit">Change password</button>
            </div>
          </form>
        </section>
        {user.admin ? (
          <section aria-labelledby="admin-heading">
            <h2 id="admin-heading">Hub administration</h2>
            <p>
              <a href="/admin/mail">Outbox</a>
            </p>
          </section>
        ) : null}
        <section>
          <SignOutForm csrf={csrf} />
        </section>
      </>
    ),
  });
}

export function ForgotPage(state: { csrf: string; sent?: boolean; error?: string | undefined }): string {
  return renderPage({
    title: 'Reset your password',
    signedIn: false,
    children: (
      <>
        <h1>Reset your password</h1>
        {state.sent ? (
          <Notice kind="success">
            If an account uses that address, we have sent it a link to choose a new password. The link expires
            in 1 hour.
          </Notice>
        ) : null}
        <form class="stack" method="post" action="/password/forgot" novalidate>
          <CsrfField token={state.csrf} />
          <Field name="email" label="Email" type="email" autocomplete="email" error={state.error} />
          <div>
            <button type="submit">Send reset link</button>
          </div>
        </form>
        <p>
          <a href="/login">Back to sign in</a>
        </p>
      </>
    ),
  });
}

export function ResetPage(state: { csrf: string; token: string; error?: string | undefined }): string {
  return renderPage({
    title: 'Choose a new password',
    signedIn: false,
    children: (
      <>
        <h1>Choose a new password</h1>
        <form class="stack" method="post" action="/password/reset" novalidate>
          <CsrfField token={state.csrf} />
          <HiddenField name="token" value={state.token} />
          <Field
            name="password"
            label="New password"
            type="password"
            autocomplete="new-password"
            error={state.error}
            hint={`At least ${PASSWORD_MIN} characters.`}
          />
          <div>
            <button type="submit">Set password</button>
          </div>
        </form>
      </>
    ),
  });
}

/** A one-message page (expired link, email verified, ...). */
export function MessagePage(props: {
  title: string;
  kind: 'error' | 'success' | 'info';
  message: string;
  link: { href: string; text: string };
}): string {
  return renderPage({
    title: props.title,
    children: (
      <>
        <h1>{props.title}</h1>
        <Notice kind={props.kind}>{props.message}</Notice>
        <p>
          <a href={props.link.href}>{props.link.text}</a>
        </p>
      </>
    ),
  });
}
