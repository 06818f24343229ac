import { createHash } from 'node:crypto';
import autocannon from 'autocannon';
import { SignJWT } from 'jose';
import type { BenchContext, BenchRow, BenchSuite } from './types.ts';

/**
 * BadgeKit: GET a system's 50-badge list through the dialect with JWT auth, 50 connections. Every request
 * carries a valid HS256 JWT whose method/path claims name this exact request; BadgeKit tokens are reusable
 * until `exp`, so one token per URL is minted up front, as a BadgeKit site's client may do.
 */
const PNG =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

async function sign(secret: string, key: string, method: string, path: string, body?: string) {
  const claims: Record<string, unknown> = { key, method, path, exp: Date.now() + 3_600_000 };
  if (body !== undefined)
    claims.body = { alg: 'SHA256', hash: createHash('sha256').update(body).digest('hex') };
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .sign(new TextEncoder().encode(secret));
}

export const run: BenchSuite = async (ctx: BenchContext): Promise<BenchRow[]> => {
  const slug = `bench${Date.now().toString(36)}`;
  await ctx.cli(['badgekit', 'systems', 'create', '--slug', slug, '--name', 'Bench', '--json']);
  const consumer = JSON.parse(
    await ctx.cli(['badgekit', 'consumers', 'create', '--system', slug, '--json']),
  ) as {
    api_key: string;
    api_secret: string;
  };
  const path = `/systems/${slug}/badges`;
  for (let i = 0; i < 50; i++) {
    const body = JSON.stringify({
      slug: `${slug}-b${i}`,
      name: `Badge ${i}`,
      earnerDescription: 'You earned it',
      consumerDescription: 'They earned it',
      criteriaUrl: 'https://example.org/criteria',
      unique: 0,
      type: 'skill',
      image: PNG,
      criteria: [{ description: 'Do the thing', required: 1, note: '' }],
      tags: ['bench', `t${i}`],
    });
    const jwt = await sign(consumer.api_secret, consumer.api_key, 'POST', path, body);
    const r = await fetch(`${ctx.url}/badgekit${path}`, {
      method: 'POST',
      headers: { authorization: `JWT token="${jwt}"`, 'content-type': 'application/json' },
      body,
    });
    if (r.status !== 201) throw new Error(`seeding badge ${i} answered ${r.status}: ${await r.text()}`);
  }
  const jwt = await sign(consumer.api_secret, consumer.api_key, 'GET', path);
  const headers = { authorization: `JWT token="${jwt}"`, accept: 'application/json' };
  // The baseline: bare Fastify sending the very bytes of the hub's answer, cached, to the same load.
  const answer = await fetch(`${ctx.url}/badgekit${path}`, { headers });
  const bare = await ctx.bare();
  await fetch(`${bare.url}/bytes`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: await answer.text(),
  });
  const seconds = ctx.seconds(10);
  const base = await autocannon({ url: `${bare.url}/bytes`, connections: 50, duration: seconds });
  const result = await autocannon({
    url: `${ctx.url}/badgekit${path}`,
    connections: 50,
    duration: seconds,
    headers,
  });
  const ok = result['2xx'];
  return [
    {
      name: "badgekit: GET a system's 50 badges (JWT), 50 clients",
      rate: Math.round(ok / result.duration),
      unit: 'req/s',
      baseline: { name: 'bare Fastify, same bytes cached', rate: Math.round(base['2xx'] / base.duration) },
      p50Ms: result.latency.p50,
      p99Ms: result.latency.p99,
      note: `${ok} ok, ${result.non2xx + result.errors} failed`,
      goal: { minRatio: 0.3, minRate: 3000 },
    },
  ];
};
