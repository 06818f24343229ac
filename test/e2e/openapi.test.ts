import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishedWebhookEvents } from '../../src/modules/webhooks/index.ts';
import { buildTestApp, type TestApp } from '../support/app.ts';

interface RequestBody {
  content: {
    'application/json': {
      schema: {
        required: string[];
        properties: { type: { const: string }; data: { additionalProperties: boolean } };
      };
    };
  };
}

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

  it('documents every webhook type apps can receive, with its signed headers and versioned body', async () => {
    const document = (await t.app.inject('/openapi.json')).json() as {
      webhooks?: Record<string, { post: { parameters: { name: string }[]; requestBody: RequestBody } }>;
    };
    const types = publishedWebhookEvents().map((spec) => spec.type);
    expect(types).toEqual(expect.arrayContaining(['app.authorized', 'course.published', 'webhook.test']));
    expect(Object.keys(document.webhooks ?? {}).sort()).toEqual([...types].sort());
    for (const type of types) {
      const post = document.webhooks?.[type]?.post;
      expect(post?.parameters.map((p) => p.name)).toEqual([
        'webhook-id',
        'webhook-timestamp',
        'webhook-signature',
      ]);
      const schema = post?.requestBody.content['application/json'].schema;
      expect(schema?.required).toEqual(['type', 'version', 'id', 'timestamp', 'data']);
      expect(schema?.properties.type.const, type).toBe(type);
      expect(schema?.properties.data.additionalProperties, type).toBe(false);
    }
  });

  it('serves a readable API reference page at /docs', async () => {
    const res = await t.app.inject('/docs/');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
  });
});
