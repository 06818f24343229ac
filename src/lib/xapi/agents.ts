import { createHash } from 'node:crypto';
import { at, fail, index, type XapiVersion } from './errors.ts';
import { isIrl, isMailtoIri, isSha1Hex, isUri } from './formats.ts';
import type { XapiActor, XapiAgent, XapiGroup } from './types.ts';
import { array, isObject, type JsonObject, object, required, string } from './values.ts';

const IFIS = ['mbox', 'mbox_sha1sum', 'openid', 'account'] as const;
const AGENT_KEYS = ['objectType', 'name', ...IFIS];
const GROUP_KEYS = [...AGENT_KEYS, 'member'];

/** Checks the inverse functional identifiers present and returns how many there are. */
function checkIfis(value: JsonObject, path: string): number {
  let count = 0;
  if (value.mbox !== undefined) {
    count++;
    if (!isMailtoIri(string(value.mbox, at(path, 'mbox')))) fail(at(path, 'mbox'), 'must be a mailto: IRI');
  }
  if (value.mbox_sha1sum !== undefined) {
    count++;
    const sum = string(value.mbox_sha1sum, at(path, 'mbox_sha1sum'));
    if (!isSha1Hex(sum)) fail(at(path, 'mbox_sha1sum'), 'must be a SHA-1 hash in hex (40 hex digits)');
  }
  if (value.openid !== undefined) {
    count++;
    if (!isUri(string(value.openid, at(path, 'openid')))) fail(at(path, 'openid'), 'must be an absolute URI');
  }
  if (value.account !== undefined) {
    count++;
    const accountPath = at(path, 'account');
    const account = object(value.account, accountPath, ['homePage', 'name']);
    const homePage = string(required(account, 'homePage', accountPath), at(accountPath, 'homePage'));
    if (!isIrl(homePage)) fail(at(accountPath, 'homePage'), 'must be an IRL');
    string(required(account, 'name', accountPath), at(accountPath, 'name'));
  }
  if (value.name !== undefined) string(value.name, at(path, 'name'));
  return count;
}

/** An Agent: objectType absent or "Agent", exactly one IFI (XAPI-00032..00034, 00038..00043). */
export function validateAgent(value: unknown, path: string): XapiAgent {
  // objectType first: a Group where an Agent belongs is named as such, not by its member key.
  if (isObject(value) && value.objectType !== undefined && value.objectType !== 'Agent') {
    fail(at(path, 'objectType'), 'must be "Agent"');
  }
  const agent = object(value, path, AGENT_KEYS);
  const count = checkIfis(agent, path);
  if (count !== 1) {
    fail(path, `an Agent must have exactly one of mbox, mbox_sha1sum, openid, account (found ${count})`);
  }
  return agent as XapiAgent;
}

/**
 * A Group: objectType "Group"; identified by at most one IFI; an anonymous Group (no IFI) lists at
 * least one member; members are Agents, never Groups (XAPI-00035..00037).
 */
export function validateGroup(value: unknown, path: string): XapiGroup {
  const group = object(value, path, GROUP_KEYS);
  if (group.objectType !== 'Group') fail(at(path, 'objectType'), 'must be "Group"');
  const count = checkIfis(group, path);
  if (count > 1)
    fail(path, `a Group may have at most one of mbox, mbox_sha1sum, openid, account (found ${count})`);
  if (group.member !== undefined) {
    const members = array(group.member, at(path, 'member'));
    members.forEach((member, i) => {
      validateAgent(member, index(at(path, 'member'), i));
    });
    if (count === 0 && members.length === 0)
      fail(at(path, 'member'), 'an anonymous Group must list at least one member');
  } else if (count === 0) {
    fail(path, 'a Group needs an inverse functional identifier or a member list');
  }
  return group as unknown as XapiGroup;
}

/** An Agent or a Group, told apart by objectType (XAPI-00031). */
export function validateActor(value: unknown, path: string): XapiActor {
  const objectType =
    typeof value === 'object' && value !== null ? (value as JsonObject).objectType : undefined;
  if (objectType === 'Group') return validateGroup(value, path);
  if (objectType !== undefined && objectType !== 'Agent')
    fail(at(path, 'objectType'), 'must be "Agent" or "Group"');
  return validateAgent(value, path);
}

function parseJsonParam(json: string, name: string): unknown {
  try {
    return JSON.parse(json) as unknown;
  } catch {
    return fail(name, 'must be JSON');
  }
}

/** The `agent` query parameter of the document resources and /agents: a JSON Agent. */
export function parseAgentParam(json: string, _version: XapiVersion, name = 'agent'): XapiAgent {
  return validateAgent(parseJsonParam(json, name), name);
}

/** The `agent` parameter of statement queries: an Agent or an identified Group. */
export function parseActorParam(json: string, _version: XapiVersion, name = 'agent'): XapiActor {
  const actor = validateActor(parseJsonParam(json, name), name);
  if (actor.objectType === 'Group' && ifiKind(actor) === undefined) {
    fail(name, 'must be an Agent or an identified Group');
  }
  return actor;
}

function ifiKind(actor: XapiActor): (typeof IFIS)[number] | undefined {
  return IFIS.find((key) => actor[key] !== undefined);
}

/**
 * The canonical key of an Agent's or identified Group's IFI: `mbox:mailto:a@b.c`,
 * `mbox_sha1sum:<lower hex>`, `openid:<uri>`, `account:<homePage> <name>`. Throws for an
 * anonymous Group, which has none.
 */
export function agentIfi(agent: XapiActor): string {
  if (agent.mbox !== undefined) return `mbox:${agent.mbox}`;
  if (agent.mbox_sha1sum !== undefined) return `mbox_sha1sum:${agent.mbox_sha1sum.toLowerCase()}`;
  if (agent.openid !== undefined) return `openid:${agent.openid}`;
  if (agent.account !== undefined) return `account:${agent.account.homePage} ${agent.account.name}`;
  return fail('', 'an anonymous Group has no inverse functional identifier');
}

/** The SHA-1 of an mbox, as mbox_sha1sum carries it: so both forms of one person match. */
export function mboxSha1(mbox: string): string {
  return createHash('sha1').update(mbox).digest('hex');
}
