import { validateActivity } from './activities.ts';
import { validateActor, validateAgent, validateGroup } from './agents.ts';
import { at, fail, index, type XapiVersion } from './errors.ts';
import {
  isDuration,
  isIrl,
  isLanguageTag,
  isMediaType,
  isSha2Hex,
  isStatementVersion,
  isTimestamp,
  isUuid,
} from './formats.ts';
import { VOIDED_VERB, type XapiStatement } from './types.ts';
import {
  array,
  boolean,
  extensions,
  iri,
  isObject,
  type JsonObject,
  languageMap,
  number,
  object,
  required,
  string,
} from './values.ts';

interface Rules {
  version: XapiVersion;
}

function uuid(value: unknown, path: string): string {
  if (!isUuid(string(value, path))) fail(path, 'must be a UUID in standard form (RFC 4122)');
  return value as string;
}

function timestamp(value: unknown, path: string, rules: Rules): void {
  const text = string(value, path);
  if (!isTimestamp(text, rules.version === '2.0.0')) {
    fail(
      path,
      rules.version === '2.0.0'
        ? 'must be an ISO 8601 timestamp with a time zone'
        : 'must be an ISO 8601 timestamp',
    );
  }
}

function verb(value: unknown, path: string): void {
  const v = object(value, path, ['id', 'display']);
  iri(required(v, 'id', path), at(path, 'id'));
  if (v.display !== undefined) languageMap(v.display, at(path, 'display'));
}

function statementRef(value: unknown, path: string): void {
  const ref = object(value, path, ['objectType', 'id']);
  if (ref.objectType !== 'StatementRef') fail(at(path, 'objectType'), 'must be "StatementRef"');
  uuid(required(ref, 'id', path), at(path, 'id'));
}

/** The object of a statement or sub-statement, by objectType (XAPI-00046, 00065, 00073). */
function statementObject(value: unknown, path: string, rules: Rules, inSub: boolean): string {
  if (!isObject(value)) fail(path, 'must be a JSON object');
  const objectType = value.objectType ?? 'Activity';
  switch (objectType) {
    case 'Activity':
      validateActivity(value, path);
      break;
    case 'Agent':
      validateAgent(value, path);
      break;
    case 'Group':
      validateGroup(value, path);
      break;
    case 'StatementRef':
      statementRef(value, path);
      break;
    case 'SubStatement':
      if (inSub) fail(at(path, 'objectType'), 'a SubStatement cannot contain a SubStatement');
      subStatement(value, path, rules);
      break;
    default:
      fail(at(path, 'objectType'), 'must be one of Activity, Agent, Group, StatementRef, SubStatement');
  }
  return objectType as string;
}

function score(value: unknown, path: string): void {
  const s = object(value, path, ['scaled', 'raw', 'min', 'max']);
  const scaled = s.scaled === undefined ? undefined : number(s.scaled, at(path, 'scaled'));
  const raw = s.raw === undefined ? undefined : number(s.raw, at(path, 'raw'));
  const min = s.min === undefined ? undefined : number(s.min, at(path, 'min'));
  const max = s.max === undefined ? undefined : number(s.max, at(path, 'max'));
  if (scaled !== undefined && (scaled < -1 || scaled > 1))
    fail(at(path, 'scaled'), 'must be between -1 and 1');
  if (min !== undefined && max !== undefined && !(min < max)) fail(at(path, 'min'), 'must be less than max');
  if (raw !== undefined && min !== undefined && raw < min) fail(at(path, 'raw'), 'must not be less than min');
  if (raw !== undefined && max !== undefined && raw > max) fail(at(path, 'raw'), 'must not be more than max');
}

function result(value: unknown, path: string): void {
  const r = object(value, path, ['score', 'success', 'completion', 'response', 'duration', 'extensions']);
  if (r.score !== undefined) score(r.score, at(path, 'score'));
  if (r.success !== undefined) boolean(r.success, at(path, 'success'));
  if (r.completion !== undefined) boolean(r.completion, at(path, 'completion'));
  if (r.response !== undefined) string(r.response, at(path, 'response'));
  if (r.duration !== undefined && !isDuration(string(r.duration, at(path, 'duration')))) {
    fail(at(path, 'duration'), 'must be an ISO 8601 duration (PnYnMnDTnHnMnS or PnW)');
  }
  if (r.extensions !== undefined) extensions(r.extensions, at(path, 'extensions'));
}

