import type { FastifyInstance, FastifyReply, FastifyRequest, FastifySchema } from 'fastify';
import type { TSchema } from 'typebox';
import type { Deps } from '../../deps.ts';
import {
  authenticateOpenLearning,
  type Course,
  type CourseClass,
  courseErrors,
  resolveCourseRef,
} from '../../modules/courses/index.ts';

/** The seed's endpoints take parameters as POST form fields or GET query parameters alike. */
export function fields<T>(request: FastifyRequest): Partial<T> {
  const query = (request.query ?? {}) as Partial<T>;
  const body = (request.body ?? {}) as Partial<T>;
  return { ...query, ...body };
}

/** Every /api route authenticates with HTTP Basic: an institution API key or a hub account. */
export function basicAuth(deps: Deps) {
  return async (request: FastifyRequest) => {
    request.principal = await authenticateOpenLearning(deps, request.headers.authorization, request.ip);
  };
}

/** `<Course Path>`: `myCourse`, `courses/myCourse` or `myInstitute/courses/myCourse`. */
export function coursePathOf(raw: string): string {
  return raw.replace(/^\/+|\/+$/g, '').replace(/^(?:[A-Za-z0-9_-]+\/)?courses\//, '');
}

export async function courseByPath(deps: Deps, raw: string): Promise<Course> {
  const path = coursePathOf(raw);
  const course = path.includes('/') ? undefined : await resolveCourseRef(deps, path);
  if (!course) throw courseErrors.notFound();
  return course;
}

export function classJson(cls: CourseClass) {
  return { path: `courses/${cls.path}`, title: cls.title, type: cls.type };
}

export function classUrl(deps: Deps, cls: CourseClass): string {
  return `${deps.config.publicUrl}/courses/${cls.path}`;
}

interface GetAndPostOptions {
  readonly url: string;
  readonly schema: Omit<FastifySchema, 'querystring' | 'body'> & { fields: TSchema };
  readonly handler: (
    request: FastifyRequest<{ Params: { '*': string } }>,
    reply: FastifyReply,
  ) => Promise<unknown>;
}

/**
 * The seed documents these endpoints as "(POST, GET)": the same parameters as form fields or as a query.
 * Fastify allows no body schema on GET, so each is two routes sharing one handler.
 */
export function getAndPost(app: FastifyInstance, options: GetAndPostOptions): void {
  const { fields: schema, ...rest } = options.schema;
  app.get(options.url, { schema: { ...rest, querystring: schema } }, options.handler);
  app.post(options.url, { schema: { ...rest, body: schema } }, options.handler);
}

/** The seed's "true or false" flags (any case: Python scripts send True); absent is false, others a 400. */
export function flag(name: string, value: string | undefined): boolean {
  const v = value?.trim().toLowerCase();
  if (v === undefined || v === '' || v === 'false') return false;
  if (v === 'true') return true;
  throw courseErrors.invalid(name, 'must be "true" or "false"');
}
