import { createHash } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { SignJWT } from 'jose';
import { expect } from 'vitest';
import { badgeInput, bk, MASTER, seedContainers } from '../../src/dialects/badgekit/badgekit.testing.ts';
import { person, signedIn } from '../../src/modules/courses/courses.testing.ts';
import { createInstitution } from '../../src/modules/courses/index.ts';
import { createProgram } from '../../src/modules/events/index.ts';
import { createApp } from '../../src/modules/oauth/index.ts';
import { buildTestApp, type TestApp } from '../support/app.ts';
import { authorizeUrl, decideConsent, follow, pkcePair } from '../support/oidc.ts';
import type { Surface } from './operations.ts';

/**
 * The fuzz suite's world: a hub with one of everything (a user, an app, a course, an institution, an Event
 * Store program, BadgeKit containers and a badge), a credential of every kind, and the checks every answer
 * must pass. Seeded and reproducible: FUZZ_SEED=<n> replays a run (FUZZ_SEED=random explores), FUZZ_RUNS
 * scales the number of cases per operation.
 */

export const SEED =
  process.env.FUZZ_SEED === 'random' ? Date.now() % 2_147_483_647 : Number(process.env.FUZZ_SEED ?? 20261203);
export const RUNS = Number(process.env.FUZZ_RUNS ?? 1);

export type CredentialKind =
  | 'none'
  | 'garbage'
  | 'operator'
  | 'operator-non-admin'
  | 'app'
  | 'session'
  | 'program'
  | 'institution'
  | 'badgekit-master'
  | 'badgekit-wrong-secret'
  /** A user access token from the code flow: the app acting for a person. */
  | 'app-user'
  /** The app's client_id:client_secret in HTTP Basic (the /oidc endpoints), and with a wrong secret. */
  | 'client-basic'
  | 'client-wrong';

export interface World {
  readonly t: TestApp;
  /** The fuzz app's OAuth client and live tokens of every kind (for the /oidc surface). */
  readonly oauth: {
    readonly clientId: string;
    readonly clientSecret: string;
    readonly redirectUri: string;
    readonly appToken: string;
    readonly userToken: string;
    readonly refreshToken: string;
    readonly idToken: string;
  };
  /** Real identifiers by path-parameter name, so a request can reach a row that exists. */
  readonly ids: Record<string, string[]>;
  headersFor(
    kind: CredentialKind,
    method: string,
    url: string,
    body: Buffer | undefined,
  ): Promise<Record<string, string>>;
}

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