function contextActivities(value: unknown, path: string): void {
  const ca = object(value, path, ['parent', 'grouping', 'category', 'other']);
  if (Object.keys(ca).length === 0)
    fail(path, 'must contain at least one of parent, grouping, category, other');
  for (const [key, item] of Object.entries(ca)) {
    if (Array.isArray(item)) {
      array(item, at(path, key)).forEach((activity, i) => {
        validateActivity(activity, index(at(path, key), i));
      });
    } else {
      validateActivity(item, at(path, key));
    }
  }
}

function relevantTypes(value: unknown, path: string): void {
  const types = array(value, path);
  if (types.length === 0) fail(path, 'must list at least one IRI when present');
  types.forEach((type, i) => {
    iri(type, index(path, i));
  });
}

/** xAPI 2.0 context.contextAgents / contextGroups. */
function contextActors(value: unknown, path: string, kind: 'contextAgent' | 'contextGroup'): void {
  const inner = kind === 'contextAgent' ? 'agent' : 'group';
  array(value, path).forEach((item, i) => {
    const itemPath = index(path, i);
    const entry = object(item, itemPath, ['objectType', inner, 'relevantTypes']);
    if (entry.objectType !== kind) fail(at(itemPath, 'objectType'), `must be "${kind}"`);
    const actor = required(entry, inner, itemPath);
    if (kind === 'contextAgent') validateAgent(actor, at(itemPath, inner));
    else validateGroup(actor, at(itemPath, inner));
    if (entry.relevantTypes !== undefined) relevantTypes(entry.relevantTypes, at(itemPath, 'relevantTypes'));
  });
}

function context(value: unknown, path: string, objectType: string, rules: Rules): void {
  const keys = [
    'registration',
    'instructor',
    'team',
    'contextActivities',
    'revision',
    'platform',
    'language',
    'statement',
    'extensions',
  ];
  if (rules.version === '2.0.0') keys.push('contextAgents', 'contextGroups');
  const c: JsonObject = object(value, path, keys);
  if (c.registration !== undefined) uuid(c.registration, at(path, 'registration'));
  if (c.instructor !== undefined) validateActor(c.instructor, at(path, 'instructor'));
  if (c.team !== undefined) validateGroup(c.team, at(path, 'team'));
  if (c.contextActivities !== undefined)
    contextActivities(c.contextActivities, at(path, 'contextActivities'));
  // XAPI-00084/00085: revision and platform describe an Activity, so only an Activity object has them.
  if (c.revision !== undefined) {
    string(c.revision, at(path, 'revision'));
    if (objectType !== 'Activity')
      fail(at(path, 'revision'), 'is allowed only when the object is an Activity');
  }
  if (c.platform !== undefined) {
    string(c.platform, at(path, 'platform'));
    if (objectType !== 'Activity')
      fail(at(path, 'platform'), 'is allowed only when the object is an Activity');
  }
  if (c.language !== undefined && !isLanguageTag(string(c.language, at(path, 'language')))) {
    fail(at(path, 'language'), 'must be an RFC 5646 language tag');
  }
  if (c.statement !== undefined) statementRef(c.statement, at(path, 'statement'));
  if (c.extensions !== undefined) extensions(c.extensions, at(path, 'extensions'));
  if (c.contextAgents !== undefined)
    contextActors(c.contextAgents, at(path, 'contextAgents'), 'contextAgent');
  if (c.contextGroups !== undefined)
    contextActors(c.contextGroups, at(path, 'contextGroups'), 'contextGroup');
}

