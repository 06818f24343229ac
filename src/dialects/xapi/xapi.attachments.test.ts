import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { CompactSign, importPKCS8 } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/support/app.ts';
import { parseMultipartMixed } from '../../lib/xapi/index.ts';
import { createProgram } from '../../modules/events/index.ts';
import { basicOf, statement, uuid, xapi } from './xapi.testing.ts';

// The library's throwaway self-signed test key and certificate (src/lib/xapi/fixtures).
const fixture = (name: string) =>
  readFileSync(new URL(`../../lib/xapi/fixtures/${name}`, import.meta.url), 'utf8');
const CERT_DER = fixture('test-signing-cert.pem')
  .replace(/-----[A-Z ]+-----/g, '')
  .replace(/\s+/g, '');
const SIGNATURE = 'http://adlnet.gov/expapi/attachments/signature';
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

let t: TestApp;
let auth: string;
beforeAll(async () => {
  t = await buildTestApp();
  auth = basicOf(await createProgram(t.deps, { id: 'ATT', name: 'Attachments' }));
});
afterAll(async () => {
  await t.close();
});

function multipart(boundary: string, json: unknown, files: { type: string; body: Buffer }[]): Buffer {
  const chunks: Buffer[] = [
    Buffer.from(`--${boundary}\r\nContent-Type: application/json\r\n\r\n${JSON.stringify(json)}`),
  ];
  for (const f of files) {
    chunks.push(
      Buffer.from(
        `\r\n--${boundary}\r\nContent-Type: ${f.type}\r\nContent-Transfer-Encoding: binary\r\n` +
          `X-Experience-API-Hash: ${sha256(f.body)}\r\n\r\n`,
      ),
      f.body,
    );
  }
  chunks.push(Buffer.from(`\r\n--${boundary}--\r\n`));
  return Buffer.concat(chunks);
}

/** A statement with a file attachment, signed (JWS RS256 with x5c) over `signedAs`. */
async function signedStatement(signedAs?: Record<string, unknown>) {
  const id = uuid();
  const base = statement({ id });
  const jws = Buffer.from(
    await new CompactSign(Buffer.from(JSON.stringify(signedAs ?? base)))
      .setProtectedHeader({ alg: 'RS256', x5c: [CERT_DER] })
      .sign(await importPKCS8(fixture('test-signing-key.pem'), 'RS256')),
  );
  // Bytes that are not UTF-8 and contain CRLF and a boundary-like line: they must come back unchanged.
  const file = Buffer.concat([
    Buffer.from([0, 255, 254, 13, 10]),
    Buffer.from('--xapi\r\nbinary'),
    Buffer.alloc(3000, 7),
  ]);
  const s = {
    ...base,
    attachments: [
      {
        usageType: SIGNATURE,
        display: { 'en-US': 'signature' },
        contentType: 'application/octet-stream',
        length: jws.length,
        sha2: sha256(jws),
      },
      {
        usageType: 'http://example.com/attachment-usage/certificate',
        display: { 'en-US': 'certificate' },
        contentType: 'application/pdf',
        length: file.length,
        sha2: sha256(file),
      },
    ],
  };
  const files = [
    { type: 'application/octet-stream', body: jws },
    { type: 'application/pdf', body: file },
  ];
  return { id, s, jws, file, files };
}

const post = (body: Buffer, boundary: string) =>
  t.app.inject({
    method: 'POST',
    url: '/xapi/statements',
    headers: {
      authorization: auth,
      'x-experience-api-version': '1.0.3',
      'content-type': `multipart/mixed; boundary=${boundary}`,
    },
    payload: body,
  });

function parseAnswer(res: { headers: Record<string, unknown>; rawPayload: Buffer }) {
  const type = String(res.headers['content-type']);
  expect(type).toMatch(/^multipart\/mixed; boundary=/);
  return parseMultipartMixed(res.rawPayload, type);
}

describe('Attachments (Communication 1.5.2, 2.1.3 attachments=true)', () => {
  it('round-trips a signed statement with its signature and a file as multipart/mixed', async () => {
    const { id, s, jws, file, files } = await signedStatement();
    const sent = await post(multipart('b-1', s, files), 'b-1');
    expect(sent.statusCode, sent.body).toBe(200);
    expect(sent.json()).toEqual([id]);

    const one = await xapi(t, auth, 'GET', `/statements?statementId=${id}&attachments=true`);
    expect(one.statusCode).toBe(200);
    const answer = parseAnswer(one);
    expect((answer.statementsJson as { id: string }).id).toBe(id);
    const byHash = new Map(answer.parts.map((p) => [p.sha2, p]));
    expect(byHash.get(sha256(jws))?.body.equals(jws)).toBe(true);
    expect(byHash.get(sha256(file))?.body.equals(file)).toBe(true);
    expect(byHash.get(sha256(file))?.contentType).toBe('application/pdf');
    expect(byHash.get(sha256(file))?.headers['content-transfer-encoding']).toBe('binary');

    const query = await xapi(t, auth, 'GET', `/statements?limit=1&attachments=true`);
    const page = parseAnswer(query);
    expect((page.statementsJson as { statements: { id: string }[] }).statements[0]?.id).toBe(id);
    expect(page.parts.map((p) => p.sha2).sort()).toEqual([sha256(jws), sha256(file)].sort());

    const plain = await xapi(t, auth, 'GET', `/statements?statementId=${id}`);
    expect(plain.headers['content-type']).toMatch(/^application\/json/);
  });

  it('refuses a signature over other content with 400 naming the attachment, storing nothing', async () => {
    const { id, s, files } = await signedStatement(statement({ verb: { id: 'http://example.com/other' } }));
    const before = await t.deps.pool.query('select count(*)::int as n from xapi_attachments');
    const res = await post(multipart('b-2', s, files), 'b-2');
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(/^attachments\[0\]/);
    expect((await xapi(t, auth, 'GET', `/statements?statementId=${id}`)).statusCode).toBe(404);
    const after = await t.deps.pool.query('select count(*)::int as n from xapi_attachments');
    expect(after.rows[0].n).toBe(before.rows[0].n);
  });
});
