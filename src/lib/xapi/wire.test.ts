import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { CompactSign, importPKCS8 } from 'jose';
import { describe, expect, it } from 'vitest';
import { agentIfi, parseActorParam, parseAgentParam } from './agents.ts';
import { XapiInvalid } from './errors.ts';
import { formatStatement } from './format.ts';
import { parseXapiJson } from './json.ts';
import { checkAttachments, parseMultipartMixed, type XapiPart } from './multipart.ts';
import { verifySignedStatement } from './signature.ts';
import { SIGNATURE_USAGE, type XapiStatement } from './types.ts';

// A throwaway self-signed key and certificate made for these tests only (openssl req -x509).
const KEY_PEM = readFileSync(new URL('./fixtures/test-signing-key.pem', import.meta.url), 'utf8');
const CERT_DER = readFileSync(new URL('./fixtures/test-signing-cert.pem', import.meta.url), 'utf8')
  .replace(/-----[A-Z ]+-----/g, '')
  .replace(/\s+/g, '');

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

function thrown(run: () => unknown): XapiInvalid {
  try {
    run();
  } catch (error) {
    if (error instanceof XapiInvalid) return error;
    throw error;
  }
  throw new Error('nothing was thrown');
}

const BASE: XapiStatement = {
  actor: { mbox: 'mailto:ada@example.com', name: 'Ada' },
  verb: {
    id: 'http://adlnet.gov/expapi/verbs/completed',
    display: { 'en-US': 'completed', de: 'abgeschlossen' },
  },
  object: {
    id: 'http://example.com/activities/quiz',
    definition: {
      name: { 'en-US': 'Quiz', 'fr-FR': 'Questionnaire' },
      interactionType: 'choice',
      choices: [{ id: 'a', description: { en: 'A', fr: 'A fr' } }],
    },
  },
};

describe('agent parameters and identifiers', () => {
  it('gives one canonical key per kind of inverse functional identifier', () => {
    expect(agentIfi({ mbox: 'mailto:a@b.c' })).toBe('mbox:mailto:a@b.c');
    expect(agentIfi({ mbox_sha1sum: 'ABCDEF0123456789ABCDEF0123456789ABCDEF01' })).toBe(
      'mbox_sha1sum:abcdef0123456789abcdef0123456789abcdef01',
    );
    expect(agentIfi({ openid: 'http://id.example.com/a' })).toBe('openid:http://id.example.com/a');
    expect(agentIfi({ account: { homePage: 'http://example.com', name: 'ada' } })).toBe(
      'account:http://example.com ada',
    );
  });

  it('XAPI-00196 refuses an agent parameter that is not JSON, not an Agent, or a Group', () => {
    expect(thrown(() => parseAgentParam('mailto:a@b.c', '1.0.3')).path).toBe('agent');
    expect(thrown(() => parseAgentParam('{"name":"x"}', '1.0.3')).path).toBe('agent');
    expect(thrown(() => parseAgentParam('{"objectType":"Group","mbox":"mailto:g@b.c"}', '1.0.3')).path).toBe(
      'agent.objectType',
    );
    expect(parseAgentParam('{"mbox":"mailto:a@b.c"}', '1.0.3')).toEqual({ mbox: 'mailto:a@b.c' });
  });

  it('accepts an identified Group as a statement query agent, never an anonymous one', () => {
    expect(parseActorParam('{"objectType":"Group","mbox":"mailto:g@b.c"}', '1.0.3').objectType).toBe('Group');
    expect(
      thrown(() => parseActorParam('{"objectType":"Group","member":[{"mbox":"mailto:a@b.c"}]}', '1.0.3'))
        .path,
    ).toBe('agent');
  });
});

describe('statement formats', () => {
  it('ids keeps only what identifies agents, verbs and activities', () => {
    const ids = formatStatement(BASE, 'ids', []);
    expect(ids.actor).toEqual({ mbox: 'mailto:ada@example.com' });
    expect(ids.verb).toEqual({ id: 'http://adlnet.gov/expapi/verbs/completed' });
    expect(ids.object).toEqual({ id: 'http://example.com/activities/quiz' });
  });

  it('canonical keeps the best language of each map; exact keeps everything', () => {
    const canonical = formatStatement(BASE, 'canonical', ['fr-CA', 'en']);
    expect(canonical.verb.display).toEqual({ 'en-US': 'completed' });
    expect(canonical.object).toMatchObject({
      definition: { name: { 'fr-FR': 'Questionnaire' }, choices: [{ id: 'a', description: { fr: 'A fr' } }] },
    });
    expect(formatStatement(BASE, 'exact', ['fr'])).toEqual(BASE);
  });

  it('XAPI-00096 returns a single context activity as an array', () => {
    const withContext = {
      ...BASE,
      context: { contextActivities: { parent: { id: 'http://example.com/course' } } },
    };
    expect(formatStatement(withContext, 'exact', []).context?.contextActivities?.parent).toEqual([
      { id: 'http://example.com/course' },
    ]);
  });
});

