/**
 * PLACEHOLDER for the xAPI validation library built on branch `xapi-docs` (the integrator takes that version).
 * Only the agreed signatures, with the few checks the statements resource needs to run meanwhile.
 */
export type XapiVersion = '1.0.3' | '2.0.0';

export type XapiAgent = Record<string, unknown>;
export type XapiStatement = Record<string, unknown>;

export class XapiInvalid extends Error {
  readonly path: string;
  constructor(path: string, message: string) {
    super(`${path}: ${message}`);
    this.name = 'XapiInvalid';
    this.path = path;
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const IRI = /^[a-z][a-z0-9+.-]*:\S+$/i;
const TOP = new Set([
  'id',
  'actor',
  'verb',
  'object',
  'result',
  'context',
  'timestamp',
  'stored',
  'authority',
  'version',
  'attachments',
]);

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function checkAgent(value: unknown, path: string): XapiAgent {
  if (!isObject(value)) throw new XapiInvalid(path, 'must be an object');
  const ifis = ['mbox', 'mbox_sha1sum', 'openid', 'account'].filter((k) => value[k] !== undefined);
  if (value.objectType !== 'Group' && ifis.length !== 1)
    throw new XapiInvalid(path, 'must have exactly one inverse functional identifier');
  if (typeof value.mbox === 'string' && !value.mbox.startsWith('mailto:'))
    throw new XapiInvalid(`${path}.mbox`, 'must be a mailto: IRI');
  return value;
}

export function validateStatement(value: unknown, _version: XapiVersion, path = 'statement'): XapiStatement {
  if (!isObject(value)) throw new XapiInvalid(path, 'must be an object');
  for (const key of Object.keys(value))
    if (!TOP.has(key)) throw new XapiInvalid(`${path}.${key}`, 'is not a statement property');
  if (value.id !== undefined && (typeof value.id !== 'string' || !UUID.test(value.id)))
    throw new XapiInvalid(`${path}.id`, 'must be a UUID');
  checkAgent(value.actor, `${path}.actor`);
  const verb = value.verb;
  if (!isObject(verb) || typeof verb.id !== 'string' || !IRI.test(verb.id))
    throw new XapiInvalid(`${path}.verb.id`, 'must be an IRI');
  const object = value.object;
  if (!isObject(object)) throw new XapiInvalid(`${path}.object`, 'must be an object');
  if (object.objectType === 'StatementRef' && (typeof object.id !== 'string' || !UUID.test(object.id)))
    throw new XapiInvalid(`${path}.object.id`, 'must be a UUID');
  if (
    (object.objectType === undefined || object.objectType === 'Activity') &&
    (typeof object.id !== 'string' || !IRI.test(object.id))
  )
    throw new XapiInvalid(`${path}.object.id`, 'must be an IRI');
  if (JSON.stringify(value).includes('\\u0000')) throw new XapiInvalid(path, 'must not contain NUL');
  return value;
}

export function parseAgentParam(json: string, _version: XapiVersion): XapiAgent {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new XapiInvalid('agent', 'must be JSON');
  }
  return checkAgent(value, 'agent');
}

export function agentIfi(agent: XapiAgent): string {
  if (typeof agent.mbox === 'string') return `mbox:${agent.mbox.toLowerCase()}`;
  if (typeof agent.mbox_sha1sum === 'string') return `mbox_sha1sum:${agent.mbox_sha1sum.toLowerCase()}`;
  if (typeof agent.openid === 'string') return `openid:${agent.openid}`;
  const account = agent.account;
  if (isObject(account)) return `account:${String(account.homePage)} ${String(account.name)}`;
  throw new XapiInvalid('agent', 'has no inverse functional identifier');
}

export function formatStatement(
  statement: XapiStatement,
  _format: 'exact' | 'ids' | 'canonical',
  _languages: string[],
): XapiStatement {
  return statement;
}

export interface XapiPart {
  readonly contentType: string;
  readonly sha2: string;
  readonly body: Buffer;
  readonly headers: Record<string, string>;
}

export function parseMultipartMixed(
  _body: Buffer,
  _contentType: string,
): { statementsJson: unknown; parts: XapiPart[] } {
  throw new XapiInvalid('body', 'multipart/mixed is not supported by the placeholder library');
}

export function checkAttachments(_statements: readonly XapiStatement[], _parts: readonly XapiPart[]): void {}

export function verifySignedStatement(_statement: XapiStatement, _jwsPart: XapiPart): void {}
