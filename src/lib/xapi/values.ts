import { at, fail, index } from './errors.ts';
import { isIri, isLanguageTag } from './formats.ts';

/**
 * Structural checks shared by every part of a statement. A property whose value is null is
 * refused everywhere except inside extensions (XAPI-00001); keys are matched case-sensitively, so
 * `Actor` is an unknown property (XAPI-00008, XAPI-00010).
 */
export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function object(value: unknown, path: string, allowed: readonly string[]): JsonObject {
  if (!isObject(value)) fail(path, 'must be a JSON object');
  for (const [key, item] of Object.entries(value)) {
    if (!allowed.includes(key)) fail(at(path, key), 'is not a property the xAPI specification allows here');
    if (item === null) fail(at(path, key), 'must not be null');
  }
  return value;
}

export function required(source: JsonObject, key: string, path: string): unknown {
  const value = source[key];
  if (value === undefined) fail(at(path, key), 'is required');
  return value;
}

export function string(value: unknown, path: string): string {
  if (typeof value !== 'string') fail(path, 'must be a string');
  return value;
}

export function array(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) fail(path, 'must be an array');
  value.forEach((item, i) => {
    if (item === null) fail(index(path, i), 'must not be null');
  });
  return value;
}

export function number(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(path, 'must be a number');
  return value;
}

export function boolean(value: unknown, path: string): boolean {
  if (typeof value !== 'boolean') fail(path, 'must be true or false');
  return value;
}

export function iri(value: unknown, path: string): string {
  const text = string(value, path);
  if (!isIri(text)) fail(path, 'must be an absolute IRI (a scheme, a colon, no spaces)');
  return text;
}

/** A Language Map: RFC 5646 tags as keys, strings as values (XAPI-00121, XAPI-00013). */
export function languageMap(value: unknown, path: string): void {
  if (!isObject(value)) fail(path, 'must be a language map (an object of language tag to string)');
  for (const [tag, text] of Object.entries(value)) {
    if (!isLanguageTag(tag)) fail(at(path, tag), 'is not an RFC 5646 language tag');
    if (typeof text !== 'string') fail(at(path, tag), 'must be a string');
  }
}

/** Extensions: IRI keys, any JSON value including null (XAPI-00118..00120). */
export function extensions(value: unknown, path: string): void {
  if (!isObject(value)) fail(path, 'must be an object of IRI keys');
  for (const key of Object.keys(value)) {
    if (!isIri(key)) fail(at(path, key), 'extension keys must be absolute IRIs');
  }
}
