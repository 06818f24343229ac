// Every table, for the typed Drizzle client. Modules add their `<domain>.tables.ts` here.

export * from '../modules/identity/identity.tables.ts';
export * from '../modules/oauth/oauth.tables.ts';
export * from '../modules/webhooks/webhooks.tables.ts';
export * from './core.tables.ts';
