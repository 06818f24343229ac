import { createPrivateKey, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { isEmailAddress } from '../lib/email.ts';

/**
 * Learnhub's configuration: read once from the environment, validated, frozen.
 * Every key is documented in docs/configuration.md; keep the two in step.
 */
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface Config {
  readonly port: number;
  readonly host: string;
  /** Base of every absolute link and of the OpenID issuer; never ends with a slash. */
  readonly publicUrl: string;
  readonly dataDir: string;
  /** Unset means: start the embedded PostgreSQL in `dataDir`. */
  readonly databaseUrl: string | undefined;
  /** Unset means: generated once and kept in `dataDir/secret-key` (see resolveSecretKey). */
  readonly secretKey: string | undefined;
  /** Unset means: mail goes to the built-in outbox table. */
  readonly smtpUrl: string | undefined;
  readonly mailFrom: string;
  /** 0 disables the inbound SMTP listener. */
  readonly inboundSmtpPort: number;
  readonly inboundEmailDomain: string;
  /** Days a reply-by-email token stays valid. */
  readonly replyTokenTtlDays: number;
  /** Shared secret for POST /api/v1/inbound/email and the Postmark webhook; unset disables both. */
  readonly inboundEmailSecret: string | undefined;
  readonly logLevel: LogLevel;
  /** Run the job worker inside the web process. */
  readonly workers: boolean;
  /** Requests per minute per client IP on rate-limited routes; 0 disables rate limiting. */
  readonly rateLimitPerMinute: number;
  /** Honour X-Forwarded-For / X-Forwarded-Proto from a reverse proxy in front of the hub. */
  readonly trustProxy: boolean;
  /** HS256 secret of BadgeKit's `key: "master"` JWTs; unset disables master-secret auth on /badgekit. */
  readonly badgekitMasterSecret: string | undefined;
  /** Event Store retention: events unchanged for this many days are deleted daily; 0 keeps them all. */
  readonly eventRetentionDays: number;
  /** Jobs one worker process runs at once (graphile-worker concurrency). */
  readonly workerConcurrency: number;
  /** DKIM signing of outgoing SMTP mail; unset: mail is not signed by the hub. */
  readonly dkim: DkimConfig | undefined;
  /** Let webhooks, reply URLs and badge fetches reach loopback/private addresses (src/lib/outbound.ts). */
  readonly outboundAllowPrivate: boolean;
  /** Time-outs and limits of the HTTP server against slow and abusive clients (src/http/limits.ts). */
  readonly http: HttpLimits;
}

export interface HttpLimits {
  /** A client must send its whole request head within this (slowloris). */
  readonly headersTimeoutMs: number;
  /** A client must send its whole request, head and body, within this. */
  readonly requestTimeoutMs: number;
  /** An idle keep-alive connection is closed after this. */
  readonly keepAliveTimeoutMs: number;
  /** Request line and headers together, in bytes; more is answered 431. */
  readonly maxHeaderBytes: number;
}

export interface DkimConfig {
  /** The signing domain (d=): MAIL_FROM's domain or a parent of it, so that DMARC aligns. */
  readonly domain: string;
  /** The selector (s=): the public key is published at `<selector>._domainkey.<domain>`. */
  readonly selector: string;
  /** PEM (PKCS#1 or PKCS#8): an RSA key of at least 1024 bits, 2048 recommended (rsa-sha256). */
  readonly privateKey: string;
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`${variable}: ${problem}`);
    this.name = 'ConfigError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function read(env: Env, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function port(env: Env, name: string, fallback: number): number {
  const raw = read(env, name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) > 65535) {
    throw new ConfigError(name, `must be a whole number from 0 to 65535, got "${raw}"`);
  }
  return Number(raw);
}

function url(env: Env, name: string, protocols: readonly string[]): string | undefined {
  const raw = read(env, name);
  if (raw === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(name, `must be an absolute URL, got "${raw}"`);
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(name, `must use ${protocols.join(' or ')}, got "${parsed.protocol}"`);
  }
  return raw;
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = read(env, name)?.toLowerCase();
  if (raw === undefined) return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new ConfigError(name, `must be true or false, got "${raw}"`);
}

function wholeNumber(env: Env, name: string, fallback: number): number {
  const raw = read(env, name);
  if (raw === undefined) return fallback;
  if (!/^\d{1,9}$/.test(raw)) throw new ConfigError(name, `must be a whole number, got "${raw}"`);
  return Number(raw);
}

const DOMAIN =
  /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i;

function replyTokenTtlDays(env: Env): number {
  const days = wholeNumber(env, 'REPLY_TOKEN_TTL_DAYS', 90);
  if (days < 1 || days > 3650) {
    throw new ConfigError('REPLY_TOKEN_TTL_DAYS', `must be 1 to 3650, got ${days}`);
  }
  return days;
}

