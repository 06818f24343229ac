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

const activity = {
  type: 'object',
  properties: { id: { type: 'integer' }, title: { type: 'string' } },
};

/**
 * The hub's own types live in a namespace no seed client uses: a program's `EventType` and `EventData` are its
 * own (the seed: "JSON object representing the Event in the source Program's system"), so a program sending
 * `course.completed` must never meet a schema it did not choose. A program that wants the hub's schemas
 * chooses them by name (`hub.course.completed`); nobody can register a type in the namespace.
 */
export const HUB_TYPE_PREFIX = 'hub.';

export function isReservedType(name: string): boolean {
  return name.toLowerCase().startsWith(HUB_TYPE_PREFIX);
}

/** The types the hub itself records (and suggests to programs). They live in code, not in the table. */
export const BUILT_IN_TYPES: readonly EventTypeInfo[] = [
  ['course.enrolled', 'The member enrolled in (or joined) a course.', { course }],
  ['course.started', 'The member started a course or one of its activities.', { course }],
  ['course.completed', 'The member completed a course.', { course }],
  ['assessment.submitted', 'The member submitted work for assessment.', { course }],
  [
    'assessment.reviewed',
    "The member reviewed a peer's work (the author is not named).",
    { course, activity },
  ],
  [
    'assessment.graded',
    "The member's final grade in a peer-assessment activity (0-100; `version` counts later changes).",
    { course, activity, grade: { type: ['number', 'null'] }, version: { type: 'integer' } },
  ],
  [
    'credential.earned',
    'The member earned a credential: a badge, certificate or other accomplishment.',
    { badge: { type: 'object', properties: { id: { type: 'string' }, name: { type: 'string' } } } },
  ],
].map(([name, description, properties]) => ({
  name: `${HUB_TYPE_PREFIX}${name as string}`,
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
  readonly #cache = new Map<
    string,
    { validate: ValidateFunction | null; owner: string | null; until: number }
  >();

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

  /**
   * The validator that binds an event of `programId`: a built-in type's (chosen by its `hub.` name), an
   * operator-registered type's (no owner: a hub-wide type), or a registered type's when `programId` owns it.
   * Another program may use the same name for its own data, unchecked.
   */
  async validatorFor(
    db: Executor,
    name: string,
    programId: string,
    now: number,
  ): Promise<ValidateFunction | null> {
    let entry = this.#cache.get(name);
    if (!entry || entry.until <= now) {
      const info =
        builtInType(name) ?? (await findEventType(db, name).then((r) => (r ? typeInfo(r) : undefined)));
      entry = {
        validate: info?.schema ? this.compile(info.schema) : null,
        owner: info?.ownerProgramId ?? null,
        until: now + this.ttlMs,
      };
      // Unregistered names are cached too (as "no schema"); keep the map bounded.
      if (this.#cache.size >= 1_000) this.#cache.clear();
      this.#cache.set(name, entry);
    }
    return entry.owner === null || entry.owner === programId ? entry.validate : null;
  }

  /**
   * The same check without a promise when the type's validator is cached and fresh: true when the data passed
   * (or no schema binds it), throws like check() when it failed, false when the type must be looked up first.
   */
  checkCached(
    event: { eventType: string; programId: string; data: Record<string, unknown> },
    now: number,
  ): boolean {
    const entry = this.#cache.get(event.eventType);
    if (!entry || entry.until <= now) return false;
    const validate = entry.owner === null || entry.owner === event.programId ? entry.validate : null;
    if (!validate || validate(event.data)) return true;
    throw schemaFailure(event.eventType, validate);
  }

  /** Throws `events.data_schema_failed` when the data does not match the schema that binds it. */
  async check(
    db: Executor,
    event: { eventType: string; programId: string; data: Record<string, unknown> },
    now: number,
  ): Promise<void> {
    const validate = await this.validatorFor(db, event.eventType, event.programId, now);
    if (!validate || validate(event.data)) return;
    throw schemaFailure(event.eventType, validate);
  }
}

function schemaFailure(type: string, validate: ValidateFunction) {
  const first = validate.errors?.[0];
  const where = first?.instancePath ? `${first.instancePath} ` : '';
  return eventErrors.schemaFailed(type, `${where}${first?.message ?? 'is invalid'}`.trim());
}
