/**
 * PostgreSQL's unique violation (SQLSTATE 23505), looked for through the error's causes (Drizzle wraps the
 * driver's error). Returns the violated constraint's name ('' when the server did not say), else undefined.
 */
export function uniqueViolation(error: unknown): string | undefined {
  for (let e: unknown = error; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
    const pg = e as { code?: unknown; constraint?: unknown };
    if (pg.code === '23505') return typeof pg.constraint === 'string' ? pg.constraint : '';
  }
  return undefined;
}
