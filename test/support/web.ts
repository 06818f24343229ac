import type { FastifyInstance, LightMyRequestResponse } from 'fastify';

/**
 * A tiny browser for `app.inject()` tests of server-rendered pages: keeps cookies between requests, reads
 * the CSRF token out of a page's form, and posts urlencoded forms as a browser would.
 */
export class Browser {
  readonly cookies = new Map<string, string>();

  constructor(
    private readonly app: FastifyInstance,
    private readonly remoteAddress = '127.0.0.1',
  ) {}

  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private remember(res: LightMyRequestResponse): void {
    for (const c of res.cookies) {
      const expired =
        c.value === '' ||
        (c.maxAge !== undefined && c.maxAge <= 0) ||
        (c.expires && c.expires.getTime() < Date.now());
      if (expired) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
  }

  async get(url: string): Promise<LightMyRequestResponse> {
    const res = await this.app.inject({
      method: 'GET',
      url,
      headers: { cookie: this.cookieHeader() },
      remoteAddress: this.remoteAddress,
    });
    this.remember(res);
    return res;
  }

  async post(url: string, fields: Record<string, string>): Promise<LightMyRequestResponse> {
    const res = await this.app.inject({
      method: 'POST',
      url,
      headers: { cookie: this.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams(fields).toString(),
      remoteAddress: this.remoteAddress,
    });
    this.remember(res);
    return res;
  }

  /** Loads `pageUrl`, then submits its form (the one posting to `action`, or the first) with `fields`. */
  async submit(
    pageUrl: string,
    fields: Record<string, string>,
    action?: string,
  ): Promise<LightMyRequestResponse> {
    const page = await this.get(pageUrl);
    const form = formOf(page.body, action);
    return this.post(form.action, { ...form.hidden, ...fields });
  }
}

/** The action and hidden fields of a form in an HTML page. */
export function formOf(html: string, action?: string): { action: string; hidden: Record<string, string> } {
  // The page's own forms, not the header's sign-out form: look inside <main> when the page has one.
  const main = html.indexOf('<main');
  const body = main >= 0 ? html.slice(main) : html;
  const forms = [...body.matchAll(/<form\b[^>]*action="([^"]*)"[^>]*>([\s\S]*?)<\/form>/g)];
  const match = action ? forms.find((f) => decode(f[1] ?? '') === action) : forms[0];
  if (!match) throw new Error(`no form${action ? ` posting to ${action}` : ''} in page`);
  const hidden: Record<string, string> = {};
  for (const input of (match[2] ?? '').matchAll(/<input\b[^>]*>/g)) {
    const tag = input[0];
    if (!/type="hidden"/.test(tag)) continue;
    const name = /name="([^"]*)"/.exec(tag)?.[1];
    const value = /value="([^"]*)"/.exec(tag)?.[1] ?? '';
    if (name) hidden[decode(name)] = decode(value);
  }
  return { action: decode(match[1] ?? ''), hidden };
}

function decode(text: string): string {
  return text
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&');
}

export interface OutboxMail {
  readonly to: string[];
  readonly subject: string;
  readonly text: string;
}

/** Mail sent to `address` through the built-in outbox (run the mail jobs first), oldest first. */
export async function mailsTo(
  pool: { query: <R extends object>(sql: string, values?: unknown[]) => Promise<{ rows: R[] }> },
  address: string,
): Promise<OutboxMail[]> {
  const result = await pool.query<OutboxMail>(
    'select "to", subject, text from outbox where $1 = any("to") order by created_at, id',
    [address],
  );
  return result.rows;
}

/** The first link in `text` whose path starts with `path`, as a path + query for app.inject or a browser. */
export function linkIn(text: string, path: string): string {
  for (const match of text.matchAll(/https?:\/\/\S+/g)) {
    const url = new URL(match[0]);
    if (url.pathname.startsWith(path)) return `${url.pathname}${url.search}`;
  }
  throw new Error(`no ${path} link in:\n${text}`);
}
