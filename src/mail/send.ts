import type { Executor } from '../db/client.ts';
import { enqueue } from '../jobs/enqueue.ts';
import type { JobRegistry } from '../jobs/registry.ts';
import type { Ids } from '../lib/runtime.ts';
import type { Mailer, MailMessage } from './mailer.ts';

export const SEND_MAIL = 'mail.send';

/**
 * Queues a message for sending inside the caller's transaction. Sending is always a job, never inline in a
 * request: the request commits quickly, and a failing mail server only delays mail, with retries.
 * The Message-ID is fixed here so that a retry after a crash does not produce a second, different message.
 */
export async function queueMail(
  tx: Executor,
  deps: { ids: Ids; mailDomain: string },
  message: MailMessage,
): Promise<string> {
  const messageId = message.messageId ?? `<${deps.ids.uuid()}@${deps.mailDomain}>`;
  await enqueue(tx, SEND_MAIL, { ...message, messageId }, { maxAttempts: 20 });
  return messageId;
}

export function registerMailJobs(registry: JobRegistry, mailer: () => Mailer): void {
  registry.register<MailMessage>(SEND_MAIL, async (message) => {
    await mailer().send(message);
  });
}
