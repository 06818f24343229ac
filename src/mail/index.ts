export {
  type EncodedBody,
  isPermanentMailError,
  type Mailer,
  type MailMessage,
  outboxMailer,
  smtpMailer,
} from './mailer.ts';
export { composeMime, encodeBody } from './mime.ts';
export { listOutbox, type OutboxCursor, type OutboxEntry, outboxEntryJson } from './outbox.repository.ts';
export { queueMail, registerMailJobs, SEND_MAIL } from './send.ts';
