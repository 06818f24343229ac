import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/support/app.ts';
import { schemaErrors } from '../../../test/support/contract.ts';
import { BkBadgeList } from './badgekit.schemas.ts';
import { badgeInput, bk, MASTER, PNG_1PX, seedContainers } from './badgekit.testing.ts';

// GET .../badges sends cached JSON bytes (badgekit.listcache.ts) that no serialiser compares with a schema:
// real lists, in every nesting and variant, are checked against BkBadgeList here.
let t: TestApp;
// A badge whose image is a URL: the hub fetches it once (badges.remote-image.ts), so it is served here.
let imageHost: Server;
let bareImage = '';
beforeAll(async () => {
  imageHost = createServer((_req, res) => res.writeHead(200, { 'content-type': 'image/png' }).end(PNG_1PX));
  await new Promise<void>((resolve) => imageHost.listen(0, '127.0.0.1', resolve));
  const address = imageHost.address();
  bareImage = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/bare.png`;
  t = await buildTestApp({ env: { BADGEKIT_MASTER_SECRET: MASTER } });
  await seedContainers(t);
});
afterAll(async () => {
  await t.close();
  await new Promise((resolve) => imageHost.close(resolve));
});

const PROGRAM = '/systems/chicago/issuers/mozilla/programs/webmaker';

const list = async (path: string) => {
  const r = await bk(t, 'GET', path);
  expect(r.status).toBe(200);
  return r.body as { badges: Record<string, unknown>[]; pageData?: Record<string, unknown> };
};

describe('BadgeKit badge lists keep BkBadgeList', () => {
  it('an empty list, with and without paging, keeps the schema', async () => {
    const empty = await list(`${PROGRAM}/badges`);
    expect(schemaErrors(BkBadgeList, empty)).toEqual([]);
    expect(empty).toEqual({ badges: [] });
    const paged = await list(`${PROGRAM}/badges?page=1&count=5`);
    expect(schemaErrors(BkBadgeList, paged)).toEqual([]);
    expect(paged.pageData).toEqual({ page: 1, count: 5, total: 0 });
  });

  it('badges with every optional field and with none keep it in all three nestings, cached or not', async () => {
    const full = badgeInput({
      slug: 'full',
      strapline: 'All of it',
      issuerUrl: 'https://issuer.example.org',
      rubricUrl: 'https://example.org/rubric',
      timeValue: 3,
      timeUnits: 'hours',
      limit: 10,
      unique: 1,
      evidenceType: 'URL',
      criteria: [
        { description: 'Must', required: 1, note: 'a note' },
        { description: 'May', required: 0 },
      ],
      alignments: [
        { name: 'Described', url: 'https://example.org/a', description: 'an alignment' },
        { name: 'Second', url: 'https://example.org/b', description: 'b' },
      ],
      categories: ['science', 'art'],
      tags: ['one', 'two'],
    });
    expect((await bk(t, 'POST', `${PROGRAM}/badges`, full)).status).toBe(201);
    const bare = badgeInput({ slug: 'bare', image: bareImage });
    expect((await bk(t, 'POST', '/systems/chicago/badges', bare)).status).toBe(201);
    const old = badgeInput({ slug: 'old' });
    expect((await bk(t, 'POST', '/systems/chicago/issuers/mozilla/badges', old)).status).toBe(201);
    expect((await bk(t, 'PUT', '/systems/chicago/issuers/mozilla/badges/old', { archived: 1 })).status).toBe(
      200,
    );

    for (const path of [
      `${PROGRAM}/badges`,
      '/systems/chicago/issuers/mozilla/badges?archived=any',
      '/systems/chicago/badges?archived=any&page=1&count=2',
      '/systems/chicago/badges?archived=any&page=2&count=2',
      '/systems/chicago/badges?archived=true',
    ]) {
      const body = await list(path);
      expect(schemaErrors(BkBadgeList, body), path).toEqual([]);
      const again = await list(path);
      expect(again, `${path} from the cache`).toEqual(body);
    }
    const [fullBadge] = (await list(`${PROGRAM}/badges`)).badges;
    expect(fullBadge).toMatchObject({
      strapline: 'All of it',
      timeValue: 3,
      unique: 1,
      system: { slug: 'chicago' },
      issuer: { slug: 'mozilla' },
      program: { slug: 'webmaker' },
      criteria: [{ required: 1, note: 'a note' }, { required: 0 }],
      tags: [{ value: 'one' }, { value: 'two' }],
    });
    const bareBadge = (await list('/systems/chicago/badges')).badges.find((b) => b.slug === 'bare');
    expect(bareBadge).toMatchObject({
      strapline: null,
      timeValue: null,
      unique: 0,
      imageUrl: bareImage,
      criteria: [],
    });
    expect(bareBadge).not.toHaveProperty('issuer');
  });
});