function multipart(
  parts: { headers: string[]; body: Buffer | string }[],
  boundary = 'xapi-boundary',
): Buffer {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    chunks.push(Buffer.from(`--${boundary}\r\n${part.headers.join('\r\n')}\r\n\r\n`));
    chunks.push(Buffer.isBuffer(part.body) ? part.body : Buffer.from(part.body));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(chunks);
}

describe('multipart/mixed statements with attachments', () => {
  const content = Buffer.from([0, 1, 2, 255, 13, 10, 45, 45]);
  const attachment = {
    usageType: 'http://example.com/usage',
    display: { en: 'bin' },
    contentType: 'application/octet-stream',
    length: 8,
    sha2: sha256(content),
  };
  const statement: XapiStatement = { ...BASE, attachments: [attachment] };
  const jsonPart = { headers: ['Content-Type: application/json'], body: JSON.stringify(statement) };
  const filePart = (headers: string[] = []) => ({
    headers: [
      'Content-Type: application/octet-stream',
      'Content-Transfer-Encoding: binary',
      `X-Experience-API-Hash: ${sha256(content)}`,
      ...headers,
    ],
    body: content,
  });

  it('splits the statements and the binary parts, bytes intact, and matches them up', () => {
    const parsed = parseMultipartMixed(
      multipart([jsonPart, filePart()]),
      'multipart/mixed; boundary="xapi-boundary"',
    );
    expect(parsed.statementsJson).toEqual(statement);
    expect(parsed.parts[0]?.body.equals(content)).toBe(true);
    expect(() => checkAttachments([statement], parsed.parts)).not.toThrow();
  });

  it('refuses a first part that is not JSON, a part without hash or binary encoding, a wrong hash, no closing boundary', () => {
    const type = 'multipart/mixed; boundary=xapi-boundary';
    expect(thrown(() => parseMultipartMixed(multipart([filePart(), jsonPart]), type)).path).toBe(
      'parts[0].Content-Type',
    );
    const noHash = { headers: ['Content-Type: text/plain', 'Content-Transfer-Encoding: binary'], body: 'x' };
    expect(thrown(() => parseMultipartMixed(multipart([jsonPart, noHash]), type)).path).toBe(
      'parts[1].X-Experience-API-Hash',
    );
    const noBinary = {
      headers: ['Content-Type: text/plain', `X-Experience-API-Hash: ${sha256('x')}`],
      body: 'x',
    };
    expect(thrown(() => parseMultipartMixed(multipart([jsonPart, noBinary]), type)).path).toBe(
      'parts[1].Content-Transfer-Encoding',
    );
    const wrongHash = { ...noHash, headers: [...noHash.headers, `X-Experience-API-Hash: ${sha256('y')}`] };
    expect(thrown(() => parseMultipartMixed(multipart([jsonPart, wrongHash]), type)).message).toContain(
      'does not match',
    );
    const open = multipart([jsonPart]).subarray(0, -20);
    expect(thrown(() => parseMultipartMixed(open, type)).path).toBe('body');
    expect(thrown(() => parseMultipartMixed(multipart([jsonPart]), 'multipart/mixed')).path).toBe(
      'Content-Type',
    );
  });

  it('refuses an attachment without its part and a part without its attachment', () => {
    expect(thrown(() => checkAttachments([statement], [])).path).toBe('statements[0].attachments[0].sha2');
    const stray: XapiPart = {
      contentType: 'text/plain',
      sha2: sha256('x'),
      body: Buffer.from('x'),
      headers: {},
    };
    expect(thrown(() => checkAttachments([statement], [stray])).path).toBe(
      'statements[0].attachments[0].sha2',
    );
    expect(thrown(() => checkAttachments([BASE], [stray])).path).toBe('parts[1].X-Experience-API-Hash');
    expect(() =>
      checkAttachments(
        [{ ...statement, attachments: [{ ...attachment, fileUrl: 'http://example.com/f' }] }],
        [],
      ),
    ).not.toThrow();
  });
});

