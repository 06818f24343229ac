import { compactVerify, decodeProtectedHeader, importX509 } from 'jose';
import { sameStatement } from './compare.ts';
import { at, fail, index } from './errors.ts';
import type { XapiPart } from './multipart.ts';
import { SIGNATURE_USAGE, type XapiStatement } from './types.ts';
import { isObject } from './values.ts';

const ALGORITHMS = ['RS256', 'RS384', 'RS512'];

function certificatePem(der: string): string {
  const lines = der.match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----`;
}

function decodePayload(jws: string, path: string): unknown {
  const payload = jws.split('.')[1] ?? '';
  try {
    return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as unknown;
  } catch {
    return fail(path, 'the JWS payload is not a JSON statement');
  }
}

/**
 * A signed statement (Data 2.6; XAPI-00115..00117): the signature attachment has usageType
 * http://adlnet.gov/expapi/attachments/signature and contentType application/octet-stream; its part
 * is a compact JWS with RS256, RS384 or RS512; the payload is the statement as signed, which
 * matches the received one except for the properties an LRS sets and the attachments. When the JWS
 * header carries an x5c certificate chain the signature is verified with its first certificate.
 */
export async function verifySignedStatement(
  statement: XapiStatement,
  jwsPart: XapiPart,
  path = '',
): Promise<void> {
  const attachments = statement.attachments ?? [];
  const position = attachments.findIndex(
    (a) => a.usageType === SIGNATURE_USAGE && a.sha2.toLowerCase() === jwsPart.sha2,
  );
  const attachment = attachments[position];
  const attachmentPath = index(at(path, 'attachments'), Math.max(position, 0));
  if (attachment === undefined) fail(at(path, 'attachments'), 'has no signature attachment for this part');
  if (attachment.contentType.split(';')[0]?.trim().toLowerCase() !== 'application/octet-stream') {
    fail(at(attachmentPath, 'contentType'), 'a signature must be application/octet-stream');
  }
  const jws = jwsPart.body.toString('utf8').trim();
  if (!/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(jws)) {
    fail(attachmentPath, 'the signature is not a compact JWS');
  }
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(jws);
  } catch {
    return fail(attachmentPath, 'the JWS header is not valid');
  }
  if (typeof header.alg !== 'string' || !ALGORITHMS.includes(header.alg)) {
    fail(at(attachmentPath, 'alg'), 'the JWS algorithm must be RS256, RS384 or RS512');
  }
  const firstCertificate = header.x5c?.[0];
  if (firstCertificate !== undefined) {
    try {
      const key = await importX509(certificatePem(firstCertificate), header.alg);
      await compactVerify(jws, key, { algorithms: ALGORITHMS });
    } catch {
      fail(attachmentPath, 'the JWS signature does not verify with its x5c certificate');
    }
  }
  const payload = decodePayload(jws, attachmentPath);
  if (!isObject(payload) || !sameStatement(payload as unknown as XapiStatement, statement, ['attachments'])) {
    fail(attachmentPath, 'the JWS payload does not match the statement');
  }
}
