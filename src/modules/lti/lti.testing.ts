import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createLocalJWKSet,
  exportJWK,
  generateKeyPair,
  type JWK,
  type JWTPayload,
  jwtVerify,
  SignJWT,
} from 'jose';
import { AGS_CLAIM, LTI, NRPS_CLAIM } from './lti.claims.ts';

/** LIS role URIs used by the tests. */
export const ROLES = {
  learner: 'http://purl.imsglobal.org/vocab/lis/v2/membership#Learner',
  instructor: 'http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor',
  ta: 'http://purl.imsglobal.org/vocab/lis/v2/membership/Instructor#TeachingAssistant',
  contentDeveloper: 'http://purl.imsglobal.org/vocab/lis/v2/membership#ContentDeveloper',
  admin: 'http://purl.imsglobal.org/vocab/lis/v2/institution/person#Administrator',
} as const;

export interface FakeMember {
  user_id: string;
  name?: string;
  email?: string;
  roles: string[];
  status?: 'Active' | 'Inactive' | 'Deleted';
}

export interface ReceivedScore {
  readonly lineItem: string;
  readonly body: Record<string, unknown>;
  readonly token: string;
}

type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void | Promise<void>;

async function keyPair(kid: string) {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  return { privateKey, jwk, kid };
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  type = 'application/json',
  headers: Record<string, string> = {},
) {
  res.writeHead(status, { 'content-type': type, ...headers });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
}

/**
 * An LMS on 127.0.0.1 for the tests: its own RS256 keys and JWKS, an OIDC authentication endpoint that
 * answers with the auto-posting form a real platform sends, a token endpoint checking the tool's JWT client
 * assertion against the tool's JWKS, AGS line items and scores, and NRPS memberships with Link paging.
 */
export class FakePlatform {
  readonly issuer: string;
  readonly clientId = 'hub-client-1';
  readonly deploymentId = 'deployment-1';
  server: Server;
  keys!: Awaited<ReturnType<typeof keyPair>>;
  /** What the JWKS endpoint serves: 'ok', an HTTP error status, or keys other than the signing one. */
  jwksMode: 'ok' | number | 'rotated' = 'ok';
  jwksFetches = 0;
  /** Claims the auth endpoint puts in the id_token (the person and context of the "current" launch). */
  launchClaims: JWTPayload = {};
  /** The tool's JWKS, for checking client assertions (the tests give it the hub's /lti/jwks). */
  toolJwks: () => Promise<{ keys: JWK[] }> = async () => ({ keys: [] });
  readonly scores: ReceivedScore[] = [];
  readonly tokenRequests: Record<string, string>[] = [];
  readonly lineItems: Record<string, unknown>[] = [];
  members: FakeMember[] = [];
  pageSize = 2;
  /** Status codes the score endpoint answers with before accepting (to test retries). */
  scoreFailures: number[] = [];
  #tokens = new Set<string>();
  #handlers = new Map<string, Handler>();

  private constructor(
    readonly url: string,
    server: Server,
  ) {
    this.issuer = url;
    this.server = server;
  }

