import type { Command } from 'commander';
import {
  applyRetention,
  createKey,
  createProgram,
  eventsContext,
  grantAccess,
  revokeAccess,
  revokeProgramKey,
} from '../modules/events/index.ts';
import { runAdminUseCase as admin, printJson } from './context.ts';

const days = (value: string | undefined) => (value === undefined ? undefined : Number(value));
const list = (value: string | undefined) =>
  value === undefined
    ? undefined
    : value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);

function printKey(created: { program_id: string; user_id: string; api_key: string }, json: boolean): void {
  if (json) {
    printJson(created);
    return;
  }
  process.stdout.write(
    `program ${created.program_id}\nuser id ${created.user_id}\napi key ${created.api_key}\n`,
  );
  process.stderr.write('Use them as HTTP Basic credentials (userId:apiKey). The key is not shown again.\n');
}

/** Event Store programs, their keys and grants, and retention (`learnhub programs ...`, `learnhub events ...`). */
export function programCommands(program: Command): void {
  const programs = program.command('programs').description('Event Store programs, keys and read grants.');
  programs
    .command('create')
    .description('Create a program and its first key (printed once).')
    .requiredOption('--id <programId>', 'the ProgramId, the prefix of its event ids (letters, digits, _)')
    .requiredOption('--name <name>', 'a readable name')
    .option('--owner <owner>', 'who runs it')
    .option('--expires-in-days <days>', 'key lifetime (default: no expiry)')
    .option('--json', 'print JSON', false)
    .action(
      async (o: { id: string; name: string; owner?: string; expiresInDays?: string; json: boolean }) => {
        const created = await admin((deps) =>
          createProgram(deps, {
            id: o.id,
            name: o.name,
            owner: o.owner,
            expiresInDays: days(o.expiresInDays),
          }),
        );
        printKey(created, o.json);
      },
    );
  programs
    .command('grant')
    .description("Let the consumer program read the producer's events (optionally only some types).")
    .requiredOption('--consumer <programId>')
    .requiredOption('--producer <programId>')
    .option('--types <types>', 'comma-separated event types (default: all)')
    .action(async (o: { consumer: string; producer: string; types?: string }) => {
      await admin((deps) =>
        grantAccess(deps, { consumer: o.consumer, producer: o.producer, types: list(o.types) }),
      );
      process.stderr.write(`${o.consumer} may now read ${o.producer}'s events.\n`);
    });
  programs
    .command('revoke-grant')
    .description('Withdraw a read grant.')
    .requiredOption('--consumer <programId>')
    .requiredOption('--producer <programId>')
    .action(async (o: { consumer: string; producer: string }) => {
      const removed = await admin((deps) => revokeAccess(deps, o));
      process.stderr.write(removed ? 'Grant withdrawn.\n' : 'There was no such grant.\n');
    });

  const keys = programs.command('keys').description("A program's API keys.");
  keys
    .command('create')
    .description('Add a key to a program (printed once).')
    .requiredOption('--program <programId>')
    .option('--name <name>', 'what the key is for', 'key')
    .option('--expires-in-days <days>', 'key lifetime (default: no expiry)')
    .option('--json', 'print JSON', false)
    .action(async (o: { program: string; name: string; expiresInDays?: string; json: boolean }) => {
      const created = await admin((deps) =>
        createKey(deps, { programId: o.program, name: o.name, expiresInDays: days(o.expiresInDays) }),
      );
      printKey(created, o.json);
    });
  keys
    .command('revoke')
    .description('Revoke a key at once.')
    .requiredOption('--user-id <keyId>', 'the key id (the Basic user name)')
    .action(async (o: { userId: string }) => {
      await admin((deps) => revokeProgramKey(deps, o.userId));
      process.stderr.write(`Key ${o.userId} revoked.\n`);
    });

  program
    .command('events')
    .description('Event Store maintenance.')
    .command('retention')
    .description('Delete events (and their history) unchanged for longer than the given number of days.')
    .requiredOption('--older-than-days <days>')
    .option('--json', 'print JSON', false)
    .action(async (o: { olderThanDays: string; json: boolean }) => {
      const deleted = await admin((deps) => applyRetention(eventsContext(deps), Number(o.olderThanDays)));
      if (o.json) printJson({ deleted });
      else process.stdout.write(`${deleted} events deleted\n`);
    });
}