async function signed(
  payload: unknown,
  alg = 'RS256',
  x5c = true,
): Promise<{ statement: XapiStatement; part: XapiPart }> {
  const key = await importPKCS8(KEY_PEM, alg);
  const jws = await new CompactSign(Buffer.from(JSON.stringify(payload)))
    .setProtectedHeader(x5c ? { alg, x5c: [CERT_DER] } : { alg })
    .sign(key);
  const body = Buffer.from(jws);
  const sha2 = sha256(body);
  const statement: XapiStatement = {
    ...BASE,
    attachments: [
      {
        usageType: SIGNATURE_USAGE,
        display: { en: 'signature' },
        contentType: 'application/octet-stream',
        length: body.length,
        sha2,
      },
    ],
  };
  return { statement, part: { contentType: 'application/octet-stream', sha2, body, headers: {} } };
}

async function signatureRejection(statement: XapiStatement, part: XapiPart): Promise<string> {
  try {
    await verifySignedStatement(statement, part);
  } catch (error) {
    if (error instanceof XapiInvalid) return error.message;
    throw error;
  }
  return 'accepted';
}

describe('signed statements', () => {
  it('XAPI-00116 accepts a statement whose JWS payload is the statement, with or without an x5c chain', async () => {
    for (const alg of ['RS256', 'RS384', 'RS512']) {
      const { statement, part } = await signed(BASE, alg);
      await expect(
        verifySignedStatement({ ...statement, stored: '2026-12-03T10:00:00Z', version: '1.0.0' }, part),
      ).resolves.toBeUndefined();
    }
    const bare = await signed(BASE, 'RS256', false);
    await expect(verifySignedStatement(bare.statement, bare.part)).resolves.toBeUndefined();
  });

  it('XAPI-00116 refuses a payload that differs from the statement', async () => {
    const { statement, part } = await signed({
      ...BASE,
      verb: { id: 'http://adlnet.gov/expapi/verbs/failed' },
    });
    expect(await signatureRejection(statement, part)).toContain('does not match the statement');
  });

  it('XAPI-00117 refuses an algorithm other than RS256/384/512 and a forged signature', async () => {
    const { statement, part } = await signed(BASE);
    const [header, payload] = part.body.toString().split('.');
    const hs = `${Buffer.from(JSON.stringify({ alg: 'HS256' })).toString('base64url')}.${payload}.c2ln`;
    const hsPart = { ...part, body: Buffer.from(hs), sha2: part.sha2 };
    expect(await signatureRejection(statement, hsPart)).toContain('RS256, RS384 or RS512');
    const forged = { ...part, body: Buffer.from(`${header}.${payload}.${'A'.repeat(342)}`) };
    expect(await signatureRejection(statement, forged)).toContain('does not verify');
  });

  it('XAPI-00115 refuses a signature attachment that is not application/octet-stream or not a JWS', async () => {
    const { statement, part } = await signed(BASE);
    const attachment = statement.attachments?.[0];
    if (attachment === undefined) throw new Error('no attachment');
    const wrongType = { ...statement, attachments: [{ ...attachment, contentType: 'text/plain' }] };
    expect(await signatureRejection(wrongType, part)).toContain('application/octet-stream');
    expect(await signatureRejection(statement, { ...part, body: Buffer.from('not a jws') })).toContain(
      'not a compact JWS',
    );
  });
});

describe('JSON with duplicate keys', () => {
  it('XAPI-00021 refuses a statement that repeats a key at any depth, and parses one that does not', () => {
    expect(thrown(() => parseXapiJson('{"a":1,"b":{"c":1,"c":2}}')).message).toContain('"c"');
    expect(thrown(() => parseXapiJson('[{"id":"x","id":"x"}]')).message).toContain('"id"');
    expect(thrown(() => parseXapiJson('{"a":')).message).toContain('not valid JSON');
    expect(parseXapiJson('{"a":"\\"a\\"","b":[{"a":1},{"a":2}],"c":{"a":"{,}"}}')).toEqual({
      a: '"a"',
      b: [{ a: 1 }, { a: 2 }],
      c: { a: '{,}' },
    });
  });
});
