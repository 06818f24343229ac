import { request } from 'node:http';
import { resolve } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { depsForDatabase } from '../../../test/support/deps.ts';
import { startTestServer, type TestServer } from '../../../test/support/server.ts';
import { createConsumer } from '../../modules/badges/index.ts';
import { badgeInput, MASTER, type SignOptions, token } from './badgekit.testing.ts';

/**
 * Mozilla's badgekit-api-client, as far as addresses go: every call is `url.resolve(endpoint, '/systems/…')`,
 * an absolute path, so the endpoint's own path is lost; the JWT's `path` claim is the path of the resolved
 * URL. These tests call the hub exactly that way, over real HTTP, through every route family.
 */

let hub: TestServer;
let root: string;
const BADGES_HOST = 'badges.test';
// The consumer secret is sealed with the hub's key: the same one startTestServer gives the hub.
const SECRET = 'test-secret-key-test-secret-key-0123456789';

beforeAll(async () => {
  hub = await startTestServer({
    BADGEKIT_MASTER_SECRET: MASTER,
    BADGEKIT_PORT: '0',
    BADGEKIT_HOST: BADGES_HOST,
  });
  root = hub.hub.badgekitAddress ?? '';
});
afterAll(() => hub.close());

interface Reply {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

/** One call as the client makes it; `connectTo` sends it to another address with the URL's Host kept. */
function client(endpoint: string, o: SignOptions & { connectTo?: string; host?: string } = {}) {
  return async (method: string, absolutePath: string, payload?: unknown): Promise<Reply> => {
    const target = new URL(resolve(endpoint, absolutePath));
    const body = payload === undefined ? undefined : JSON.stringify(payload);
    const jwt = await token(method, `${target.pathname}${target.search}`, body, o);
    const connect = new URL(o.connectTo ?? target.href);
    return new Promise<Reply>((done, fail) => {
      const req = request(
        {
          host: connect.hostname,
          port: connect.port,
          method,
          path: `${target.pathname}${target.search}`,
          headers: {
            host: o.host ?? target.host,
            authorization: `JWT token="${jwt}"`,
            'content-type': 'application/json',
            accept: 'application/json',
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            done({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : {} });
          });
        },
      );
      req.on('error', fail);
      req.end(body);
    });
  };
}

/** Every route family of the dialect, in the order a badge site uses them; returns the assertion URL. */
async function everyFamily(call: ReturnType<typeof client>, s: string): Promise<string> {
  expect((await call('GET', '/')).status).toBe(200);
  expect((await call('POST', '/systems', { slug: s, name: s, url: 'https://s.example.org' })).status).toBe(
    201,
  );
  expect((await call('GET', '/systems')).status).toBe(200);
  const issuer = { slug: 'iss', name: 'Issuer', url: 'https://i.example.org' };
  expect((await call('POST', `/systems/${s}/issuers`, issuer)).status).toBe(201);
  const program = { slug: 'prog', name: 'Program', url: 'https://p.example.org' };
  expect((await call('POST', `/systems/${s}/issuers/iss/programs`, program)).status).toBe(201);
  expect((await call('PUT', `/systems/${s}/issuers/iss/programs/prog`, { name: 'P2' })).status).toBe(200);
  const P = `/systems/${s}/issuers/iss/programs/prog`;
  const made = await call('POST', `${P}/badges`, badgeInput({ slug: `${s}-b` }));
  expect(made.status).toBe(201);
  expect((await call('GET', `${P}/badges?page=1&count=5`)).status).toBe(200);
  const B = `${P}/badges/${s}-b`;
  expect((await call('POST', `${B}/codes`, { code: 'CODE1' })).status).toBe(201);
  expect((await call('GET', `/systems/${s}/codes/CODE1`)).status).toBe(200);
  expect((await call('POST', `${B}/codes/CODE1/claim`, { email: 'c@example.org' })).status).toBe(200);
  const award = await call('POST', `${B}/instances`, { email: 'learner@example.org' });
  expect(award.status).toBe(201);
  expect((await call('GET', `/systems/${s}/instances/learner@example.org`)).status).toBe(200);
  const applied = await call('POST', `${B}/applications`, { learner: 'applicant@example.org' });
  expect(applied.status).toBe(201);
  const A = `${B}/applications/${(applied.body.application as { slug: string }).slug}`;
  const review = await call('POST', `${A}/reviews`, { author: 'r@example.org', comment: 'ok' });
  expect(review.status).toBe(201);
  expect((await call('GET', `${A}/reviews`)).status).toBe(200);
  const badgeId = (made.body.badge as { id: number }).id;
  const other = await call('POST', `/systems/${s}/badges`, badgeInput({ slug: `${s}-m` }));
  const milestone = await call('POST', `/systems/${s}/milestones`, {
    primaryBadgeId: (other.body.badge as { id: number }).id,
    numberRequired: 1,
    supportBadges: [badgeId],
  });
  expect(milestone.status).toBe(201);
  expect((await call('GET', `/systems/${s}/milestones`)).status).toBe(200);
  expect((await call('GET', '/public/badges')).status).toBe(200);
  expect((await call('DELETE', `${B}/instances/learner@example.org`)).status).toBe(200);
  return (award.body.instance as { assertionUrl: string }).assertionUrl;
}

