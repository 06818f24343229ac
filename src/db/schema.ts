// Every table, for the typed Drizzle client. Modules add their `<domain>.tables.ts` here.

export * from '../modules/activity/activity.tables.ts';
export * from '../modules/assessment/assessment.tables.ts';
export * from '../modules/badges/badges.tables.ts';
export * from '../modules/courses/courses.tables.ts';
export * from '../modules/events/events.tables.ts';
export * from '../modules/events/events.xapi-attachments.tables.ts';
export * from '../modules/events/events.xapi-documents.tables.ts';
export * from '../modules/identity/identity.tables.ts';
export * from '../modules/lti/lti.tables.ts';
export * from '../modules/messaging/messaging.tables.ts';
export * from '../modules/oauth/oauth.tables.ts';
export * from '../modules/platforms/platforms.tables.ts';
export * from '../modules/webhooks/webhooks.tables.ts';
export * from './core.tables.ts';
