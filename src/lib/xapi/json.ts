import { fail } from './errors.ts';

/**
 * JSON.parse keeps the last of two equal keys silently; xAPI requires a statement with a duplicate
 * key to be refused (XAPI-00021). This scan walks the text once, tracking only object keys per
 * nesting level, then JSON.parse builds the value. `name` is the path used in the error.
 */
export function parseXapiJson(text: string, name = 'body'): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch {
    return fail(name, 'is not valid JSON');
  }
  // Each frame: the keys seen so far (undefined for an array), and whether a string is a key.
  const frames: { keys: Set<string> | undefined; expectKey: boolean }[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      const frame = frames.at(-1);
      if (frame?.keys !== undefined && frame.expectKey) {
        const key = JSON.parse(text.slice(i, j + 1)) as string;
        if (frame.keys.has(key)) fail(name, `repeats the key "${key}"; every property may appear once`);
        frame.keys.add(key);
        frame.expectKey = false;
      }
      i = j + 1;
      continue;
    }
    if (c === '{') frames.push({ keys: new Set(), expectKey: true });
    else if (c === '[') frames.push({ keys: undefined, expectKey: false });
    else if (c === '}' || c === ']') frames.pop();
    else if (c === ',') {
      const frame = frames.at(-1);
      if (frame?.keys !== undefined) frame.expectKey = true;
    }
    i++;
  }
  return value;
}
