import { randomUUID } from 'node:crypto';
import type { TestApp } from '../../../test/support/app.ts';

/** Test helpers shared by the xAPI dialect's test files. */
export const basicOf = (k: { user_id: string; api_key: string }) =>
  `Basic ${Buffer.from(`${k.user_id}:${k.api_key}`).toString('base64')}`;

export const COMPLETED = 'http://adlnet.gov/expapi/verbs/completed';
export const VOIDED = 'http://adlnet.gov/expapi/verbs/voided';

/** A valid statement (an Agent completing an Activity), with any property overridden. */
export function statement(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    actor: { objectType: 'Agent', name: 'Ada', mbox: 'mailto:ada@example.com' },
    verb: { id: COMPLETED, display: { 'en-US': 'completed' } },
    object: {
      objectType: 'Activity',
      id: 'http://example.com/courses/intro',
      definition: { name: { 'en-US': 'Intro' } },
    },
    ...overrides,
  };
}

export const uuid = () => randomUUID();

export function xapi(
  t: TestApp,
  auth: string,
  method: 'GET' | 'PUT' | 'POST',
  url: string,
  payload?: unknown,
  headers: Record<string, string> = {},
) {
  return t.app.inject({
    method,
    url: `/xapi${url}`,
    headers: {
      authorization: auth,
      'x-experience-api-version': '1.0.3',
      ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    ...(payload === undefined ? {} : { payload: JSON.stringify(payload) }),
  });
}
