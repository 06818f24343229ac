import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppError } from '../errors/index.ts';
import { renderPage } from './layout.tsx';
import { safeReturnTo } from './return-to.ts';

/**
 * Paths whose clients are programs: the native API, the dialects, the OpenID provider, operations. They keep
 * their own wire shape (problem+json, the seeds' bodies) even when a browser asks for HTML, so the same URL
 * never answers a program two ways. Everything else is a page address: a browser gets a page.
 */
const PROGRAM_PATHS = [
  '/api',
  '/badgekit',
  '/eventstore',
  '/openlearning',
  '/peerscholar',
  '/lti',
  '/xapi',
  '/oidc',
  '/.well-known',
  '/openapi.json',
  '/healthz',
  '/readyz',
  '/metrics',
];

function under(path: string, prefix: string): boolean {
  return path === prefix || path.startsWith(`${prefix}/`) || path.startsWith(`${prefix}?`);
}

/**
 * A browser navigating asks for text/html; API clients and tests without an Accept header get the wire shape.
 * Open Badges documents (/ob) are JSON-LD first, so there a client that also names JSON gets JSON, as the
 * documents' own negotiation does.
 */
export function wantsHtml(request: FastifyRequest): boolean {
  const accept = request.headers.accept ?? '';
  if (!/\btext\/html\b/.test(accept)) return false;
  const path = request.url;
  if (PROGRAM_PATHS.some((prefix) => under(path, prefix))) return false;
  if (under(path, '/ob') && accept.includes('json')) return false;
  return true;
}

/** Where a 404 sends people: the nearest enclosing address that is a page (`/courses` for `/courses/x`). */
export function parentOf(path: string, isPage: (path: string) => boolean): string {
  const segments = path.split('?')[0]?.split('/').filter(Boolean) ?? [];
  while (segments.length > 1) {
    segments.pop();
    const candidate = `/${segments.join('/')}`;
    if (isPage(candidate)) return candidate;
  }
  return '/';
}

function describe(parent: string): string {
  if (parent === '/') return 'the home page';
  if (parent === '/courses') return 'the course register';
  if (parent === '/inbox') return 'your inbox';
  if (parent === '/account') return 'your account';
  return parent;
}

interface Explained {
  readonly heading: string;
  readonly text: string;
  readonly links: readonly { href: string; label: string }[];
}

function explain(error: AppError, request: FastifyRequest, parent: string): Explained {
  const home = { href: '/', label: 'Go to the home page' };
  const path = request.url.split('?')[0] ?? '/';
  if (error.status === 404) {
    const links = [{ href: parent, label: `Go to ${describe(parent)}` }];
    if (parent !== '/') links.push(home);
    return {
      heading: 'Page not found',
      text: `There is nothing at ${path}. It may have moved, or the link may be mistyped.`,
      links,
    };
  }
  if (error.status === 401) {
    return {
      heading: 'Please sign in',
      text: 'You need to be signed in for this.',
      links: [
        { href: `/login?return_to=${encodeURIComponent(signInReturn(request))}`, label: 'Sign in' },
        home,
      ],
    };
  }
  if (error.status === 403) {
    const csrf = error.code === 'csrf.invalid';
    return {
      heading: csrf ? 'The form could not be accepted' : 'You do not have access to this page',
      text: csrf ? error.message : `${error.message} If you think you should, ask whoever runs this hub.`,
      links: [home],
    };
  }
  if (error.status === 405) {
    return {
      heading: 'This address does not work that way',
      text: `${path} cannot be used with ${request.method}. Follow a link or a form on the site instead.`,
      links: [home],
    };
  }
  if (error.status === 429) {
    const wait = error.headers?.['retry-after'];
    return {
      heading: 'Too many requests',
      text: `Please wait${wait ? ` ${wait} seconds` : ' a moment'} and try again.`,
      links: [home],
    };
  }
  if (error.status >= 500) {
    return {
      heading: 'Something went wrong on our side',
      // Never the message: a 5xx may carry internals.
      text:
        error.status === 503
          ? 'The hub is briefly unavailable. Please try again in a minute.'
          : 'The hub could not finish this request. It has been logged; please try again later.',
      links: [home],
    };
  }
  return { heading: 'That did not work', text: error.message, links: [home] };
}

/** The page to come back to after signing in: this one for a GET, the home page after a failed form post. */
function signInReturn(request: FastifyRequest): string {
  return request.method === 'GET' || request.method === 'HEAD' ? safeReturnTo(request.url) : '/';
}

/**
 * Answers an error for a person in a browser: a 401 on a GET goes to sign-in and comes back (303); anything
 * else is a page with the same status saying what happened and where to go. The code and request id are
 * there for whoever helps them, folded away.
 */
export function sendErrorPage(
  request: FastifyRequest,
  reply: FastifyReply,
  error: AppError,
  isPage: (path: string) => boolean,
): FastifyReply {
  if (error.headers) reply.headers(error.headers);
  if (error.status === 401 && (request.method === 'GET' || request.method === 'HEAD')) {
    return reply.redirect(`/login?return_to=${encodeURIComponent(signInReturn(request))}`, 303);
  }
  const parent = parentOf(request.url, isPage);
  const { heading, text, links } = explain(error, request, parent);
  const page = renderPage({
    title: heading,
    children: (
      <div class="error-page">
        <p class="status">Error {error.status}</p>
        <h1>{heading}</h1>
        <p>{text}</p>
        <ul>
          {links.map((l) => (
            <li key={l.href}>
              <a href={l.href}>{l.label}</a>
            </li>
          ))}
        </ul>
        <details>
          <summary>Details for support</summary>
          <p class="muted">
            Code <code>{error.code}</code> · request <code>{request.id}</code>
          </p>
        </details>
      </div>
    ),
  });
  return reply
    .code(error.status)
    .header('cache-control', 'no-store')
    .type('text/html; charset=utf-8')
    .send(page);
}

/**
 * Kept for the page plugins that call it: every error on the hub is negotiated by the root handler now
 * (src/http/errors.ts), which page plugins inherit, so there is nothing left to install per plugin.
 */
export function installPageErrorHandler(_app: unknown): void {}
