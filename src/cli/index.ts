import { Command } from 'commander';
import { appCommands } from './apps.ts';
import { badgekitCommands } from './badgekit.ts';
import { institutionCommands } from './institutions.ts';
import { ltiCommands } from './lti.ts';
import { mailCommands } from './mail.ts';
import { platformCommands } from './platforms.ts';
import { programCommands } from './programs.ts';
import { serveCommands } from './serve.ts';
import { tokenCommands } from './tokens.ts';
import { userCommands } from './users.ts';

const program = new Command()
  .name('learnhub')
  .description(
    'Learnhub, an open learning hub. Configuration comes from environment variables (docs/configuration.md).',
  )
  .showHelpAfterError()
  .configureHelp({ sortSubcommands: false });

serveCommands(program);
tokenCommands(program);
mailCommands(program);
userCommands(program);
appCommands(program);
programCommands(program);
badgekitCommands(program);
institutionCommands(program);
platformCommands(program);
ltiCommands(program);

await program.parseAsync(process.argv);
