import { agentIfi, parseActorParam, type XapiVersion } from '../../lib/xapi/index.ts';
import type { StatementFilters } from '../../modules/events/index.ts';
import { xapiErrors } from './xapi.wire.ts';

/** GET /statements parameters (xAPI 1.0.3 §2.1.3 / 2.0 §"Statement Resource"). */
const QUERY_PARAMS = new Set([
  'agent',
  'verb',
  'activity',
  'registration',
  'related_activities',
  'related_agents',
  'since',
  'until',
  'limit',
  'format',
  'attachments',
  'ascending',
]);
const SINGLE_PARAMS = new Set(['statementId', 'voidedStatementId', 'format', 'attachments']);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const IRI = /^[a-z][a-z0-9+.-]*:[^\s]+$/i;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;

export type Format = 'exact' | 'ids' | 'canonical';

export type StatementsGet =
  | {
      readonly kind: 'single';
      readonly id: string;
      readonly voided: boolean;
      readonly format: Format;
      readonly attachments: boolean;
    }
  | {
      readonly kind: 'query';
      readonly filters: Omit<StatementFilters, 'after'>;
      readonly format: Format;
      readonly attachments: boolean;
      /** The parameters as sent, kept in the `more` cursor. */
      readonly params: Record<string, string>;
    };

function bool(params: Record<string, string>, name: string): boolean {
  const v = params[name];
  if (v === undefined) return false;
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw xapiErrors.invalid(`${name}: must be true or false.`);
}

function time(params: Record<string, string>, name: string): Date | undefined {
  const v = params[name];
  if (v === undefined) return undefined;
  const at = new Date(v);
  if (!TIMESTAMP.test(v) || Number.isNaN(at.getTime())) {
    throw xapiErrors.invalid(`${name}: "${v.slice(0, 40)}" is not an ISO 8601 timestamp.`);
  }
  return at;
}

function iri(params: Record<string, string>, name: string): string | undefined {
  const v = params[name];
  if (v === undefined) return undefined;
  if (!IRI.test(v) || v.length > 2048) throw xapiErrors.invalid(`${name}: must be an IRI.`);
  return v;
}

/** Every parameter once, as a string (a repeated or structured one is a 400 naming it). */
export function flatParams(query: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries((query ?? {}) as Record<string, unknown>)) {
    if (typeof value !== 'string') throw xapiErrors.invalid(`${name}: must be given once.`);
    out[name] = value;
  }
  return out;
}

export function readStatementsGet(params: Record<string, string>, version: XapiVersion): StatementsGet {
  const format = (params.format ?? 'exact') as Format;
  if (!['exact', 'ids', 'canonical'].includes(format)) {
    throw xapiErrors.invalid('format: must be exact, ids or canonical.');
  }
  const attachments = bool(params, 'attachments');
  const id = params.statementId ?? params.voidedStatementId;
  if (id !== undefined) {
    if (params.statementId !== undefined && params.voidedStatementId !== undefined) {
      throw xapiErrors.invalid('statementId: cannot be combined with voidedStatementId.');
    }
    const name = params.statementId !== undefined ? 'statementId' : 'voidedStatementId';
    for (const p of Object.keys(params)) {
      if (!SINGLE_PARAMS.has(p)) throw xapiErrors.invalid(`${p}: cannot be combined with ${name}.`);
    }
    if (!UUID.test(id)) throw xapiErrors.invalid(`${name}: must be a UUID.`);
    return {
      kind: 'single',
      id: id.toLowerCase(),
      voided: name === 'voidedStatementId',
      format,
      attachments,
    };
  }
  for (const p of Object.keys(params)) {
    if (!QUERY_PARAMS.has(p))
      throw xapiErrors.invalid(`${p}: is not a parameter of the Statements resource.`);
  }
  let agent: string | undefined;
  if (params.agent !== undefined) agent = agentIfi(parseActorParam(params.agent, version));
  const registration = params.registration;
  if (registration !== undefined && !UUID.test(registration)) {
    throw xapiErrors.invalid('registration: must be a UUID.');
  }
  let limit = 0;
  if (params.limit !== undefined) {
    if (!/^\d{1,9}$/.test(params.limit)) throw xapiErrors.invalid('limit: must be a non-negative integer.');
    limit = Number(params.limit);
  }
  return {
    kind: 'query',
    format,
    attachments,
    params,
    filters: {
      agent,
      verb: iri(params, 'verb'),
      activity: iri(params, 'activity'),
      registration,
      relatedActivities: bool(params, 'related_activities'),
      relatedAgents: bool(params, 'related_agents'),
      since: time(params, 'since'),
      until: time(params, 'until'),
      ascending: bool(params, 'ascending'),
      // 0 means "the LRS's maximum" (xAPI); a larger limit is capped to it.
      limit: limit === 0 ? 100 : limit,
    },
  };
}

/** Accept-Language as an ordered list of tags, for format=canonical. */
export function languages(header: string | undefined): string[] {
  if (!header) return [];
  return header
    .split(',')
    .map((part) => {
      const [tag, ...rest] = part.trim().split(';');
      const q = rest.find((r) => r.trim().startsWith('q='));
      return { tag: (tag ?? '').trim(), q: q ? Number(q.trim().slice(2)) : 1 };
    })
    .filter((l) => l.tag !== '' && l.tag !== '*' && Number.isFinite(l.q) && l.q > 0)
    .sort((a, b) => b.q - a.q)
    .map((l) => l.tag);
}