describe('BadgeKit for badgekit-api-client (absolute paths resolved against the endpoint)', () => {
  it('loses a /badgekit endpoint path, which is why the dialect is also served at a root', async () => {
    const main = `${hub.url}/badgekit`;
    expect(resolve(main, '/systems')).toBe(`${hub.url}/systems`);
    const r = await client(main)('GET', '/systems');
    expect(r.status).toBe(404);
  });

  it('works through every route family on BADGEKIT_PORT, with assertion URLs that resolve', async () => {
    const assertion = await everyFamily(client(root), 'on-port');
    expect(assertion.startsWith(hub.url)).toBe(true);
    // Revoked above: the hosted assertion answers, from the hub's public origin, that it is gone.
    expect((await fetch(assertion)).status).toBe(404);
  });

  it('keeps awarded assertions fetchable from the hub origin', async () => {
    const call = client(root);
    await call('POST', '/systems', { slug: 'fetchable', name: 'F', url: 'https://f.example.org' });
    await call('POST', '/systems/fetchable/badges', badgeInput({ slug: 'fetchable-b' }));
    const award = await call('POST', '/systems/fetchable/badges/fetchable-b/instances', {
      email: 'x@example.org',
    });
    const url = (award.body.instance as { assertionUrl: string }).assertionUrl;
    const doc = await fetch(url);
    expect(doc.status).toBe(200);
    expect(await doc.json()).toMatchObject({ recipient: { type: 'email', hashed: true } });
  });

  it('works through every route family on BADGEKIT_HOST, and nothing else of the hub shows there', async () => {
    const call = client(`http://${BADGES_HOST}`, { connectTo: hub.url });
    await everyFamily(call, 'on-host');
    const page = await client(`http://${BADGES_HOST}`, { connectTo: hub.url })(
      'GET',
      '/oidc/.well-known/openid-configuration',
    );
    expect(page).toMatchObject({ status: 404, body: { code: 'ResourceNotFound' } });
  });

  it('accepts a consumer key of the system on the root origin, and refuses it for another system', async () => {
    await client(root)('POST', '/systems', { slug: 'consumer', name: 'C', url: 'https://c.example.org' });
    const { deps, close } = depsForDatabase(hub.database.url, SECRET);
    const c = await createConsumer(deps, 'consumer', 'site').finally(close);
    const call = client(root, { key: c.api_key, secret: c.api_secret });
    expect((await call('GET', '/systems/consumer/badges')).status).toBe(200);
    expect((await call('GET', '/systems/on-port/badges')).status).toBe(403);
  });

  it('verifies the path the client used: a /badgekit path claim is refused on the root origin', async () => {
    const r = await client(root, { path: '/badgekit/systems' })('GET', '/systems');
    expect(r.status).toBe(403);
    expect(r.body.message).toContain('`path` does not match');
    // Under /badgekit on the main origin, a client behind a prefix-adding proxy signs the bare path.
    const prefixed = await client(hub.url, { path: '/systems' })('GET', '/badgekit/systems');
    expect(prefixed.status).toBe(200);
  });

  it('still refuses alg none on the root origin', async () => {
    const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(
      JSON.stringify({ key: 'master', method: 'GET', path: '/systems' }),
    ).toString('base64url')}.`;
    const r = await fetch(`${root}/systems`, { headers: { authorization: `JWT token="${none}"` } });
    expect(r.status).toBe(403);
  });
});
