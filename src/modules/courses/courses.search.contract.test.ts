import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/support/app.ts';
import { jsonOf, schemaErrors } from '../../../test/support/contract.ts';
import { SearchResultJson } from './courses.schemas.ts';
import { appWithToken } from './courses.testing.ts';

// GET /api/v1/courses sends the JSON PostgreSQL built (courses.search.repository.ts) without the response
// schema's serialiser: these bodies, real ones in every variant, are checked against SearchResultJson.
let t: TestApp;
let authorization = '';
beforeAll(async () => {
  t = await buildTestApp();
  authorization = (await appWithToken(t, 'Contract')).authorization;
});
afterAll(() => t.close());

const search = async (query: string) => {
  const r = await t.app.inject({ url: `/api/v1/courses${query}` });
  expect(r.statusCode).toBe(200);
  return jsonOf(r.payload) as Record<string, unknown>;
};

const publish = async (payload: Record<string, unknown>) => {
  const r = await t.app.inject({
    method: 'POST',
    url: '/api/v1/courses',
    headers: { authorization },
    payload,
  });
  expect(r.statusCode).toBe(201);
};

describe('course search bodies keep SearchResultJson', () => {
  it('an empty register, with and without facets, keeps the schema', async () => {
    const empty = await search('');
    expect(schemaErrors(SearchResultJson, empty)).toEqual([]);
    expect(empty).toMatchObject({
      data: [],
      next_cursor: null,
      facets: { style: [], language: [], tags: [] },
    });
    const noFacets = await search('?facets=false&q=nothing');
    expect(schemaErrors(SearchResultJson, noFacets)).toEqual([]);
    expect(noFacets.facets).toBeNull();
  });

  it('courses with every optional field set and with none set keep the schema, paged and faceted', async () => {
    await publish({
      title: 'Gardening for Everyone',
      shortcode: 'GARDEN1',
      description: 'Soil, seeds and patience',
      category: 'Life',
      tags: ['garden', 'outdoors'],
      course_style: 'MOOC',
      signup_url: 'https://garden.example/signup',
      language: 'en',
      start_date: '2026-01-05T09:00:00Z',
      end_date: '2026-03-01T17:30:00.250Z',
    });
    await publish({ title: 'Gardening, bare', description: 'Nothing optional' });
    const first = await search('?limit=1');
    expect(schemaErrors(SearchResultJson, first)).toEqual([]);
    expect(first.next_cursor).toEqual(expect.any(String));
    const second = await search(`?limit=1&cursor=${encodeURIComponent(String(first.next_cursor))}`);
    expect(schemaErrors(SearchResultJson, second)).toEqual([]);
    const full = await search('?q=gardening&tags=garden&style=MOOC&language=en');
    expect(schemaErrors(SearchResultJson, full)).toEqual([]);
    expect(full.data).toMatchObject([
      {
        shortcode: 'GARDEN1',
        category: 'Life',
        start_date: '2026-01-05T09:00:00.000Z',
        end_date: '2026-03-01T17:30:00.250Z',
        owner: { app_id: expect.any(String), institution_id: null, user_id: null },
      },
    ]);
    const bare = await search('?q=bare');
    expect(schemaErrors(SearchResultJson, bare)).toEqual([]);
    expect(bare.data).toMatchObject([{ shortcode: null, category: null, start_date: null, tags: [] }]);
  });

  it('a misspelt search answered by the fuzzy fallback keeps the schema', async () => {
    await publish({ title: 'Astronomy Basics', description: 'Stars' });
    const fuzzy = await search('?q=astronmy');
    expect(schemaErrors(SearchResultJson, fuzzy)).toEqual([]);
    expect(fuzzy).toMatchObject({ fuzzy: true, data: [{ title: 'Astronomy Basics' }] });
  });
});
