/**
 * Opaque cursors for keyset paging: the position is JSON, base64url-encoded so clients treat it as a token.
 * A cursor that does not decode is the caller's mistake (400), never a 500.
 */
export function encodeCursor(position: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(position), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): (string | number)[] | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.every((v) => typeof v === 'string' || typeof v === 'number'))
      return value;
  } catch {
    // fall through
  }
  return undefined;
}
