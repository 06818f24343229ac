import { AppError, errors } from '../../errors/index.ts';

/** Every refusal of the Event Store, with a stable code; dialects render these in their own shape. */
export const eventErrors = {
  invalidKey: () =>
    new AppError('events.invalid_key', 'The program key is unknown, expired or revoked.', {
      headers: { 'www-authenticate': 'Basic realm="eventstore"' },
    }),
  invalid: (field: string, message: string) =>
    new AppError('events.invalid', `${field}: ${message}`, {
      details: { errors: [{ field, message }] },
    }),
  prefixMissing: (eventId: string) =>
    errors.badRequest(
      'events.prefix_missing',
      `eventId: "${eventId}" must start with the ProgramId and a hyphen, e.g. "FOO-ABC123".`,
    ),
  prefixMismatch: (eventId: string, programId: string) =>
    errors.badRequest(
      'events.prefix_mismatch',
      `ProgramId: "${programId}" does not match the prefix of eventId "${eventId}".`,
    ),
  endBeforeStart: (end: string, start: string) =>
    errors.badRequest('events.end_before_start', `${end}: is before ${start}.`),
  schemaFailed: (type: string, message: string) =>
    new AppError(
      'events.data_schema_failed',
      `EventData: does not match the schema of "${type}": ${message}`,
    ),
  tooLarge: (field: string, limit: number) =>
    new AppError('events.too_large', `${field}: is larger than ${limit} bytes.`),
  noWriteRights: (programId: string) =>
    errors.forbidden('events.no_rights', `This key has no rights to modify data for program "${programId}".`),
  noReadRights: (programId: string) =>
    errors.forbidden('events.no_read_rights', `This key may not read events of program "${programId}".`),
  notFound: (eventId: string) => errors.notFound('events.not_found', `No event "${eventId}".`),
  programNotFound: (programId: string) =>
    errors.notFound('events.program_not_found', `No program "${programId}".`),
  programExists: (programId: string) =>
    errors.conflict('events.program_exists', `Program "${programId}" already exists.`),
  keyNotFound: (keyId: string) => errors.notFound('events.key_not_found', `No program key "${keyId}".`),
  typeNotFound: (name: string) => errors.notFound('events.type_not_found', `No event type "${name}".`),
  typeBuiltIn: (name: string) =>
    errors.forbidden('events.type_built_in', `"${name}" is a built-in event type and cannot be changed.`),
  typeNotOwner: (name: string) =>
    errors.forbidden('events.type_not_owner', `Event type "${name}" belongs to another program.`),
  invalidSchema: (message: string) =>
    errors.badRequest('events.invalid_schema', `schema: is not a usable JSON Schema: ${message}`),
  notProgramOwner: (programId: string) =>
    errors.forbidden(
      'events.not_program_owner',
      `Only hub operators and program "${programId}"'s own keys may manage it.`,
    ),
  operatorsOnly: () => errors.forbidden('events.operators_only', 'Only hub operators may do this.'),
  invalidCursor: () => errors.badRequest('events.invalid_cursor', 'since: is not a cursor this feed issued.'),
  batchTooLarge: (limit: number) =>
    errors.badRequest('events.batch_too_large', `Events: a batch holds at most ${limit} events.`),
};
