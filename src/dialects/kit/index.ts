/**
 * The dialect kit: what every seed dialect needs and nothing more. A dialect is a thin translation layer over
 * the modules' use-cases (docs/architecture.md, "How to add a dialect"):
 * - `installDialect(app, wire)`: its error shape, and 404/405 in that shape;
 * - `CodeTable` / `renderWithTable`: hub error codes → the seed's errors, checked by tsc;
 * - `readPageWindow` / `totalPages`: page-numbered paging (cursor paging uses src/lib/cursor.ts);
 * - `authenticateDialect`: one preHandler for a seed-specific credential.
 */

export { type DialectWire, installDialect, sendWireError, type WireError } from '../../http/wire.ts';
export { authenticateDialect, type DialectAuthenticator } from './auth.ts';
export { type CodeTable, hideInternals, renderWithTable } from './errors.ts';
export { type PageNumberConvention, type PageWindow, readPageWindow, totalPages } from './paging.ts';
