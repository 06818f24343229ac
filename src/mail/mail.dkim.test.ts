import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { dkimVerify } from 'mailauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../test/support/app.ts';
import { type SmtpSink, startSmtpSink } from '../../test/support/smtp-sink.ts';
import { ConfigError, loadConfig } from '../config/config.ts';
import { queueMail } from './index.ts';

// DKIM signing from config: checked at start-up, and a mail that reaches a real SMTP server verifies against
// the public key as a receiver would check it (mailauth, with the key served by a stand-in DNS resolver).
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const privateKey = rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const dnsRecord = `v=DKIM1; k=rsa; p=${rsa.publicKey.export({ type: 'spki', format: 'der' }).toString('base64')}`;
const lookedUp: string[] = [];
const resolver = async (name: string, type: string) => {
  lookedUp.push(`${type} ${name}`);
  if (name === 'lh1._domainkey.hub.test' && type === 'TXT') return [[dnsRecord]];
  throw Object.assign(new Error(`no ${type} record for ${name}`), { code: 'ENOTFOUND' });
};

let sink: SmtpSink;
let t: TestApp;
const dkimEnv = {
  MAIL_FROM: 'Learnhub <hub@mail.hub.test>',
  DKIM_DOMAIN: 'hub.test',
  DKIM_SELECTOR: 'lh1',
  // As an env file carries it: one line, with literal \n.
  DKIM_PRIVATE_KEY: privateKey.replace(/\n/g, '\\n'),
};

beforeAll(async () => {
  sink = await startSmtpSink();
  t = await buildTestApp({ env: { SMTP_URL: sink.url, ...dkimEnv } });
});
afterAll(async () => {
  await t.close();
  await sink.close();
});

function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env, '/srv/hub');
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('DKIM settings', () => {
  it('is off without DKIM_* settings, and reads the key from a file', () => {
    expect(loadConfig({}, '/srv/hub').dkim).toBeUndefined();
    const dir = mkdtempSync(path.join(tmpdir(), 'learnhub-dkim-'));
    try {
      writeFileSync(path.join(dir, 'dkim.pem'), privateKey);
      const { DKIM_PRIVATE_KEY: _, ...rest } = dkimEnv;
      const config = loadConfig({ ...rest, DKIM_PRIVATE_KEY_FILE: 'dkim.pem' }, dir);
      expect(config.dkim).toEqual({ domain: 'hub.test', selector: 'lh1', privateKey });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  const ed25519 = generateKeyPairSync('ed25519')
    .privateKey.export({ type: 'pkcs8', format: 'pem' })
    .toString();
  it.each([
    [{ DKIM_SELECTOR: 'lh1', DKIM_PRIVATE_KEY: privateKey }, 'DKIM_DOMAIN', 'must be set'],
    [{ ...dkimEnv, DKIM_DOMAIN: 'other.example' }, 'DKIM_DOMAIN', 'or DMARC will not align'],
    [{ ...dkimEnv, DKIM_SELECTOR: 'bad selector' }, 'DKIM_SELECTOR', 'must be a DNS label'],
    [{ ...dkimEnv, DKIM_PRIVATE_KEY: 'not a key' }, 'DKIM_PRIVATE_KEY', 'is not a PEM private key'],
    [{ ...dkimEnv, DKIM_PRIVATE_KEY: ed25519 }, 'DKIM_PRIVATE_KEY', 'must be an RSA key'],
    [{ ...dkimEnv, DKIM_PRIVATE_KEY_FILE: 'dkim.pem' }, 'DKIM_PRIVATE_KEY', 'not both'],
    [
      { ...dkimEnv, DKIM_PRIVATE_KEY: '', DKIM_PRIVATE_KEY_FILE: 'missing.pem' },
      'DKIM_PRIVATE_KEY_FILE',
      'cannot be read',
    ],
    [
      { DKIM_DOMAIN: 'hub.test', DKIM_SELECTOR: 'lh1', MAIL_FROM: 'hub@hub.test' },
      'DKIM_PRIVATE_KEY',
      'must be set',
    ],
  ])('refuses %o at start-up, naming the variable', (env, variable, problem) => {
    const error = configError(env);
    expect(error.variable).toBe(variable);
    expect(error.message).toContain(problem);
  });
});

describe('DKIM signing', () => {
  it('signs outgoing mail so that the signature verifies against the published key', async () => {
    const messageId = await queueMail(
      t.deps.db,
      { ids: t.deps.ids, mailDomain: 'hub.test' },
      {
        to: ['learner@example.org'],
        subject: 'Signed — ça marche',
        text: 'A body long enough to wrap: '.repeat(8),
        html: '<p>Signed</p>',
        headers: {
          'List-Id': '<course-1.hub.test>',
          'List-Unsubscribe': '<http://hub.test/unsubscribe/abc>',
          'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
        },
      },
    );
    await t.runJobs();
    const [mail] = await sink.waitFor(1);
    expect(mail?.parsed.messageId).toBe(messageId);
    expect(mail?.raw).toMatch(/^DKIM-Signature: /);

    const result = await dkimVerify(mail?.raw ?? '', { resolver, strict: true });
    const [signature] = result.results;
    expect(lookedUp).toContain('TXT lh1._domainkey.hub.test');
    expect(signature?.status.result).toBe('pass');
    expect(signature?.status.warnings).toBeUndefined();
    expect(signature?.signingDomain).toBe('hub.test');
    expect(signature?.selector).toBe('lh1');
    // RFC 8058: one-click unsubscribe counts only when the signature covers both List-Unsubscribe headers.
    const signed = (signature?.signingHeaders?.keys ?? '').toLowerCase().split(/\s*:\s*/);
    expect(signed).toEqual(
      expect.arrayContaining(['from', 'subject', 'list-unsubscribe', 'list-unsubscribe-post']),
    );

    // The same check fails for a changed body and for a different key, so the pass above means something.
    const tampered = await dkimVerify((mail?.raw ?? '').replace('Signed</p>', 'Changed</p>'), { resolver });
    // mailauth reports a body that no longer matches the body hash as neutral, a bad signature as fail.
    expect(tampered.results[0]?.status.result).toBe('neutral');
    expect(tampered.results[0]?.status.comment).toMatch(/body hash/);
    const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey;
    const wrongKey = await dkimVerify(mail?.raw ?? '', {
      resolver: async () => [
        [`v=DKIM1; k=rsa; p=${otherKey.export({ type: 'spki', format: 'der' }).toString('base64')}`],
      ],
    });
    expect(wrongKey.results[0]?.status.result).toBe('fail');
  });
});
