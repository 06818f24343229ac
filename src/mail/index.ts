export { type Mailer, type MailMessage, outboxMailer, smtpMailer } from './mailer.ts';
export { listOutbox, type OutboxCursor, type OutboxEntry, outboxEntryJson } from './outbox.repository.ts';
export { queueMail, registerMailJobs, SEND_MAIL } from './send.ts';
