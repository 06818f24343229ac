import { Ajv, type ValidateFunction } from 'ajv';
import type { Executor } from '../../db/client.ts';
import { eventErrors } from './events.errors.ts';
import { type EventTypeRow, findEventType } from './events.programs.repository.ts';

export interface EventTypeInfo {
  readonly name: string;
  readonly description: string;
  readonly schema: Record<string, unknown> | null;
  readonly builtIn: boolean;
  readonly ownerProgramId: string | null;
}

const course = {
  type: 'object',
  properties: { id: { type: 'string' }, title: { type: 'string' }, url: { type: 'string' } },
};

/** The types the hub itself records (and suggests to programs). They live in code, not in the table. */
export const BUILT_IN_TYPES: readonly EventTypeInfo[] = [
  ['course.enrolled', 'The member enrolled in (or joined) a course.', { course }],
  ['course.started', 'The member started a course or one of its activities.', { course }],
  ['course.completed', 'The member completed a course.', { course }],
  ['assessment.submitted', 'The member submitted work for assessment.', { course }],
  [
    'credential.earned',
    'The member earned a credential: a badge, certificate or other accomplishment.',
    { badge: { type: 'object', properties: { id: { type: 'string' }, name: { type: 'string' } } } },
  ],
].map(([name, description, properties]) => ({
  name: name as string,
  description: description as string,
  schema: { type: 'object', properties: properties as Record<string, unknown> },
  builtIn: true,
  ownerProgramId: null,
}));

const BUILT_IN = new Map(BUILT_IN_TYPES.map((t) => [t.name, t]));
export const SCHEMA_MAX_BYTES = 32 * 1024;

export function builtInType(name: string): EventTypeInfo | undefined {
  return BUILT_IN.get(name);
}

export function typeInfo(row: EventTypeRow): EventTypeInfo {
  return {
    name: row.name,
    description: row.description,
    schema: row.schema,
    builtIn: false,
    ownerProgramId: row.ownerProgramId,
  };
}

/**
 * Compiles and caches the EventData validator of each type. Registered types are re-read after a few seconds
 * (another process may have changed one); a change made through this process applies at once.
 */
export class TypeCatalog {
  readonly #ajv = new Ajv({ allErrors: false, strict: false, validateSchema: true });
  readonly #cache = new Map<string, { validate: ValidateFunction | null; until: number }>();

  constructor(private readonly ttlMs = 5_000) {}

  /** Throws a 400 naming the schema problem; returns the compiled validator otherwise. */
  compile(schema: Record<string, unknown>): ValidateFunction {
    if (Buffer.byteLength(JSON.stringify(schema), 'utf8') > SCHEMA_MAX_BYTES) {
      throw eventErrors.tooLarge('schema', SCHEMA_MAX_BYTES);
    }
    try {
      return this.#ajv.compile(schema);
    } catch (error) {
      throw eventErrors.invalidSchema(error instanceof Error ? error.message : String(error));
    }
  }

  forget(name: string): void {
    this.#cache.delete(name);
  }

  async validatorFor(db: Executor, name: string, now: number): Promise<ValidateFunction | null> {
    const cached = this.#cache.get(name);
    if (cached && cached.until > now) return cached.validate;
    const info =
      builtInType(name) ?? (await findEventType(db, name).then((r) => (r ? typeInfo(r) : undefined)));
    const validate = info?.schema ? this.compile(info.schema) : null;
    // Unregistered names are cached too (as "no schema"); keep the map bounded.
    if (this.#cache.size >= 1_000) this.#cache.clear();
    this.#cache.set(name, { validate, until: now + this.ttlMs });
    return validate;
  }

  /** Throws `events.data_schema_failed` when the data does not match its type's schema. */
  async check(db: Executor, type: string, data: Record<string, unknown>, now: number): Promise<void> {
    const validate = await this.validatorFor(db, type, now);
    if (!validate || validate(data)) return;
    const first = validate.errors?.[0];
    const where = first?.instancePath ? `${first.instancePath} ` : '';
    throw eventErrors.schemaFailed(type, `${where}${first?.message ?? 'is invalid'}`.trim());
  }
}
