import type { XapiStatement } from './types.ts';
import { isObject, type JsonObject } from './values.ts';

/**
 * Statement comparison (Data 2.3.1 "Statement Comparison Requirements"): id, authority, stored,
 * timestamp and version are ignored, and so are the differences an LRS may itself introduce
 * (Data 2.3.1 "Statement Immutability and Exceptions"): a default objectType, a single
 * contextActivity as an array, the case of language tags, the order of Group members and of keys.
 */
const IGNORED = ['id', 'authority', 'stored', 'timestamp', 'version'];

const LANGUAGE_MAPS = ['display', 'name', 'description'];

function normalise(value: unknown, key: string): unknown {
  if (Array.isArray(value)) {
    const items = value.map((item) => normalise(item, ''));
    return key === 'member' ? items.map((item) => JSON.stringify(item)).sort() : items;
  }
  if (!isObject(value)) return value;
  // An Agent's name is a string, so an object under these keys is always a language map.
  const languageMap = LANGUAGE_MAPS.includes(key);
  const out: JsonObject = {};
  for (const k of Object.keys(value).sort()) {
    const item = value[k];
    const wrapped = key === 'contextActivities' && !Array.isArray(item) ? [item] : item;
    out[languageMap ? k.toLowerCase() : k] = normalise(wrapped, k);
  }
  if (key === 'object' && out.objectType === undefined) out.objectType = 'Activity';
  if (key === 'actor' && out.objectType === undefined) out.objectType = 'Agent';
  return out;
}

function canonicalJson(value: unknown): string {
  return JSON.stringify(value);
}

export function sameStatement(a: XapiStatement, b: XapiStatement, ignore: readonly string[] = []): boolean {
  const strip = (s: XapiStatement) => {
    const copy: JsonObject = { ...(s as unknown as JsonObject) };
    for (const key of [...IGNORED, ...ignore]) delete copy[key];
    return canonicalJson(normalise(copy, ''));
  };
  return strip(a) === strip(b);
}