/** Attachment metadata (XAPI-00102..00107). */
function attachments(value: unknown, path: string): void {
  array(value, path).forEach((item, i) => {
    const p = index(path, i);
    const a = object(item, p, [
      'usageType',
      'display',
      'description',
      'contentType',
      'length',
      'sha2',
      'fileUrl',
    ]);
    iri(required(a, 'usageType', p), at(p, 'usageType'));
    languageMap(required(a, 'display', p), at(p, 'display'));
    if (a.description !== undefined) languageMap(a.description, at(p, 'description'));
    if (!isMediaType(string(required(a, 'contentType', p), at(p, 'contentType')))) {
      fail(at(p, 'contentType'), 'must be an Internet media type');
    }
    const length = number(required(a, 'length', p), at(p, 'length'));
    if (!Number.isSafeInteger(length) || length < 0)
      fail(at(p, 'length'), 'must be a whole number of octets');
    if (!isSha2Hex(string(required(a, 'sha2', p), at(p, 'sha2'))))
      fail(at(p, 'sha2'), 'must be a SHA-2 hash in hex');
    if (a.fileUrl !== undefined && !isIrl(string(a.fileUrl, at(p, 'fileUrl'))))
      fail(at(p, 'fileUrl'), 'must be an IRL');
  });
}

/** The parts a Statement and a SubStatement share. */
function body(s: JsonObject, path: string, rules: Rules, inSub: boolean): void {
  validateActor(required(s, 'actor', path), at(path, 'actor'));
  verb(required(s, 'verb', path), at(path, 'verb'));
  const objectType = statementObject(required(s, 'object', path), at(path, 'object'), rules, inSub);
  if (s.result !== undefined) result(s.result, at(path, 'result'));
  if (s.context !== undefined) context(s.context, at(path, 'context'), objectType, rules);
  if (s.timestamp !== undefined) timestamp(s.timestamp, at(path, 'timestamp'), rules);
  if (s.attachments !== undefined) attachments(s.attachments, at(path, 'attachments'));
}

/** A SubStatement has no id, stored, version or authority, and no nested SubStatement (XAPI-00066..00071). */
function subStatement(value: JsonObject, path: string, rules: Rules): void {
  for (const key of ['id', 'stored', 'version', 'authority']) {
    if (value[key] !== undefined) fail(at(path, key), 'is not allowed in a SubStatement');
  }
  const s = object(value, path, [
    'objectType',
    'actor',
    'verb',
    'object',
    'result',
    'context',
    'timestamp',
    'attachments',
  ]);
  body(s, path, rules, true);
}

/** authority: an Agent, or a Group of exactly two Agents (an OAuth consumer and user; XAPI-00098, 00100). */
function authority(value: unknown, path: string): void {
  const actor = validateActor(value, path);
  if (actor.objectType === 'Group' && actor.member?.length !== 2) {
    fail(at(path, 'member'), 'an authority Group must have exactly two Agents');
  }
}

/**
 * Validates one statement exactly as xAPI demands and returns it unchanged (typed). Throws
 * XapiInvalid naming the first offending property, under `path` (e.g. `statements[3]`).
 */
/** NUL cannot be stored (PostgreSQL text and jsonb refuse it), so it is refused with its path. */
function rejectNul(value: unknown, path: string): void {
  if (typeof value === 'string') {
    if (value.includes('\u0000')) fail(path, 'must not contain the NUL character');
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => {
      rejectNul(item, index(path, i));
    });
  } else if (isObject(value)) {
    for (const [key, item] of Object.entries(value)) {
      if (key.includes('\u0000')) fail(path, 'has a key containing the NUL character');
      rejectNul(item, at(path, key));
    }
  }
}

export function validateStatement(value: unknown, version: XapiVersion, path = ''): XapiStatement {
  const rules: Rules = { version };
  rejectNul(value, path);
  const s = object(value, path, [
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
  if (s.id !== undefined) uuid(s.id, at(path, 'id'));
  body(s, path, rules, false);
  if (s.stored !== undefined) timestamp(s.stored, at(path, 'stored'), rules);
  if (s.authority !== undefined) authority(s.authority, at(path, 'authority'));
  if (
    s.version !== undefined &&
    !isStatementVersion(string(s.version, at(path, 'version')), version === '2.0.0')
  ) {
    fail(at(path, 'version'), version === '2.0.0' ? 'must be 1.0.x or 2.0.x' : 'must be 1.0 or 1.0.x');
  }
  // XAPI-00017: a voiding statement's object is a StatementRef.
  const verbId = (s.verb as JsonObject).id;
  if (verbId === VOIDED_VERB && (s.object as JsonObject).objectType !== 'StatementRef') {
    fail(at(at(path, 'object'), 'objectType'), 'a voiding statement must have a StatementRef as its object');
  }
  return s as unknown as XapiStatement;
}
