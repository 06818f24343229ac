import type { ComponentChildren } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { ICON_SVG } from './icons.ts';

/**
 * Pages are typed JSX rendered to a string on the server: text is escaped by default, forms work without
 * JavaScript, there is no front-end build. One stylesheet (web/styles.ts) is served at /assets/site.css.
 */
export interface PageProps {
  readonly title: string;
  readonly children: ComponentChildren;
  /**
   * Whether someone is signed in, when the page knows. Only a fallback: on every page Fastify sends, the
   * site chrome (web/chrome.tsx) redraws the header for the request's real session, with the unread count.
   */
  readonly signedIn?: boolean;
}

/** Who the header is drawn for: the signed-in person, with what the header shows about them. */
export interface Viewer {
  readonly username: string;
  readonly name: string;
  /** Unread messages in the inbox. */
  readonly unread: number;
}

/** The sections of the main navigation, with the paths that belong to each (for aria-current). */
const SECTIONS = [
  { href: '/courses', label: 'Courses', matches: ['/courses'] },
  { href: '/inbox', label: 'Inbox', matches: ['/inbox'], signedIn: true },
  { href: '/account/badges', label: 'Badges', matches: ['/account/badges'], signedIn: true },
] as const;

function isCurrent(path: string | undefined, matches: readonly string[]): boolean {
  if (path === undefined) return false;
  return matches.some((m) => path === m || path.startsWith(`${m}/`));
}

export interface HeaderProps {
  /** The signed-in person; `null` for a visitor; undefined when not known (neither account nor sign-in links). */
  readonly viewer: Viewer | null | undefined;
  /** The request path, to mark the current section. */
  readonly path?: string | undefined;
  /** The CSRF token for the sign-out form in the account menu; without one the menu links to the account page. */
  readonly csrf?: string | undefined;
}

function Mark() {
  // The icon inline (decorative: the link's name is the text next to it).
  return (
    <span
      aria-hidden="true"
      // A constant SVG of this module, not input.
      dangerouslySetInnerHTML={{
        __html: ICON_SVG.replace('width="64" height="64"', 'width="28" height="28"'),
      }}
    />
  );
}

function AccountMenu({ viewer, csrf }: { viewer: Viewer; csrf: string | undefined }) {
  const profile = `/u/${encodeURIComponent(viewer.username)}`;
  return (
    <details class="account-menu">
      <summary>
        <span class="visually-hidden">Account menu for </span>
        {viewer.username}
      </summary>
      <ul>
        <li class="menu-who">Signed in as {viewer.name}</li>
        <li>
          <a href={profile}>Your profile</a>
        </li>
        <li>
          <a href="/account">Account settings</a>
        </li>
        <li>
          <a href="/account/notifications">Email preferences</a>
        </li>
        <li>
          <a href="/account/connections">Connected apps</a>
        </li>
        <li>
          <a href="/account/apps">Apps you build</a>
        </li>
        <li>
          {csrf ? (
            <form method="post" action="/logout">
              <input type="hidden" name="_csrf" value={csrf} />
              <button type="submit">Sign out</button>
            </form>
          ) : (
            <a href="/account">Sign out…</a>
          )}
        </li>
      </ul>
    </details>
  );
}

/** The site header: brand, main navigation (Courses, Inbox with unread count, Badges) and the account menu. */
export function SiteHeader({ viewer, path, csrf }: HeaderProps) {
  const sections = SECTIONS.filter((s) => !('signedIn' in s) || viewer);
  return (
    <header class="site-header">
      <a class="brand" href="/">
        <Mark />
        Learnhub
      </a>
      <nav aria-label="Main">
        <ul>
          {sections.map((s) => (
            <li key={s.href}>
              <a href={s.href} aria-current={isCurrent(path, s.matches) ? 'page' : undefined}>
                {s.label}
                {s.href === '/inbox' && viewer && viewer.unread > 0 ? (
                  <span class="count">
                    {viewer.unread > 99 ? '99+' : viewer.unread}
                    <span class="visually-hidden"> unread</span>
                  </span>
                ) : null}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {viewer === undefined ? null : (
        <nav aria-label="Account" class="nav-account">
          {viewer ? (
            viewer.username ? (
              <AccountMenu viewer={viewer} csrf={csrf} />
            ) : (
              <ul>
                <li>
                  <a href="/account">Your account</a>
                </li>
              </ul>
            )
          ) : (
            <ul>
              <li>
                <a href="/login">Sign in</a>
              </li>
              <li>
                <a href="/signup">Create account</a>
              </li>
            </ul>
          )}
        </nav>
      )}
    </header>
  );
}

/** The header a page draws before the chrome knows the request (a page rendered outside Fastify's reply). */
function fallbackViewer(signedIn: boolean | undefined): Viewer | null | undefined {
  if (signedIn === false) return null;
  // Someone is signed in but who is not known here: a plain link to the account instead of the menu.
  if (signedIn === true) return { username: '', name: '', unread: 0 };
  return undefined;
}

export function Layout({ title, children, signedIn }: PageProps) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} · Learnhub`}</title>
        <link rel="stylesheet" href="/assets/site.css" />
        <link rel="icon" href="/favicon.ico" sizes="32x32" />
        <link rel="icon" href="/icon.svg" type="image/svg+xml" />
        <link rel="apple-touch-icon" href="/icon-192.png" />
        <link rel="manifest" href="/manifest.webmanifest" />
        <meta name="theme-color" content="#1f4fb8" />
      </head>
      <body>
        <a class="skip-link" href="#main">
          Skip to content
        </a>
        <SiteHeader viewer={fallbackViewer(signedIn)} />
        <main id="main" tabindex={-1}>
          {children}
        </main>
        <footer class="site-footer">
          <ul>
            <li>
              <a href="/courses">Course register</a>
            </li>
            <li>
              <a href="/docs">API reference</a>
            </li>
            <li>
              <a href="/guides">Guides for developers and operators</a>
            </li>
          </ul>
        </footer>
      </body>
    </html>
  );
}

export function renderPage(props: PageProps): string {
  return `<!doctype html>${renderToString(<Layout {...props} />)}`;
}

/** Renders the header alone (the site chrome swaps it into pages). */
export function renderHeader(props: HeaderProps): string {
  return renderToString(<SiteHeader {...props} />);
}
