import type { Command } from 'commander';
import { listOutbox, outboxEntryJson } from '../mail/index.ts';
import { printJson, withAdminDeps } from './context.ts';

export function mailCommands(program: Command): void {
  const mail = program.command('mail').description('Mail the hub has sent to its built-in outbox.');
  mail
    .command('list')
    .description('List outbox mail, newest first (when no SMTP_URL is configured).')
    .option('--limit <n>', 'how many (1–1000)', '20')
    .option('--json', 'print JSON', false)
    .action(async (options: { limit: string; json: boolean }) => {
      const limit = Math.min(1000, Math.max(1, Number(options.limit) || 20));
      const mails = await withAdminDeps((deps) => listOutbox(deps.db, { limit }));
      if (options.json) {
        printJson(mails.map(outboxEntryJson));
        return;
      }
      if (mails.length === 0) process.stdout.write('No mail in the outbox.\n');
      for (const m of mails) {
        process.stdout.write(`${m.createdAt.toISOString()}  ${m.to.join(', ')}  ${m.subject}\n`);
      }
    });
}