  static async start(): Promise<FakePlatform> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const platform = new FakePlatform(`http://127.0.0.1:${port}`, server);
    platform.keys = await keyPair('platform-key-1');
    server.on('request', (req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      req.on('end', () => {
        const path = (req.url ?? '/').split('?')[0] ?? '/';
        const handler = platform.#handlers.get(`${req.method} ${path}`) ?? platform.#route(req, path);
        if (!handler) return send(res, 404, { error: 'not found' });
        Promise.resolve(handler(req, body, res)).catch((error: unknown) =>
          send(res, 500, { error: String(error) }),
        );
      });
    });
    return platform;
  }

  /** The platform starts signing with a new key pair (its JWKS then serves only the new key). */
  async rotateKeys(kid: string) {
    this.keys = await keyPair(kid);
  }

  get jwksUrl() {
    return `${this.url}/jwks`;
  }
  get authEndpoint() {
    return `${this.url}/auth`;
  }
  get tokenEndpoint() {
    return `${this.url}/token`;
  }
  get lineItemsUrl() {
    return `${this.url}/contexts/c1/lineitems`;
  }
  get membershipsUrl() {
    return `${this.url}/contexts/c1/memberships`;
  }

  /** A registration body for the hub's admin API. */
  registration(extra: Record<string, unknown> = {}) {
    return {
      name: 'Fake LMS',
      issuer: this.issuer,
      client_id: this.clientId,
      deployment_ids: [this.deploymentId],
      auth_endpoint: this.authEndpoint,
      token_endpoint: this.tokenEndpoint,
      jwks_url: this.jwksUrl,
      ...extra,
    };
  }

  /** The standard claims of a resource-link launch for a person with these roles. */
  claimsFor(
    person: { sub: string; roles: string[]; name?: string; email?: string },
    context = 'c1',
  ): JWTPayload {
    return {
      sub: person.sub,
      ...(person.name ? { name: person.name } : {}),
      ...(person.email ? { email: person.email } : {}),
      [`${LTI}message_type`]: 'LtiResourceLinkRequest',
      [`${LTI}version`]: '1.3.0',
      [`${LTI}deployment_id`]: this.deploymentId,
      [`${LTI}target_link_uri`]: 'http://hub.test/lti/launch',
      [`${LTI}resource_link`]: { id: 'rl-1', title: 'Week 1' },
      [`${LTI}roles`]: person.roles,
      [`${LTI}context`]: {
        id: context,
        label: 'BIO101',
        title: 'Biology 101',
        type: ['http://purl.imsglobal.org/vocab/lis/v2/course#CourseOffering'],
      },
      [AGS_CLAIM]: {
        scope: [
          'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem',
          'https://purl.imsglobal.org/spec/lti-ags/scope/score',
        ],
        lineitems: this.lineItemsUrl,
        lineitem: `${this.lineItemsUrl}/1`,
      },
      [NRPS_CLAIM]: { context_memberships_url: this.membershipsUrl, service_versions: ['2.0'] },
    };
  }

  /** Signs an id_token as this platform would (or, with options, as a broken or hostile one would). */
  async idToken(
    claims: JWTPayload,
    options: {
      nonce: string;
      alg?: string;
      kid?: string | null;
      key?: CryptoKey;
      aud?: string | string[];
      iatOffsetS?: number;
    },
  ): Promise<string> {
    const now = Math.floor(Date.now() / 1000) + (options.iatOffsetS ?? 0);
    const header: Record<string, string> = { alg: options.alg ?? 'RS256', typ: 'JWT' };
    if (options.kid !== null) header.kid = options.kid ?? this.keys.kid;
    return new SignJWT({ nonce: options.nonce, ...claims })
      .setProtectedHeader(header as { alg: string })
      .setIssuer(this.issuer)
      .setAudience(options.aud ?? this.clientId)
      .setIssuedAt(now)
      .setExpirationTime(now + 300)
      .sign(options.key ?? this.keys.privateKey);
  }

  #route(req: IncomingMessage, path: string): Handler | undefined {
    if (req.method === 'GET' && path === '/jwks') return (_r, _b, res) => this.#jwks(res);
    if (req.method === 'GET' && path === '/openid-configuration')
      return (_r, _b, res) => this.#openidConfiguration(res);
    if (req.method === 'POST' && path === '/register') return (r, b, res) => this.#register(r, b, res);
    if (req.method === 'GET' && path === '/auth') return (r, _b, res) => this.#auth(r, res);
    if (req.method === 'POST' && path === '/token') return (_r, b, res) => this.#token(b, res);
    if (path === '/contexts/c1/lineitems') return (r, b, res) => this.#lineItems(r, b, res);
    if (req.method === 'POST' && /^\/contexts\/c1\/lineitems\/\d+\/scores$/.test(path))
      return (r, b, res) => this.#score(r, path, b, res);
    if (req.method === 'GET' && path === '/contexts/c1/memberships')
      return (r, _b, res) => this.#memberships(r, res);
    return undefined;
  }

  /** Registration requests received (Dynamic Registration), with their bearer tokens. */
  readonly registrations: { auth: string | undefined; body: Record<string, unknown> }[] = [];

  #openidConfiguration(res: ServerResponse) {
    send(res, 200, {
      issuer: this.issuer,
      authorization_endpoint: this.authEndpoint,
      token_endpoint: this.tokenEndpoint,
      jwks_uri: this.jwksUrl,
      registration_endpoint: `${this.url}/register`,
      'https://purl.imsglobal.org/spec/lti-platform-configuration': {
        product_family_code: 'fakelms',
        version: '1.0',
      },
    });
  }

  #register(req: IncomingMessage, body: string, res: ServerResponse) {
    const auth = req.headers.authorization;
    this.registrations.push({ auth, body: JSON.parse(body) as Record<string, unknown> });
    if (auth !== 'Bearer reg-token-1') return send(res, 401, { error: 'invalid_token' });
    const parsed = JSON.parse(body) as Record<string, unknown>;
    const tool = parsed['https://purl.imsglobal.org/spec/lti-tool-configuration'] as Record<string, unknown>;
    send(res, 200, {
      ...parsed,
      client_id: 'dyn-client-1',
      'https://purl.imsglobal.org/spec/lti-tool-configuration': {
        ...tool,
        deployment_id: 'dyn-deployment-1',
      },
    });
  }

  #jwks(res: ServerResponse) {
    this.jwksFetches++;
    if (typeof this.jwksMode === 'number') return send(res, this.jwksMode, { error: 'moved' });
    if (this.jwksMode === 'rotated')
      return send(res, 200, { keys: [{ ...this.keys.jwk, kid: 'some-other-key' }] });
    send(res, 200, { keys: [this.keys.jwk] });
  }

  /** OIDC authentication request → the auto-posting form with id_token and state (response_mode=form_post). */
  async #auth(req: IncomingMessage, res: ServerResponse) {
    const q = new URL(req.url ?? '/', this.url).searchParams;
    const expected = {
      scope: 'openid',
      response_type: 'id_token',
      response_mode: 'form_post',
      prompt: 'none',
    };
    for (const [k, v] of Object.entries(expected))
      if (q.get(k) !== v)
        return send(res, 400, { error: 'invalid_request', error_description: `${k} must be ${v}` });
    if (q.get('client_id') !== this.clientId) return send(res, 400, { error: 'unauthorized_client' });
    const nonce = q.get('nonce') ?? '';
    const token = await this.idToken(this.launchClaims, { nonce });
    const action = q.get('redirect_uri') ?? '';
    const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
    send(
      res,
      200,
      `<!doctype html><form method="post" action="${esc(action)}"><input type="hidden" name="id_token" value="${esc(token)}"><input type="hidden" name="state" value="${esc(q.get('state') ?? '')}"><button>Go</button></form><script>document.forms[0].submit()</script>`,
      'text/html',
    );
  }

  async #token(body: string, res: ServerResponse) {
    const form = Object.fromEntries(new URLSearchParams(body));
    this.tokenRequests.push(form);
    if (form.grant_type !== 'client_credentials') return send(res, 400, { error: 'unsupported_grant_type' });
    if (form.client_assertion_type !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer')
      return send(res, 400, { error: 'invalid_request' });
    try {
      const jwks = createLocalJWKSet(await this.toolJwks());
      await jwtVerify(form.client_assertion ?? '', jwks, {
        algorithms: ['RS256'],
        issuer: this.clientId,
        subject: this.clientId,
        audience: this.tokenEndpoint,
        requiredClaims: ['jti', 'iat', 'exp'],
      });
    } catch (error) {
      return send(res, 401, { error: 'invalid_client', error_description: String(error) });
    }
    const token = `at-${Math.random().toString(36).slice(2)}`;
    this.#tokens.add(token);
    send(res, 200, { access_token: token, token_type: 'Bearer', expires_in: 3600, scope: form.scope });
  }

  #authorised(req: IncomingMessage): string | undefined {
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    return token && this.#tokens.has(token) ? token : undefined;
  }

  /** Forgets every access token it issued (as if they expired). */
  expireTokens() {
    this.#tokens.clear();
  }

  #lineItems(req: IncomingMessage, body: string, res: ServerResponse) {
    if (!this.#authorised(req)) return send(res, 401, { error: 'invalid_token' });
    if (req.method === 'GET')
      return send(res, 200, this.lineItems, 'application/vnd.ims.lis.v2.lineitemcontainer+json');
    const item = {
      ...(JSON.parse(body) as Record<string, unknown>),
      id: `${this.lineItemsUrl}/${this.lineItems.length + 2}`,
    };
    this.lineItems.push(item);
    send(res, 201, item, 'application/vnd.ims.lis.v2.lineitem+json');
  }

  #score(req: IncomingMessage, path: string, body: string, res: ServerResponse) {
    const token = this.#authorised(req);
    if (!token) return send(res, 401, { error: 'invalid_token' });
    if (req.headers['content-type'] !== 'application/vnd.ims.lis.v1.score+json') return send(res, 415, {});
    const failure = this.scoreFailures.shift();
    if (failure) return send(res, failure, { error: 'try later' });
    this.scores.push({
      lineItem: `${this.url}${path.replace(/\/scores$/, '')}`,
      body: JSON.parse(body) as Record<string, unknown>,
      token,
    });
    res.writeHead(204).end();
  }

  #memberships(req: IncomingMessage, res: ServerResponse) {
    if (!this.#authorised(req)) return send(res, 401, { error: 'invalid_token' });
    const page = Number(new URL(req.url ?? '/', this.url).searchParams.get('page') ?? '0');
    const slice = this.members.slice(page * this.pageSize, (page + 1) * this.pageSize);
    const headers: Record<string, string> = {};
    if ((page + 1) * this.pageSize < this.members.length)
      headers.link = `<${this.membershipsUrl}?page=${page + 1}>; rel="next"`;
    send(
      res,
      200,
      {
        id: `${this.membershipsUrl}?page=${page}`,
        context: { id: 'c1', title: 'Biology 101' },
        members: slice.map((m) => ({ status: 'Active', ...m })),
      },
      'application/vnd.ims.lti-nrps.v2.membershipcontainer+json',
      headers,
    );
  }

  async close() {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

export { LaunchDriver } from './lti.driver.testing.ts';
