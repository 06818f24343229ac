import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, resolveSecretKey } from './config.ts';

function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env, '/srv/hub');
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('configuration', () => {
  it('uses the documented defaults when nothing is set', () => {
    const config = loadConfig({}, '/srv/hub');
    expect(config).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      publicUrl: 'http://127.0.0.1:3000',
      dataDir: '/srv/hub/data',
      databaseUrl: undefined,
      secretKey: undefined,
      smtpUrl: undefined,
      inboundSmtpPort: 2525,
      inboundEmailDomain: '127.0.0.1',
      logLevel: 'info',
      workers: true,
      rateLimitPerMinute: 1200,
    });
    expect(config.mailFrom).toBe('Learnhub <no-reply@127.0.0.1>');
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('derives the public URL from host and port, and trims a trailing slash from PUBLIC_URL', () => {
    expect(loadConfig({ PORT: '8080', HOST: '0.0.0.0' }).publicUrl).toBe('http://127.0.0.1:8080');
    expect(loadConfig({ PUBLIC_URL: 'https://hub.example.org/' }).publicUrl).toBe('https://hub.example.org');
    expect(loadConfig({ PUBLIC_URL: 'https://hub.example.org' }).inboundEmailDomain).toBe('hub.example.org');
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT', 'must be a whole number from 0 to 65535, got "abc"'],
    [{ PORT: '70000' }, 'PORT', 'must be a whole number from 0 to 65535, got "70000"'],
    [{ INBOUND_SMTP_PORT: '-1' }, 'INBOUND_SMTP_PORT', 'must be a whole number'],
    [{ PUBLIC_URL: 'hub.example.org' }, 'PUBLIC_URL', 'must be an absolute URL'],
    [{ PUBLIC_URL: 'ftp://hub.example.org' }, 'PUBLIC_URL', 'must use http: or https:'],
    [{ DATABASE_URL: 'mysql://x@y/z' }, 'DATABASE_URL', 'must use postgres: or postgresql:'],
    [{ SMTP_URL: 'http://mail' }, 'SMTP_URL', 'must use smtp: or smtps:'],
    [{ SECRET_KEY: 'short' }, 'SECRET_KEY', 'at least 32 characters'],
    [{ MAIL_FROM: 'not an address' }, 'MAIL_FROM', 'must be an address'],
    [{ INBOUND_EMAIL_DOMAIN: 'bad domain' }, 'INBOUND_EMAIL_DOMAIN', 'must be a domain name'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL', 'must be one of'],
    [{ WORKERS: 'maybe' }, 'WORKERS', 'must be true or false'],
    [{ RATE_LIMIT_PER_MINUTE: 'lots' }, 'RATE_LIMIT_PER_MINUTE', 'must be a whole number'],
    [{ WORKER_CONCURRENCY: '0' }, 'WORKER_CONCURRENCY', 'must be 1 to 100'],
  ])('refuses %o naming the variable', (env, variable, problem) => {
    const error = configError(env);
    expect(error.variable).toBe(variable);
    expect(error.message).toContain(`${variable}: `);
    expect(error.message).toContain(problem);
    expect(error.message).not.toContain('\n');
  });

  it('accepts the documented forms of every variable', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://u:p@db:5432/hub',
      SMTP_URL: 'smtps://user:pass@mail.example.org:465',
      MAIL_FROM: 'Hub <hub@example.org>',
      WORKERS: 'false',
      INBOUND_SMTP_PORT: '0',
      LOG_LEVEL: 'DEBUG',
      SECRET_KEY: 'x'.repeat(40),
    });
    expect(config).toMatchObject({
      workers: false,
      inboundSmtpPort: 0,
      logLevel: 'debug',
      secretKey: 'x'.repeat(40),
    });
  });

  it('reads the HTTP time-outs and head limit, and refuses a head time-out longer than the request time-out', () => {
    expect(loadConfig({}, '/srv/hub').http).toEqual({
      headersTimeoutMs: 20_000,
      requestTimeoutMs: 120_000,
      keepAliveTimeoutMs: 72_000,
      maxHeaderBytes: 16_384,
    });
    expect(
      loadConfig({ HTTP_HEADERS_TIMEOUT_MS: '5000', HTTP_MAX_HEADER_BYTES: '8192' }, '/srv/hub').http,
    ).toMatchObject({ headersTimeoutMs: 5_000, maxHeaderBytes: 8_192 });
    expect(configError({ HTTP_HEADERS_TIMEOUT_MS: '60000', HTTP_REQUEST_TIMEOUT_MS: '30000' }).message).toBe(
      'HTTP_HEADERS_TIMEOUT_MS: must not exceed HTTP_REQUEST_TIMEOUT_MS (30000)',
    );
    expect(configError({ HTTP_MAX_HEADER_BYTES: '100' }).message).toBe(
      'HTTP_MAX_HEADER_BYTES: must be 4096 to 1048576, got 100',
    );
    expect(configError({ HTTP_KEEP_ALIVE_TIMEOUT_MS: 'soon' }).message).toBe(
      'HTTP_KEEP_ALIVE_TIMEOUT_MS: must be a whole number, got "soon"',
    );
  });

  it('generates a secret key once, keeps it private in DATA_DIR, and reuses it', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'learnhub-config-'));
    try {
      const config = loadConfig({ DATA_DIR: dir });
      const first = resolveSecretKey(config);
      expect(first.length).toBeGreaterThanOrEqual(32);
      expect(resolveSecretKey(config)).toBe(first);
      expect(readFileSync(path.join(dir, 'secret-key'), 'utf8').trim()).toBe(first);
      expect(statSync(path.join(dir, 'secret-key')).mode & 0o077).toBe(0);
      expect(resolveSecretKey(loadConfig({ DATA_DIR: dir, SECRET_KEY: 'y'.repeat(32) }))).toBe(
        'y'.repeat(32),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