function eventRetentionDays(env: Env): number {
  const days = wholeNumber(env, 'EVENT_RETENTION_DAYS', 0);
  if (days > 36_500) throw new ConfigError('EVENT_RETENTION_DAYS', `must be 0 to 36500, got ${days}`);
  return days;
}

function inboundEmailSecret(env: Env): string | undefined {
  const secret = read(env, 'INBOUND_EMAIL_SECRET');
  if (secret !== undefined && secret.length < 24) {
    throw new ConfigError('INBOUND_EMAIL_SECRET', 'must be at least 24 characters long');
  }
  return secret;
}

function workerConcurrency(env: Env): number {
  const n = wholeNumber(env, 'WORKER_CONCURRENCY', 5);
  if (n < 1 || n > 100) throw new ConfigError('WORKER_CONCURRENCY', `must be 1 to 100, got ${n}`);
  return n;
}

function ranged(env: Env, name: string, fallback: number, min: number, max: number): number {
  const n = wholeNumber(env, name, fallback);
  if (n < min || n > max) throw new ConfigError(name, `must be ${min} to ${max}, got ${n}`);
  return n;
}

function httpLimits(env: Env): HttpLimits {
  const requestTimeoutMs = ranged(env, 'HTTP_REQUEST_TIMEOUT_MS', 120_000, 1_000, 3_600_000);
  const headersTimeoutMs = ranged(env, 'HTTP_HEADERS_TIMEOUT_MS', 20_000, 500, 600_000);
  // Node refuses a head time-out longer than the whole request's.
  if (headersTimeoutMs > requestTimeoutMs) {
    throw new ConfigError(
      'HTTP_HEADERS_TIMEOUT_MS',
      `must not exceed HTTP_REQUEST_TIMEOUT_MS (${requestTimeoutMs})`,
    );
  }
  return {
    headersTimeoutMs,
    requestTimeoutMs,
    keepAliveTimeoutMs: ranged(env, 'HTTP_KEEP_ALIVE_TIMEOUT_MS', 72_000, 1_000, 600_000),
    maxHeaderBytes: ranged(env, 'HTTP_MAX_HEADER_BYTES', 16_384, 4_096, 1_048_576),
  };
}

/**
 * DKIM settings are all-or-nothing and checked here, so a bad key fails the start rather than every send.
 * The key comes inline (DKIM_PRIVATE_KEY, with `\n` accepted for line breaks, as env files often need) or
 * from a file (DKIM_PRIVATE_KEY_FILE, e.g. a mounted secret), never both.
 */
function dkim(env: Env, cwd: string, mailFromDomain: string): DkimConfig | undefined {
  const domain = read(env, 'DKIM_DOMAIN')?.toLowerCase();
  const selector = read(env, 'DKIM_SELECTOR');
  const inline = read(env, 'DKIM_PRIVATE_KEY');
  const file = read(env, 'DKIM_PRIVATE_KEY_FILE');
  if (!domain && !selector && !inline && !file) return undefined;
  if (!domain) throw new ConfigError('DKIM_DOMAIN', 'must be set when any DKIM_* setting is');
  if (!DOMAIN.test(domain)) throw new ConfigError('DKIM_DOMAIN', `must be a domain name, got "${domain}"`);
  if (mailFromDomain !== domain && !mailFromDomain.endsWith(`.${domain}`)) {
    throw new ConfigError(
      'DKIM_DOMAIN',
      `must be the domain of MAIL_FROM (${mailFromDomain}) or a parent of it, or DMARC will not align`,
    );
  }
  if (!selector || !/^[a-z0-9](?:[a-z0-9._-]{0,62})$/i.test(selector)) {
    throw new ConfigError('DKIM_SELECTOR', `must be a DNS label like "learnhub1", got "${selector ?? ''}"`);
  }
  if (inline && file) {
    throw new ConfigError('DKIM_PRIVATE_KEY', 'set DKIM_PRIVATE_KEY or DKIM_PRIVATE_KEY_FILE, not both');
  }
  let pem: string;
  if (file) {
    try {
      pem = readFileSync(path.resolve(cwd, file), 'utf8');
    } catch (error) {
      throw new ConfigError('DKIM_PRIVATE_KEY_FILE', `cannot be read: ${(error as Error).message}`);
    }
  } else if (inline) pem = inline.replace(/\\n/g, '\n');
  else throw new ConfigError('DKIM_PRIVATE_KEY', 'or DKIM_PRIVATE_KEY_FILE must be set with DKIM_DOMAIN');
  const name = file ? 'DKIM_PRIVATE_KEY_FILE' : 'DKIM_PRIVATE_KEY';
  let key: ReturnType<typeof createPrivateKey>;
  try {
    key = createPrivateKey(pem);
  } catch {
    throw new ConfigError(name, 'is not a PEM private key');
  }
  // nodemailer signs rsa-sha256 only, and drops the signature silently when signing fails.
  if (key.asymmetricKeyType !== 'rsa' || (key.asymmetricKeyDetails?.modulusLength ?? 0) < 1024) {
    throw new ConfigError(name, 'must be an RSA key of at least 1024 bits (2048 recommended)');
  }
  return { domain, selector, privateKey: pem };
}

