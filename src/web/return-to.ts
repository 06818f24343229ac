/**
 * Where to send someone after signing in: only a same-origin path. Refuses absolute URLs, protocol-relative
 * `//host` and `/\host` (browsers read a backslash as a slash), and any whitespace or control character
 * (browsers drop tabs and newlines, so `/\t/evil.example` would become `//evil.example`).
 */
export function safeReturnTo(value: unknown, fallback = '/'): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 2000) return fallback;
  if (!value.startsWith('/') || value.startsWith('//')) return fallback;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
  if (/[\\\s\u0000-\u001f\u007f]/.test(value)) return fallback;
  return value;
}
