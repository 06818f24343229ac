import { createHash } from 'node:crypto';
import { SignJWT } from 'jose';
import type { TestApp } from '../../../test/support/app.ts';

/** Test helpers for the BadgeKit tests (not a test file itself): a client signing like badgekit-api-client. */

export const MASTER = 'test-badgekit-master-secret-0123456789abcdef';
export const PNG_1PX = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);
export const IMAGE = `data:image/png;base64,${PNG_1PX.toString('base64')}`;

export interface SignOptions {
  readonly key?: string;
  readonly secret?: string;
  readonly method?: string;
  readonly path?: string;
  readonly exp?: number;
  readonly body?: string;
  readonly omit?: readonly string[];
  readonly alg?: 'HS256' | 'HS512';
}

export async function token(method: string, path: string, body: string | undefined, o: SignOptions = {}) {
  const claims: Record<string, unknown> = {
    key: o.key ?? 'master',
    method: o.method ?? method,
    path: o.path ?? path,
    exp: o.exp ?? Date.now() + 60_000,
  };
  if (body !== undefined)
    claims.body = {
      alg: 'SHA256',
      hash: createHash('sha256')
        .update(o.body ?? body)
        .digest('hex'),
    };
  for (const k of o.omit ?? []) delete claims[k];
  return new SignJWT(claims)
    .setProtectedHeader({ alg: o.alg ?? 'HS256', typ: 'JWT' })
    .sign(new TextEncoder().encode(o.secret ?? MASTER));
}

export interface BkResponse {
  readonly status: number;
  readonly body: Record<string, unknown>;
  readonly headers: Record<string, unknown>;
}

/** One signed request to /badgekit<path> through inject; `payload` is sent as JSON. */
export async function bk(
  t: TestApp,
  method: string,
  path: string,
  payload?: unknown,
  o: SignOptions = {},
): Promise<BkResponse> {
  const body = payload === undefined ? undefined : JSON.stringify(payload);
  const jwt = await token(method, path, body, o);
  const response = await t.app.inject({
    method: method as 'GET',
    url: `/badgekit${path}`,
    headers: {
      authorization: `JWT token="${jwt}"`,
      'content-type': 'application/json',
      accept: 'application/json',
    },
    ...(body === undefined ? {} : { payload: body }),
  });
  return { status: response.statusCode, body: response.json(), headers: response.headers };
}

export const badgeInput = (over: Record<string, unknown> = {}) => ({
  name: 'Test Badge',
  earnerDescription: 'You did it',
  consumerDescription: 'They did it',
  criteriaUrl: 'https://example.org/criteria',
  unique: 0,
  type: 'skill',
  image: IMAGE,
  ...over,
});

/** A system `chicago`, issuer `mozilla`, program `webmaker`. */
export async function seedContainers(t: TestApp) {
  const sys = {
    slug: 'chicago',
    name: 'Chicago',
    url: 'https://chicago.example.org',
    email: 'admin@chicago.example.org',
  };
  await bk(t, 'POST', '/systems', sys);
  await bk(t, 'POST', '/systems/chicago/issuers', {
    slug: 'mozilla',
    name: 'Mozilla',
    url: 'https://mozilla.example.org',
  });
  await bk(t, 'POST', '/systems/chicago/issuers/mozilla/programs', {
    slug: 'webmaker',
    name: 'Webmaker',
    url: 'https://webmaker.example.org',
  });
}

export interface Hook {
  readonly authorization: string;
  readonly body: string;
}

/** An outside party: a real HTTP server on 127.0.0.1 recording BadgeKit webhooks; answers `answers` in order. */
export async function startHookReceiver() {
  const { createServer } = await import('node:http');
  const received: Hook[] = [];
  const answers: number[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({
        authorization: String(req.headers.authorization ?? ''),
        body: Buffer.concat(chunks).toString('utf8'),
      });
      res.statusCode = answers.shift() ?? 200;
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    answers,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
