import { CsrfField, Field, HiddenField, Notice, renderPage } from '../../web/index.ts';
import type { FieldErrors } from './identity.errors.ts';
import { PASSWORD_MIN } from './identity.validation.ts';

export interface FormState {
  readonly csrf: string;
  readonly returnTo: string;
  readonly values?: Readonly<Record<string, string>>;
  readonly errors?: FieldErrors;
  /** A message about the whole form (e.g. wrong credentials), shown above it. */
  readonly error?: string | undefined;
  readonly notice?: string | undefined;
  /** When an app sent the person here to sign in (an OpenID Connect request): who is asking. */
  readonly app?: SignInApp | undefined;
}

/** The app behind a sign-in request, as the sign-in and sign-up pages name it. */
export interface SignInApp {
  readonly name: string;
  readonly logoUrl: string | null;
  /** The host the person goes back to afterwards (of the app's redirect URI). */
  readonly returnHost: string;
}

/** "Mooc wants you to sign in; you will return to mooc.example": said before anything is typed. */
export function AppBanner({ app, action }: { app: SignInApp; action: string }) {
  return (
    <div class="app-banner" role="note" aria-label="The app asking">
      {app.logoUrl ? <img src={app.logoUrl} alt="" width={48} height={48} /> : null}
      <p>
        <strong>{app.name}</strong> asks you to {action} with your Learnhub account. Afterwards you will
        return to <strong>{app.returnHost}</strong>.
      </p>
    </div>
  );
}

/** A short list of what is wrong, each entry linking to its field, above a form. */
function ErrorSummary({ errors, labels }: { errors: FieldErrors; labels: Record<string, string> }) {
  const wrong = Object.keys(labels).filter((field) => errors[field] !== undefined);
  if (wrong.length === 0) return null;
  return (
    <div class="notice notice-error" role="alert" aria-labelledby="error-summary-title">
      <p id="error-summary-title">
        <strong>
          {wrong.length === 1 ? 'One field needs' : `${wrong.length} fields need`} your attention:
        </strong>
      </p>
      <ul>
        {wrong.map((field) => (
          <li key={field}>
            <a href={`#field-${field}`}>
              {labels[field]} {errors[field]}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}

function withReturnTo(path: string, returnTo: string): string {
  return returnTo === '/' ? path : `${path}?return_to=${encodeURIComponent(returnTo)}`;
}

export function LoginPage(state: FormState): string {
  return renderPage({
    title: 'Sign in',
    signedIn: false,
    children: (
      <>
        <h1>Sign in</h1>
        {state.app ? <AppBanner app={state.app} action="sign in" /> : null}
        {state.notice ? <Notice kind="success">{state.notice}</Notice> : null}
        {state.error ? <Notice kind="error">{state.error}</Notice> : null}
        <form class="stack" method="post" action="/login" novalidate>
          <CsrfField token={state.csrf} />
          <HiddenField name="return_to" value={state.returnTo} />
          <Field
            name="email"
            label="Email"
            type="email"
            autocomplete="username"
            value={state.values?.email}
            error={state.errors?.email}
            autofocus
          />
          <Field name="password" label="Password" type="password" autocomplete="current-password" />
          <div>
            <button type="submit">Sign in</button>
          </div>
        </form>
        <p>
          New here? <a href={withReturnTo('/signup', state.returnTo)}>Create an account</a>.{' '}
          <a href="/password/forgot">Forgot your password?</a>
        </p>
      </>
    ),
  });
}

const SIGNUP_LABELS: Record<string, string> = {
  name: 'Name',
  username: 'Username',
  email: 'Email',
  password: 'Password',
};

export function SignupPage(state: FormState): string {
  const v = state.values ?? {};
  const e = state.errors ?? {};
  return renderPage({
    title: 'Create an account',
    signedIn: false,
    children: (
      <>
        <h1>Create an account</h1>
        {state.app ? <AppBanner app={state.app} action="create an account" /> : null}
        {state.error ? <Notice kind="error">{state.error}</Notice> : null}
        <ErrorSummary errors={e} labels={SIGNUP_LABELS} />
        <form class="stack" method="post" action="/signup" novalidate>
          <CsrfField token={state.csrf} />
          <HiddenField name="return_to" value={state.returnTo} />
          <Field name="name" label="Name" autocomplete="name" value={v.name} error={e.name} maxLength={100} />
          <Field
            name="username"
            label="Username"
            autocomplete="username"
            value={v.username}
            error={e.username}
            hint="3–30 letters, digits, - or _. It is part of your public profile address."
            maxLength={30}
          />
          <Field
            name="email"
            label="Email"
            type="email"
            autocomplete="email"
            value={v.email}
            error={e.email}
          />
          <Field
            name="password"
            label="Password"
            type="password"
            autocomplete="new-password"
            error={e.password}
            hint={`At least ${PASSWORD_MIN} characters. A phrase of unrelated words works well.`}
          />
          <div>
            <button type="submit">Create account</button>
          </div>
          <p class="hint">
            We will send a link to your email address; your account is created when you open it.
          </p>
        </form>
        <p>
          Already have an account? <a href={withReturnTo('/login', state.returnTo)}>Sign in</a>.
        </p>
      </>
    ),
  });
}

/**
 * After a sign-up, whatever the address: the same page for a new address and for one that already has an
 * account (that owner gets a mail saying so), so the form does not tell who has an account.
 */
export function SignupSentPage({ email }: { email: string }): string {
  return renderPage({
    title: 'Check your email',
    signedIn: false,
    children: (
      <>
        <h1>Check your email</h1>
        <Notice kind="success">
          We sent a message to <strong>{email}</strong>. Open the link in it to finish creating your account.
        </Notice>
        <p>
          The link works for 48 hours. If the address already has a Learnhub account, the message says how to
          sign in instead.
        </p>
        <p class="muted">
          No message after a few minutes? Look in your spam folder, or <a href="/signup">sign up again</a>{' '}
          with the right address.
        </p>
      </>
    ),
  });
}

/** The mailed link's page: one button finishes the sign-up (a link scanner's GET creates nothing). */
export function SignupFinishPage(props: {
  csrf: string;
  token: string;
  username: string;
  email: string;
}): string {
  return renderPage({
    title: 'Finish creating your account',
    signedIn: false,
    children: (
      <>
        <h1>Finish creating your account</h1>
        <p>
          Your address <strong>{props.email}</strong> is confirmed by this link. Your username will be{' '}
          <strong>{props.username}</strong>.
        </p>
        <form method="post" action="/signup/confirm">
          <CsrfField token={props.csrf} />
          <HiddenField name="token" value={props.token} />
          <button type="submit">Create my account</button>
        </form>
      </>
    ),
  });
}
