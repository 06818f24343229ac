import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { csrfToken } from './csrf.ts';
import { renderHeader, type Viewer } from './layout.tsx';

/** Who is signed in on this request, as the header shows them; undefined for a visitor. */
export type ViewerLookup = (request: FastifyRequest) => Promise<Viewer | undefined>;

export interface ChromeOptions {
  readonly lookup: ViewerLookup;
  readonly secretKey: string;
  /** Whether cookies are Secure (the hub is served over https). */
  readonly secure: boolean;
}

const HEADER_START = '<header class="site-header">';
const HEADER_END = '</header>';

/**
 * The site chrome: every HTML page Fastify sends gets its header drawn for the request's real session
 * (Courses, Inbox with the unread count, Badges, the account menu; or Sign in / Create account). Pages are
 * rendered by each module without knowing the person behind the request; the header is the one part that
 * must, so it is swapped in here, once, instead of every page looking the session up for it. Error pages
 * included: a visitor never sees "Account" on a 404.
 *
 * Must be added to the root instance before @fastify/cookie registers: onSend hooks run in the order added,
 * and the cookie plugin's own onSend writes the Set-Cookie of the CSRF token the account menu may issue.
 */
export function installSiteChrome(app: FastifyInstance, options: ChromeOptions): void {
  app.addHook('onSend', async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    if (typeof payload !== 'string') return payload;
    const type = reply.getHeader('content-type');
    if (typeof type !== 'string' || !type.startsWith('text/html')) return payload;
    const start = payload.indexOf(HEADER_START);
    const end = start < 0 ? -1 : payload.indexOf(HEADER_END, start);
    if (end < 0) return payload;
    let viewer: Viewer | null | undefined;
    try {
      viewer = (await options.lookup(request)) ?? null;
    } catch (error) {
      // The page itself may be the error page for this very failure (a database outage): draw a neutral
      // header rather than fail again.
      request.log.warn({ err: error }, 'site header: could not look up the session');
      viewer = undefined;
    }
    // A header with the person's name and unread count is theirs: no shared cache may keep the page.
    if (viewer) reply.header('cache-control', 'no-store');
    const csrf = viewer
      ? csrfToken(request, reply, options.secretKey, { secure: options.secure })
      : undefined;
    const path = request.url.split('?')[0];
    const header = renderHeader({ viewer, path, csrf });
    return payload.slice(0, start) + header + payload.slice(end + HEADER_END.length);
  });
}