export async function buildWorld(): Promise<World> {
  const t = await buildTestApp({ env: { BADGEKIT_MASTER_SECRET: MASTER } });
  const operator = `Bearer ${await t.operatorToken()}`;
  const nonAdmin = `Bearer ${await t.operatorToken({ admin: false })}`;
  const user = await person(t, 'fuzzer');
  const browser = await signedIn(t, user);
  const created = await createApp(t.deps, { name: 'Fuzz', redirectUris: ['https://fuzz.example/cb'] });
  const clientBasic = basic(created.app.clientId, encodeURIComponent(created.clientSecret));
  const token = await t.app.inject({
    method: 'POST',
    url: '/oidc/token',
    headers: { authorization: clientBasic, 'content-type': 'application/x-www-form-urlencoded' },
    payload: 'grant_type=client_credentials&scope=notifications%20activities%3Apublish%20badges%3Aaward',
  });
  const appToken = `Bearer ${token.json<{ access_token: string }>().access_token}`;
  // The person connects the app (code flow with consent), so app-for-user tokens are fuzzed too.
  const redirectUri = 'https://fuzz.example/cb';
  const { verifier, challenge } = pkcePair();
  const start = authorizeUrl({
    clientId: created.app.clientId,
    redirectUri,
    scope: 'openid profile email offline_access notifications activities:publish badges:award',
    challenge,
    prompt: 'consent',
  });
  const { res: consent, left } = await follow(browser, start, redirectUri);
  const back = left ?? (await decideConsent(browser, consent, 'allow', redirectUri));
  const exchanged = await t.app.inject({
    method: 'POST',
    url: '/oidc/token',
    headers: { authorization: clientBasic, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({
      grant_type: 'authorization_code',
      code: back.searchParams.get('code') ?? '',
      redirect_uri: redirectUri,
      code_verifier: verifier,
    }).toString(),
  });
  const userTokens = exchanged.json<{ access_token: string; refresh_token: string; id_token: string }>();
  if (!userTokens.refresh_token) throw new Error(`fuzz world: no user tokens (${exchanged.body})`);
  const institution = await createInstitution(t.deps, { path: 'fuzzInstitute', name: 'Fuzz Institute' });
  const program = await createProgram(t.deps, { id: 'FUZ', name: 'Fuzz Program' });
  await seedContainers(t);
  await bk(t, 'POST', '/systems/chicago/badges', badgeInput({ slug: 'fuzz-badge' }));
  const course = await t.app.inject({
    method: 'POST',
    url: '/api/v1/courses',
    headers: { authorization: appToken },
    payload: { title: 'Fuzzing 101', shortcode: 'fuzz101', description: 'Hostile input, handled.' },
  });
  const courseBody = course.json<{ id?: string; slug?: string }>();
  const ids: Record<string, string[]> = {
    ref: [courseBody.slug ?? 'fuzz101', courseBody.id ?? 'fuzz101', 'fuzz101'],
    shortcode: ['fuzz101'],
    username: [user.username, user.id],
    user: [user.username, user.id],
    id: [created.app.id, courseBody.id ?? ''],
    program_id: ['FUZ'],
    eventId: ['FUZ-1', 'FUZ-abc'],
    event_id: ['FUZ-1'],
    name: ['course.completed'],
    systemSlug: ['chicago'],
    system: ['chicago'],
    issuerSlug: ['mozilla'],
    programSlug: ['webmaker'],
    badgeSlug: ['fuzz-badge'],
    email: ['fuzzer@example.org'],
    '*': ['fuzz101', 'fuzzInstitute/fuzz101'],
  };
  const auth: Record<string, string> = {
    garbage: 'Bearer not-a-token',
    operator,
    'operator-non-admin': nonAdmin,
    app: appToken,
    program: basic(program.user_id, program.api_key),
    institution: basic(institution.apiUsername, institution.apiPassword),
    'app-user': `Bearer ${userTokens.access_token}`,
    'client-basic': clientBasic,
    'client-wrong': basic(created.app.clientId, 'lh_cs_wrong-secret'),
  };
  return {
    t,
    oauth: {
      clientId: created.app.clientId,
      clientSecret: created.clientSecret,
      redirectUri,
      appToken: appToken.slice('Bearer '.length),
      userToken: userTokens.access_token,
      refreshToken: userTokens.refresh_token,
      idToken: userTokens.id_token,
    },
    ids,
    async headersFor(kind, method, url, body): Promise<Record<string, string>> {
      if (kind === 'none') return {};
      // A session-authenticated browser request from the hub's own pages (same-origin).
      if (kind === 'session') return { cookie: browser.cookieHeader(), origin: t.config.publicUrl };
      if (kind === 'badgekit-master' || kind === 'badgekit-wrong-secret') {
        const claims: Record<string, unknown> = {
          key: 'master',
          method,
          path: url.replace(/^\/badgekit/, '') || '/',
          exp: Math.floor(Date.now() / 1000) + 60,
        };
        if (body !== undefined)
          claims.body = { alg: 'sha256', hash: createHash('sha256').update(body).digest('hex') };
        const secret = kind === 'badgekit-master' ? MASTER : 'wrong-secret-wrong-secret';
        const jwt = await new SignJWT(claims)
          .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
          .sign(new TextEncoder().encode(secret));
        return { authorization: `JWT token="${jwt}"` };
      }
      return { authorization: auth[kind] ?? '' };
    },
  };
}

/** Tables a refused request must not change (sign-in failures and sessions may legitimately grow). */
const KEY_TABLES = [
  'users',
  'oauth_apps',
  'api_tokens',
  'courses',
  'course_classes',
  'course_memberships',
  'course_invitations',
  'institutions',
  'institution_admins',
  'stored_events',
  'event_types',
  'event_programs',
  'event_program_keys',
  'event_grants',
  'domain_events',
  'webhook_endpoints',
  'badges',
  'badge_systems',
  'badge_issuers',
  'badge_programs',
  'badge_instances',
  'badge_claim_codes',
  'badge_applications',
  'badge_milestones',
  'activities',
  'messages',
  'announcements',
  'notification_preferences',
  'graphile_worker.jobs',
];

const COUNT_SQL = `select ${KEY_TABLES.map((name) => `(select count(*) from ${name})::int as "${name}"`).join(', ')}`;

/**
 * The next transaction id: a request that wrote nothing at all leaves it where it was, so the row counts
 * (29 tables) need comparing only when it moved (a session touch, a sign-in failure, or a real write).
 */
export async function nextXid(world: World): Promise<string> {
  const res = await world.t.deps.pool.query<{ x: string }>(
    'select pg_snapshot_xmax(pg_current_snapshot())::text as x',
  );
  return res.rows[0]?.x ?? '';
}

export async function rowCounts(world: World): Promise<Record<string, number>> {
  const res = await world.t.deps.pool.query<Record<string, number>>(COUNT_SQL);
  return res.rows[0] ?? {};
}

/** What a surface's 4xx must look like; `label` names the request in failures. */
export function expectOwnErrorShape(surface: Surface, res: LightMyRequestResponse, label: string): void {
  const type = String(res.headers['content-type'] ?? '');
  if (surface === 'page') {
    expect(type, `${label}: a browser gets HTML`).toMatch(/^text\/html/);
    return;
  }
  // A launch refused is a page for the person; a body that is not even a form (invalid JSON) is refused
  // before the route, by the surface it is mounted in (OpenLearning's JSON under /openlearning/lti).
  if (surface === 'lti' && /^text\/html/.test(type)) return;
  let body: Record<string, unknown>;
  try {
    body = res.json<Record<string, unknown>>();
  } catch {
    throw new Error(`${label}: ${res.statusCode} body is not JSON (${type}): ${res.body.slice(0, 200)}`);
  }
  if (surface === 'openlearning' || surface === 'lti') {
    expect(body, label).toMatchObject({
      success: false,
      error: expect.any(String),
      code: expect.any(String),
    });
  } else if (surface === 'badgekit') {
    expect(body, label).toMatchObject({ code: expect.any(String) });
    expect(typeof body.message, label).toBe('string');
  } else if (surface === 'peerscholar') {
    expect(body, label).toMatchObject({ error: 'true', message: expect.any(String) });
  } else if (surface === 'oidc') {
    // RFC 6749 §5.2 / RFC 6750 §3: a JSON object with a string `error` (and a string description, if any).
    expect(type, label).toMatch(/^application\/json/);
    expect(body, label).toMatchObject({ error: expect.any(String) });
    if ('error_description' in body) expect(typeof body.error_description, label).toBe('string');
  } else if (surface === 'xapi') {
    expect(body, label).toMatchObject({ code: expect.any(String), message: expect.any(String) });
  } else if (surface === 'eventstore') {
    expect(body, label).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
  } else {
    // The native API, /ob and the operator endpoints: RFC 9457 problem+json whose status matches.
    expect(type, label).toMatch(/^application\/problem\+json/);
    expect(body, label).toMatchObject({
      status: res.statusCode,
      code: expect.any(String),
      title: expect.any(String),
    });
  }
}

/** The property every answer must hold: never a 5xx; every 4xx in the surface's own shape. */
export function expectNoServerError(surface: Surface, res: LightMyRequestResponse, label: string): void {
  if (res.statusCode >= 500) throw new Error(`${label}: ${res.statusCode} ${res.body.slice(0, 300)}`);
  if (res.statusCode >= 400) expectOwnErrorShape(surface, res, label);
}

/** The credentials worth trying on each surface (the others are "some other scheme" there). */
export const CREDENTIALS_FOR: Record<Surface, readonly CredentialKind[]> = {
  native: ['none', 'garbage', 'operator', 'operator-non-admin', 'app', 'app-user', 'session', 'program'],
  page: ['none', 'session'],
  openlearning: ['none', 'garbage', 'institution', 'operator'],
  badgekit: ['none', 'badgekit-master', 'badgekit-wrong-secret'],
  eventstore: ['none', 'garbage', 'program'],
  xapi: ['none', 'garbage', 'program'],
  peerscholar: ['none', 'garbage'],
  lti: ['none'],
  oidc: ['none', 'garbage', 'client-basic', 'client-wrong', 'app', 'app-user'],
};
