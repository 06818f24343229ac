import { Argument, type Command } from 'commander';
import { addInstitutionAdmin, createInstitution, setGenerateAccounts } from '../modules/courses/index.ts';
import { runAdminUseCase as admin, printJson } from './context.ts';

/** OpenLearning institution portals (`learnhub institutions ...`). */
export function institutionCommands(program: Command): void {
  const institutions = program
    .command('institutions')
    .description(
      'Institution portals for the OpenLearning dialect: SSO shared secret, API credential, admins.',
    );
  institutions
    .command('create')
    .description('Create an institution; prints its shared secret and an API credential (shown once).')
    .requiredOption('--path <path>', 'the portal path (e.g. myInstitute)')
    .requiredOption('--name <name>', 'a readable name')
    .option('--generate-accounts', "let invites create accounts (the seed's generateAccount)", false)
    .option('--json', 'print JSON', false)
    .action(async (o: { path: string; name: string; generateAccounts: boolean; json: boolean }) => {
      const created = await admin((deps) =>
        createInstitution(deps, { path: o.path, name: o.name, generateAccounts: o.generateAccounts }),
      );
      const out = {
        institution: {
          id: created.institution.id,
          path: created.institution.path,
          name: created.institution.name,
          generate_accounts: created.institution.generateAccounts,
          created_at: created.institution.createdAt.toISOString(),
        },
        shared_secret: created.sharedSecret,
        api_username: created.apiUsername,
        api_password: created.apiPassword,
      };
      if (o.json) return printJson(out);
      process.stdout.write(
        `institution ${out.institution.path} (${out.institution.id})\nshared secret ${out.shared_secret}\nusername ${out.api_username}\npassword ${out.api_password}\n`,
      );
      process.stderr.write('Use USERNAME:PASSWORD with curl -u. Neither secret is shown again.\n');
    });
  institutions
    .command('generate-accounts')
    .description(
      "Turn on or off the seed's generateAccount feature (invites create accounts, mail passwords).",
    )
    .requiredOption('--path <path>', 'the portal path')
    .addArgument(new Argument('<state>', 'on or off').choices(['on', 'off']))
    .option('--json', 'print JSON', false)
    .action(async (state: string, o: { path: string; json: boolean }) => {
      const institution = await admin((deps) => setGenerateAccounts(deps, o.path, state === 'on'));
      const out = { institution: institution.path, generate_accounts: institution.generateAccounts };
      if (o.json) return printJson(out);
      process.stdout.write(`generateAccount is ${state} for ${institution.path}\n`);
    });
  const admins = institutions.command('admins').description('Institution administrators.');
  admins
    .command('add')
    .description('Make a hub user an admin of the institution.')
    .requiredOption('--path <path>', 'the portal path')
    .requiredOption('--email <email>', 'the email address of an existing hub account')
    .option('--json', 'print JSON', false)
    .action(async (o: { path: string; email: string; json: boolean }) => {
      const user = await admin((deps) => addInstitutionAdmin(deps, o.path, o.email));
      const out = { institution: o.path, user: { id: user.id, username: user.username, email: user.email } };
      if (o.json) return printJson(out);
      process.stdout.write(`${user.email} is now an admin of ${o.path}\n`);
    });
}
