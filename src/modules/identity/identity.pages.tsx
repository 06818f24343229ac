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

export function SignupPage(state: FormState): string {
  const v = state.values ?? {};
  const e = state.errors ?? {};
  return renderPage({
    title: 'Create an account',
    signedIn: false,
    children: (
      <>
        <h1>Create an account</h1>
        {state.error ? <Notice kind="error">{state.error}</Notice> : null}
        {Object.keys(e).length > 0 ? (
          <Notice kind="error">Please correct the fields marked below.</Notice>
        ) : null}
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
        </form>
        <p>
          Already have an account? <a href={withReturnTo('/login', state.returnTo)}>Sign in</a>.
        </p>
      </>
    ),
  });
}

export function HomePage({ username }: { username: string | undefined }): string {
  return renderPage({
    title: 'Welcome',
    signedIn: username !== undefined,
    children: (
      <>
        <h1>Learnhub</h1>
        <p>An open learning hub: courses, sign-in for learning sites, activity and badges in one place.</p>
        {username ? (
          <ul>
            <li>
              <a href="/account">Your account</a>
            </li>
            <li>
              <a href={`/u/${encodeURIComponent(username)}`}>Your public profile</a>
            </li>
          </ul>
        ) : (
          <ul>
            <li>
              <a href="/login">Sign in</a>
            </li>
            <li>
              <a href="/signup">Create an account</a>
            </li>
          </ul>
        )}
        <p>
          Building an app? Read the <a href="/docs">API reference</a>.
        </p>
      </>
    ),
  });
}
