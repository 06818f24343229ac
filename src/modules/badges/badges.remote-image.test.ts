import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/support/app.ts';
import { badgeInput, bk, MASTER, PNG_1PX, seedContainers } from '../../dialects/badgekit/badgekit.testing.ts';
import { extractPng, extractSvg } from './badges.bake.ts';
import { MAX_IMAGE_BYTES } from './badges.validation.ts';

// A badge made with an image URL gets a stored copy, fetched through the outbound guard, so its awards have
// baked PNG and SVG downloads; a URL that cannot give a usable image refuses the request with a 400 naming
// `image`, and nothing is stored. The image host is a real HTTP server on 127.0.0.1 (the test hub allows
// private addresses, as for webhook receivers; the last block turns that off).

const SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"><circle cx="32" cy="32" r="30"/></svg>';

let host: Server;
let base = '';
let hits = 0;

async function startImageHost(): Promise<void> {
  host = createServer((req, res) => {
    hits += 1;
    const send = (status: number, type: string, body: Buffer | string) => {
      res.writeHead(status, { 'content-type': type });
      res.end(body);
    };
    switch (req.url) {
      case '/badge.png':
        return send(200, 'image/png', PNG_1PX);
      case '/badge.svg':
        return send(200, 'image/svg+xml', SVG);
      case '/moved.png':
        res.writeHead(302, { location: '/badge.png' });
        return res.end();
      case '/page.html':
        return send(200, 'text/html', '<!doctype html><p>not an image</p>');
      case '/huge.png':
        return send(200, 'image/png', Buffer.concat([PNG_1PX, Buffer.alloc(MAX_IMAGE_BYTES + 1)]));
      case '/streamed.png': {
        // No content-length: the limit must hold while reading.
        res.writeHead(200, { 'content-type': 'image/png', 'transfer-encoding': 'chunked' });
        res.write(PNG_1PX);
        for (let i = 0; i < 9; i++) res.write(Buffer.alloc(64 * 1024));
        return res.end();
      }
      default:
        return send(404, 'text/plain', 'no such file');
    }
  });
  await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
  const address = host.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
}

const B = '/systems/chicago/badges';

beforeAll(startImageHost);
afterAll(() => new Promise((resolve) => host.close(resolve)));

async function badgeCount(t: TestApp): Promise<number> {
  const { rows } = await t.deps.pool.query<{ n: string }>('select count(*) as n from badges');
  return Number(rows[0]?.n ?? 0);
}

describe('badges with an image URL', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp({ env: { BADGEKIT_MASTER_SECRET: MASTER } });
    await seedContainers(t);
  });
  afterAll(() => t.close());

  it('fetches a PNG once, keeps the URL as imageUrl, and bakes awards from the stored copy', async () => {
    const url = `${base}/badge.png`;
    const created = await bk(t, 'POST', B, badgeInput({ slug: 'remote-png', image: url }));
    expect(created.status).toBe(201);
    expect((created.body.badge as Record<string, unknown>).imageUrl).toBe(url);
    const award = await bk(t, 'POST', `${B}/remote-png/instances`, { email: 'learner@example.org' });
    expect(award.status).toBe(201);
    const slug = String((award.body.instance as Record<string, unknown>).slug);
    const before = hits;
    const png = await t.app.inject({ method: 'GET', url: `/ob/v2/assertions/${slug}/image.png` });
    expect(png.statusCode).toBe(200);
    expect(png.headers['content-type']).toBe('image/png');
    expect(extractPng(png.rawPayload)).toContain(`/ob/v2/assertions/${slug}`);
    const svg = await t.app.inject({ method: 'GET', url: `/ob/v2/assertions/${slug}/image.svg` });
    expect(svg.statusCode).toBe(200);
    expect(extractSvg(svg.body)?.verify).toContain(`/ob/v2/assertions/${slug}`);
    // Baking never goes back to the image's server.
    expect(hits).toBe(before);
  });

  it('rasterises a remote SVG for the baked PNG, and follows a redirect', async () => {
    expect(
      (await bk(t, 'POST', B, badgeInput({ slug: 'remote-svg', image: `${base}/badge.svg` }))).status,
    ).toBe(201);
    const award = await bk(t, 'POST', `${B}/remote-svg/instances`, { email: 'learner@example.org' });
    const slug = String((award.body.instance as Record<string, unknown>).slug);
    const png = await t.app.inject({ method: 'GET', url: `/ob/v2/assertions/${slug}/image.png` });
    expect(png.statusCode).toBe(200);
    expect(png.rawPayload.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect((await bk(t, 'POST', B, badgeInput({ slug: 'moved', image: `${base}/moved.png` }))).status).toBe(
      201,
    );
  });

  it('changing a badge to an image URL fetches it too', async () => {
    expect((await bk(t, 'POST', B, badgeInput({ slug: 'changed' }))).status).toBe(201);
    const changed = await bk(t, 'PUT', `${B}/changed`, { image: `${base}/badge.svg` });
    expect(changed.status).toBe(200);
    const award = await bk(t, 'POST', `${B}/changed/instances`, { email: 'learner@example.org' });
    const slug = String((award.body.instance as Record<string, unknown>).slug);
    expect(
      (await t.app.inject({ method: 'GET', url: `/ob/v2/assertions/${slug}/image.png` })).statusCode,
    ).toBe(200);
  });

  it.each([
    ['a missing file', '/missing.png', 'answered 404'],
    ['a page that is not an image', '/page.html', 'is not a PNG, JPEG, GIF or SVG image'],
    ['a file over the size limit', '/huge.png', `at most ${MAX_IMAGE_BYTES} bytes`],
    ['a streamed file over the size limit', '/streamed.png', `at most ${MAX_IMAGE_BYTES} bytes`],
  ])('refuses %s with a 400 naming image, and stores nothing', async (_what, path, message) => {
    const count = await badgeCount(t);
    const r = await bk(
      t,
      'POST',
      B,
      badgeInput({ slug: `bad${path.replace(/\W/g, '-')}`, image: `${base}${path}` }),
    );
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ code: 'ValidationError', details: [{ field: 'image' }] });
    expect(JSON.stringify(r.body)).toContain(message);
    expect(await badgeCount(t)).toBe(count);
  });

  it('refuses a server that does not answer at all', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const address = closed.address();
    await new Promise((resolve) => closed.close(resolve));
    const port = typeof address === 'object' && address ? address.port : 0;
    const r = await bk(t, 'POST', B, badgeInput({ slug: 'nobody', image: `http://127.0.0.1:${port}/x.png` }));
    expect(r.status).toBe(400);
    expect(JSON.stringify(r.body)).toContain('could not be fetched');
  });
});

describe('badges with an image URL on a private address', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp({ env: { BADGEKIT_MASTER_SECRET: MASTER, OUTBOUND_ALLOW_PRIVATE: 'false' } });
    await seedContainers(t);
  });
  afterAll(() => t.close());

  it('never connects to 127.0.0.1 and refuses with a 400 that says why', async () => {
    const before = hits;
    const r = await bk(t, 'POST', B, badgeInput({ slug: 'inside', image: `${base}/badge.png` }));
    expect(r.status).toBe(400);
    expect(JSON.stringify(r.body)).toContain('private or local network address');
    expect(hits).toBe(before);
    expect(await badgeCount(t)).toBe(0);
  });
});
