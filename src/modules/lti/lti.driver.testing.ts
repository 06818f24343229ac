import type { JWTPayload } from 'jose';
import type { TestApp } from '../../../test/support/app.ts';
import type { FakePlatform } from './lti.testing.ts';

/** Drives the hub's side of LTI launches through `inject()` (login, then the id_token POST). */
export class LaunchDriver {
  constructor(
    readonly hub: TestApp,
    readonly platform: FakePlatform,
  ) {}

  /** Registers the platform through the admin API; returns the registration's id. */
  async register(extra: Record<string, unknown> = {}): Promise<string> {
    const token = await this.hub.operatorToken();
    const res = await this.hub.app.inject({
      method: 'POST',
      url: '/api/v1/lti/platforms',
      headers: { authorization: `Bearer ${token}` },
      payload: this.platform.registration(extra),
    });
    if (res.statusCode !== 201) throw new Error(`registration failed: ${res.statusCode} ${res.body}`);
    return (res.json() as { id: string }).id;
  }

  async patch(id: string, body: Record<string, unknown>): Promise<void> {
    const token = await this.hub.operatorToken();
    const res = await this.hub.app.inject({
      method: 'PATCH',
      url: `/api/v1/lti/platforms/${id}`,
      headers: { authorization: `Bearer ${token}` },
      payload: body,
    });
    if (res.statusCode !== 200) throw new Error(`patch failed: ${res.statusCode} ${res.body}`);
  }

  async login(extra: Record<string, string> = {}) {
    const res = await this.hub.app.inject({
      method: 'POST',
      url: '/lti/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        iss: this.platform.issuer,
        login_hint: 'hint-1',
        target_link_uri: 'http://hub.test/lti/launch',
        client_id: this.platform.clientId,
        lti_deployment_id: this.platform.deploymentId,
        ...extra,
      }).toString(),
    });
    const cookie = res.cookies.find((c) => c.name.startsWith('lti_state_'));
    const location = res.headers.location;
    const auth = typeof location === 'string' ? new URL(location) : undefined;
    const state = auth?.searchParams.get('state') ?? /data-state="([^"]+)"/.exec(res.body)?.[1] ?? '';
    const nonce = auth?.searchParams.get('nonce') ?? /data-nonce="([^"]+)"/.exec(res.body)?.[1] ?? '';
    return {
      res,
      auth,
      state,
      nonce,
      cookie: cookie ? `${cookie.name}=${cookie.value}` : '',
      rawCookie: cookie,
    };
  }

  async post(url: string, fields: Record<string, string>, cookie = '') {
    return this.hub.app.inject({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...(cookie ? { cookie } : {}) },
      payload: new URLSearchParams(fields).toString(),
    });
  }

  /** A whole launch: login, an id_token with these claims (and token options), the POST with the cookie. */
  async launch(
    claims: JWTPayload,
    options: Partial<Parameters<FakePlatform['idToken']>[1]> & { url?: string; cookie?: boolean } = {},
  ) {
    const started = await this.login();
    const token = await this.platform.idToken(claims, { nonce: started.nonce, ...options });
    const res = await this.post(
      options.url ?? '/lti/launch',
      { id_token: token, state: started.state },
      options.cookie === false ? '' : started.cookie,
    );
    return { res, token, started };
  }

  async counts() {
    const q = async (table: string) =>
      Number(
        (await this.hub.deps.pool.query<{ n: string }>(`select count(*) as n from ${table}`)).rows[0]?.n ?? 0,
      );
    return {
      users: await q('users'),
      courses: await q('courses'),
      accounts: await q('lti_accounts'),
      contexts: await q('lti_contexts'),
      memberships: await q('course_memberships'),
    };
  }
}
