import type { ComponentChildren } from 'preact';
import { renderToString } from 'preact-render-to-string';

/**
 * Pages are typed JSX rendered to a string on the server: text is escaped by default, forms work without
 * JavaScript, there is no front-end build. One stylesheet (web/styles.ts) is served at /assets/site.css.
 */
export interface PageProps {
  readonly title: string;
  readonly children: ComponentChildren;
  /** Whether someone is signed in, when the page knows; decides the account links in the header. */
  readonly signedIn?: boolean;
}

export function Layout({ title, children, signedIn }: PageProps) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} · Learnhub`}</title>
        <link rel="stylesheet" href="/assets/site.css" />
      </head>
      <body>
        <header class="site-header">
          <a class="brand" href="/">
            Learnhub
          </a>
          <nav aria-label="Main">
            <a href="/docs">API reference</a>
          </nav>
          <span class="spacer" />
          <nav aria-label="Account">
            {signedIn === false ? (
              <>
                <a href="/login">Sign in</a>
                <a href="/signup">Sign up</a>
              </>
            ) : (
              <a href="/account">Account</a>
            )}
          </nav>
        </header>
        <main id="main">{children}</main>
      </body>
    </html>
  );
}

export function renderPage(props: PageProps): string {
  return `<!doctype html>${renderToString(<Layout {...props} />)}`;
}
