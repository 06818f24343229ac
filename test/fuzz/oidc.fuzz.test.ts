import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonSchema } from './generators.ts';
import { buildWorld, SEED, type World } from './harness.ts';
import type { Operation, Surface } from './operations.ts';
import { fuzzOperation } from './run.ts';

// The fuzz suite over the OpenID provider (/oidc, oidc-provider behind the hub's mount) and the hub's
// interaction pages: authorization, token (every grant type), userinfo, introspection, revocation,
// end-session, discovery, JWKS, and registration (disabled: it must answer 404, not fail). Bodies and
// queries use the real client, redirect URI and live tokens among hostile values, so requests get past the
// first check. The API endpoints must answer RFC 6749 JSON errors; the browser endpoints an HTML page or a
// redirect. Replay a failure with FUZZ_SEED=<seed>.
let world: World;
let operations: Operation[] = [];

/** Cases per operation and credential here: the provider's endpoints are few and fast. */
const PER_CREDENTIAL = 6;

const str: JsonSchema = { type: 'string', maxLength: 40 };
const oneOf = (...values: string[]): JsonSchema => ({ enum: values });
const obj = (properties: Record<string, JsonSchema>): JsonSchema => ({ type: 'object', properties });

function op(
  method: Operation['method'],
  path: string,
  surface: Surface,
  fields: Record<string, JsonSchema> = {},
): Operation {
  const inQuery = method === 'GET';
  return {
    method,
    path,
    surface,
    query: inQuery ? fields : { extra: str },
    body: inQuery ? undefined : obj(fields),
    bodyAs: 'form',
  };
}

function oidcOperations(w: World): Operation[] {
  const o = w.oauth;
  const client = oneOf(o.clientId, 'unknown-client', '');
  const redirect = oneOf(
    o.redirectUri,
    'https://evil.example/cb',
    `${o.redirectUri}/../x`,
    'http://127.0.0.1/',
  );
  const anyToken = oneOf(o.userToken, o.refreshToken, o.appToken, o.idToken, 'not-a-token');
  const authorization = {
    client_id: client,
    redirect_uri: redirect,
    response_type: oneOf('code', 'token', 'id_token', 'code id_token', 'none'),
    scope: oneOf('openid', 'openid profile email', 'openid offline_access', 'notifications', 'admin'),
    state: str,
    nonce: str,
    code_challenge: oneOf('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', 'short'),
    code_challenge_method: oneOf('S256', 'plain', 'S512'),
    prompt: oneOf('none', 'login', 'consent', 'select_account', 'login consent'),
    response_mode: oneOf('query', 'fragment', 'form_post', 'web_message', 'jwt'),
    max_age: oneOf('0', '-1', '1e9', 'abc'),
    id_token_hint: oneOf(o.idToken, 'eyJhbGciOiJub25lIn0.e30.'),
    request: oneOf('eyJhbGciOiJub25lIn0.e30.', 'not.a.jwt'),
    claims: oneOf('{"userinfo":{"email":null}}', '{', '[]'),
    resource: oneOf('https://fuzz.example/api'),
  };
  const endSession = {
    id_token_hint: oneOf(o.idToken, 'eyJhbGciOiJub25lIn0.e30.', ''),
    post_logout_redirect_uri: redirect,
    client_id: client,
    state: str,
    logout_hint: str,
    ui_locales: oneOf('en', 'xx-YY', ''),
  };
  const token = {
    grant_type: oneOf(
      'authorization_code',
      'refresh_token',
      'client_credentials',
      'password',
      'implicit',
      'urn:ietf:params:oauth:grant-type:device_code',
      'urn:ietf:params:oauth:grant-type:jwt-bearer',
    ),
    code: oneOf('bogus-code', o.refreshToken),
    redirect_uri: redirect,
    code_verifier: oneOf('short', 'x'.repeat(43), 'x'.repeat(129)),
    refresh_token: oneOf(o.refreshToken, o.userToken, 'nope'),
    scope: oneOf('openid', 'notifications badges:award', 'admin', 'openid offline_access', ''),
    client_id: client,
    client_secret: oneOf(o.clientSecret, 'wrong'),
    client_assertion_type: oneOf('urn:ietf:params:oauth:client-assertion-type:jwt-bearer'),
    client_assertion: oneOf('eyJhbGciOiJub25lIn0.e30.'),
    username: oneOf('fuzzer'),
    password: oneOf('correct horse battery'),
  };
  const tokenCheck = {
    token: anyToken,
    token_type_hint: oneOf('access_token', 'refresh_token', 'id_token', 'bogus'),
    client_id: client,
    client_secret: oneOf(o.clientSecret, 'wrong'),
  };
  return [
    op('GET', '/oidc/.well-known/openid-configuration', 'oidc'),
    op('GET', '/oidc/jwks', 'oidc'),
    op('GET', '/oidc/auth', 'page', authorization),
    op('POST', '/oidc/auth', 'page', authorization),
    op('GET', '/interaction/{uid}', 'page'),
    op('GET', '/oidc/session/end', 'page', endSession),
    op('POST', '/oidc/session/end', 'page', endSession),
    op('POST', '/oidc/session/end/confirm', 'page', { xsrf: str, logout: oneOf('yes', '', 'no') }),
    op('GET', '/oidc/me', 'oidc', { access_token: anyToken, schema: oneOf('openid') }),
    op('POST', '/oidc/me', 'oidc', { access_token: anyToken }),
    op('POST', '/oidc/token', 'oidc', token),
    op('GET', '/oidc/token', 'oidc', token),
    op('POST', '/oidc/token/introspection', 'oidc', tokenCheck),
    op('GET', '/oidc/reg', 'oidc', { client_id: client }),
    op('POST', '/oidc/reg', 'oidc', { redirect_uris: redirect, client_name: str }),
    op('PUT', '/oidc/unknown/{*}', 'oidc', { x: str }),
    // Last: it may revoke the live tokens the others use.
    op('POST', '/oidc/token/revocation', 'oidc', tokenCheck),
  ];
}

beforeAll(async () => {
  world = await buildWorld();
  operations = oidcOperations(world);
});
afterAll(async () => {
  await world.t.close();
});

describe(`fuzzing the OpenID provider (FUZZ_SEED=${SEED})`, () => {
  it('answers every /oidc endpoint with no 5xx, RFC 6749 JSON errors (HTML for browsers), storing nothing when it refuses', async () => {
    const failures: string[] = [];
    for (const operation of operations) {
      await fuzzOperation(world, operation, PER_CREDENTIAL).catch((error: unknown) =>
        failures.push(`${operation.method} ${operation.path}: ${String(error)}`),
      );
    }
    expect(failures).toEqual([]);
  }, 300_000);
});
