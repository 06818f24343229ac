import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../errors/index.ts';
import { installDialect, readPageWindow, totalPages } from './index.ts';

async function tinyDialect() {
  const app = Fastify();
  await app.register(
    async (child) => {
      installDialect(child, {
        name: 'tiny',
        prefix: child.prefix,
        challenge: 'Basic realm="tiny"',
        render: (error) => ({ status: error.status, body: { oops: error.code, why: error.message } }),
      });
      child.get('/things', async () => ({ things: [] }));
      child.get('/secret', async () => {
        throw new AppError('auth.unauthenticated', 'Who are you?');
      });
      child.get('/boom', async () => {
        throw new Error('database password is hunter2');
      });
    },
    { prefix: '/tiny' },
  );
  return app;
}

describe('installDialect', () => {
  it('answers an unknown path with 404 and a known path with another method with 405 + Allow, in its shape', async () => {
    const app = await tinyDialect();
    const missing = await app.inject({ method: 'GET', url: '/tiny/nothing' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({ oops: 'route.not_found', why: 'No such endpoint: GET /tiny/nothing' });
    const wrong = await app.inject({ method: 'DELETE', url: '/tiny/things?x=1' });
    expect(wrong.statusCode).toBe(405);
    expect(wrong.headers.allow).toBe('GET, HEAD');
    expect(wrong.json().oops).toBe('request.method_not_allowed');
  });

  it('renders thrown errors in its shape, challenges on 401 and hides a 500 cause', async () => {
    const app = await tinyDialect();
    const secret = await app.inject({ method: 'GET', url: '/tiny/secret' });
    expect(secret.statusCode).toBe(401);
    expect(secret.headers['www-authenticate']).toBe('Basic realm="tiny"');
    expect(secret.json()).toEqual({ oops: 'auth.unauthenticated', why: 'Who are you?' });
    const boom = await app.inject({ method: 'GET', url: '/tiny/boom' });
    expect(boom.statusCode).toBe(500);
    expect(boom.body).not.toContain('hunter2');
  });
});

describe('readPageWindow', () => {
  const strict = { pageParam: 'cp', sizeParam: 'pp', defaultSize: 10, maxSize: 100, mode: 'strict' } as const;
  const lenient = {
    pageParam: 'page',
    sizeParam: 'count',
    defaultSize: 10,
    maxSize: 1000,
    mode: 'lenient',
  } as const;

  it('reads, defaults and caps a strict window', () => {
    expect(readPageWindow({}, strict)).toEqual({ page: 1, size: 10, offset: 0 });
    expect(readPageWindow({ cp: '3', pp: '20' }, strict)).toEqual({ page: 3, size: 20, offset: 40 });
    expect(readPageWindow({ cp: '1', pp: '5000' }, strict)?.size).toBe(100);
  });

  it('refuses a strict value that is not a positive integer, naming the parameter', () => {
    for (const query of [{ cp: '0' }, { cp: '-1' }, { pp: '1.5' }, { pp: 'ten' }, { cp: '1e3' }]) {
      expect(() => readPageWindow(query, strict)).toThrow(/(cp|pp): must be a positive integer/);
    }
  });

  it('lets a lenient convention fall back to no paging', () => {
    expect(readPageWindow({ page: '2' }, lenient)).toBeUndefined();
    expect(readPageWindow({ page: 'x', count: '5' }, lenient)).toBeUndefined();
    expect(readPageWindow({ page: '2', count: '5' }, lenient)).toEqual({ page: 2, size: 5, offset: 5 });
  });

  it('counts at least one page', () => {
    expect(totalPages(0, 10)).toBe(1);
    expect(totalPages(21, 10)).toBe(3);
  });
});
