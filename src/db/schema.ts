// Every table, for the typed Drizzle client. Modules add their `<domain>.tables.ts` here.
export * from './core.tables.ts';
