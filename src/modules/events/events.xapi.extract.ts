import { createHash } from 'node:crypto';
import { agentIfi, type XapiStatement } from '../../lib/xapi/index.ts';

/**
 * What the store indexes of a statement: the agents and activities it names (xAPI's `agent`/`activity`
 * filters and their `related_*` forms), the activity definitions it carries, its registration, and the
 * statement it voids. Pure: reads the validated statement only.
 */
export const VOIDED_VERB = 'http://adlnet.gov/expapi/verbs/voided';

type Json = Record<string, unknown>;

/** Index keys stay small: a very long IRI or IFI is indexed (and looked up) by its SHA-256. */
export function refKey(key: string): string {
  return key.length > 512 ? `sha256:${createHash('sha256').update(key).digest('hex')}` : key;
}
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** An Agent's or identified Group's IFI key; an anonymous Group is keyed by its members' IFIs. */
export function memberKey(actor: unknown): string {
  if (!isObject(actor)) return 'unknown';
  try {
    return agentIfi(actor as Parameters<typeof agentIfi>[0]);
  } catch {
    const members = Array.isArray(actor.member) ? actor.member : [];
    const keys = members.map((m) => (isObject(m) ? memberKey(m) : '')).sort();
    return `group:${keys.join('|')}`.slice(0, 2000);
  }
}

function agentKeys(value: unknown): string[] {
  if (!isObject(value)) return [];
  const keys: string[] = [];
  if (value.objectType === 'Group' && Array.isArray(value.member)) {
    for (const m of value.member) keys.push(...agentKeys(m));
  }
  try {
    keys.push(agentIfi(value as Parameters<typeof agentIfi>[0]));
  } catch {
    // An anonymous group has no IFI of its own; its members were added above.
  }
  return keys;
}

const isAgentLike = (o: Json) => o.objectType === 'Agent' || o.objectType === 'Group';
const isActivity = (o: Json) => o.objectType === undefined || o.objectType === 'Activity';

export interface Extracted {
  readonly refs: (readonly [string, string])[];
  readonly registration: string | null;
  readonly voids: string | null;
  readonly definitions: { readonly id: string; readonly definition: Json }[];
}

export function extract(statement: XapiStatement): Extracted {
  const s = statement as unknown as Json;
  const direct = new Set<string>();
  const agents = new Set<string>();
  const object = new Set<string>();
  const activities = new Set<string>();
  const definitions: { id: string; definition: Json }[] = [];

  const activity = (value: unknown, isObjectOfStatement: boolean) => {
    if (!isObject(value) || !isActivity(value) || typeof value.id !== 'string') return;
    activities.add(value.id);
    if (isObjectOfStatement) object.add(value.id);
    if (isObject(value.definition)) definitions.push({ id: value.id, definition: value.definition });
  };
  const context = (ctx: unknown) => {
    if (!isObject(ctx)) return;
    for (const k of agentKeys(ctx.instructor)) agents.add(k);
    for (const k of agentKeys(ctx.team)) agents.add(k);
    const ca = ctx.contextActivities;
    if (isObject(ca)) {
      for (const list of Object.values(ca)) {
        for (const a of Array.isArray(list) ? list : [list]) activity(a, false);
      }
    }
  };

  for (const k of agentKeys(s.actor)) direct.add(k);
  const obj = s.object;
  if (isObject(obj)) {
    if (isAgentLike(obj)) for (const k of agentKeys(obj)) direct.add(k);
    else if (obj.objectType === 'SubStatement') {
      for (const k of agentKeys(obj.actor)) agents.add(k);
      const inner = obj.object;
      if (isObject(inner)) {
        if (isAgentLike(inner)) for (const k of agentKeys(inner)) agents.add(k);
        else activity(inner, false);
      }
      context(obj.context);
    } else activity(obj, true);
  }
  context(s.context);
  for (const k of agentKeys(s.authority)) agents.add(k);
  for (const k of direct) agents.add(k);

  const refs: (readonly [string, string])[] = [];
  for (const k of direct) refs.push(['a', refKey(k)]);
  for (const k of agents) refs.push(['A', refKey(k)]);
  for (const k of object) refs.push(['o', refKey(k)]);
  for (const k of activities) refs.push(['O', refKey(k)]);

  const ctx = isObject(s.context) ? s.context : {};
  const registration = typeof ctx.registration === 'string' ? ctx.registration.toLowerCase() : null;
  const verb = isObject(s.verb) ? s.verb.id : undefined;
  const voids =
    verb === VOIDED_VERB && isObject(obj) && obj.objectType === 'StatementRef' && typeof obj.id === 'string'
      ? obj.id.toLowerCase()
      : null;
  return { refs, registration, voids, definitions };
}
