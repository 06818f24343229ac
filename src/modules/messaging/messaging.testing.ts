// Test support for this module's tests (not used by the hub itself).
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestApp } from '../../../test/support/app.ts';
import { basicAuth, oauthWorld } from '../../../test/support/oidc.ts';

export interface ReceivedPut {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** An app's reply endpoint on 127.0.0.1 that records requests and answers `status` (changeable). */
export async function startReceiver() {
  const received: ReceivedPut[] = [];
  const state = { status: 200 };
  const waiters: Array<() => void> = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => {
      received.push({
        method: request.method ?? '',
        url: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      response.statusCode = state.status;
      response.end('ok');
      for (const wake of waiters.splice(0)) wake();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/replies`,
    received,
    state,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Alice (verified) has connected the MOOC app with the notifications scope; Bob has not. */
export async function messagingWorld(t: TestApp, replyUrl?: string) {
  const w = await oauthWorld(t);
  await w.userToken('alice', 'openid profile notifications');
  const operator = await t.operatorToken();
  if (replyUrl) {
    const res = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/apps/${w.client.id}`,
      headers: { authorization: `Bearer ${operator}` },
      payload: { reply_url: replyUrl },
    });
    if (res.statusCode !== 200)
      throw new Error(`setting the reply URL answered ${res.statusCode}: ${res.body}`);
  }
  const appAuth = basicAuth(w.client.id, w.client.secret);
  const send = (payload: Record<string, unknown>, authorization = appAuth) =>
    t.app.inject({ method: 'POST', url: '/api/v1/messages', headers: { authorization }, payload });
  return { ...w, operator, appAuth, send };
}
