import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../support/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => {
  await t.close();
});

describe('the API description', () => {
  it('serves a valid OpenAPI 3.1 document at /openapi.json', async () => {
    const res = await t.app.inject('/openapi.json');
    expect(res.statusCode).toBe(200);
    const document = res.json();
    expect(document.openapi).toBe('3.1.0');
    const validator = new Validator();
    const result = await validator.validate(document);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('documents every native API route with a response schema', async () => {
    const document = (await t.app.inject('/openapi.json')).json() as {
      paths: Record<string, Record<string, { responses?: Record<string, unknown>; tags?: string[] }>>;
    };
    const native = Object.entries(document.paths).filter(([p]) => p.startsWith('/api/v1/'));
    expect(native.length).toBeGreaterThan(0);
    for (const [route, operations] of native) {
      for (const [method, operation] of Object.entries(operations)) {
        expect(Object.keys(operation.responses ?? {}), `${method} ${route}`).not.toHaveLength(0);
        expect(operation.tags?.length, `${method} ${route} has a tag`).toBeGreaterThan(0);
      }
    }
  });

  it('serves a readable API reference page at /docs', async () => {
    const res = await t.app.inject('/docs/');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
  });
});