export function loadConfig(env: Env = process.env, cwd: string = process.cwd()): Config {
  const listenPort = port(env, 'PORT', 3000);
  const host = read(env, 'HOST') ?? '127.0.0.1';
  const publicUrlRaw = url(env, 'PUBLIC_URL', ['http:', 'https:']);
  const urlHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  const publicUrl = (publicUrlRaw ?? `http://${urlHost}:${listenPort}`).replace(/\/+$/, '');

  const secretKey = read(env, 'SECRET_KEY');
  if (secretKey !== undefined && secretKey.length < 32) {
    throw new ConfigError('SECRET_KEY', 'must be at least 32 characters long');
  }

  const mailFrom = read(env, 'MAIL_FROM') ?? `Learnhub <no-reply@${new URL(publicUrl).hostname}>`;
  const bareFrom = /<([^>]+)>\s*$/.exec(mailFrom)?.[1] ?? mailFrom;
  if (!isEmailAddress(bareFrom)) {
    throw new ConfigError(
      'MAIL_FROM',
      `must be an address like "Learnhub <hub@example.org>", got "${mailFrom}"`,
    );
  }

  const inboundEmailDomain = read(env, 'INBOUND_EMAIL_DOMAIN') ?? new URL(publicUrl).hostname;
  if (!DOMAIN.test(inboundEmailDomain)) {
    throw new ConfigError('INBOUND_EMAIL_DOMAIN', `must be a domain name, got "${inboundEmailDomain}"`);
  }

  const badgekitMasterSecret = read(env, 'BADGEKIT_MASTER_SECRET');
  if (badgekitMasterSecret !== undefined && badgekitMasterSecret.length < 32) {
    throw new ConfigError('BADGEKIT_MASTER_SECRET', 'must be at least 32 characters long');
  }

  const logLevel = (read(env, 'LOG_LEVEL') ?? 'info').toLowerCase();
  if (!LOG_LEVELS.includes(logLevel as LogLevel)) {
    throw new ConfigError('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`);
  }

  return Object.freeze({
    port: listenPort,
    host,
    publicUrl,
    dataDir: path.resolve(cwd, read(env, 'DATA_DIR') ?? './data'),
    databaseUrl: url(env, 'DATABASE_URL', ['postgres:', 'postgresql:']),
    secretKey,
    smtpUrl: url(env, 'SMTP_URL', ['smtp:', 'smtps:']),
    mailFrom,
    inboundSmtpPort: port(env, 'INBOUND_SMTP_PORT', 2525),
    inboundEmailDomain,
    replyTokenTtlDays: replyTokenTtlDays(env),
    inboundEmailSecret: inboundEmailSecret(env),
    logLevel: logLevel as LogLevel,
    workers: bool(env, 'WORKERS', true),
    rateLimitPerMinute: wholeNumber(env, 'RATE_LIMIT_PER_MINUTE', 1200),
    trustProxy: bool(env, 'TRUST_PROXY', false),
    outboundAllowPrivate: bool(env, 'OUTBOUND_ALLOW_PRIVATE', false),
    badgekitMasterSecret,
    eventRetentionDays: eventRetentionDays(env),
    workerConcurrency: workerConcurrency(env),
    http: httpLimits(env),
    dkim: dkim(env, cwd, bareFrom.slice(bareFrom.lastIndexOf('@') + 1).toLowerCase()),
  });
}

/**
 * The secret key signs sessions and encrypts signing keys. When SECRET_KEY is not set we generate one on
 * first start and keep it (mode 0600) in DATA_DIR, so restarts keep sessions and encrypted data readable.
 */
export function resolveSecretKey(config: Config): string {
  if (config.secretKey) return config.secretKey;
  const file = path.join(config.dataDir, 'secret-key');
  try {
    return readFileSync(file, 'utf8').trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(config.dataDir, { recursive: true });
  const key = randomBytes(32).toString('base64url');
  writeFileSync(file, `${key}\n`, { mode: 0o600, flag: 'wx' });
  return key;
}
