/** The xAPI versions this library validates for. 2.0.0 is IEEE 9274.1.1-2023. */
export type XapiVersion = '1.0.3' | '2.0.0';

/**
 * A value that breaks the xAPI specification. `path` names the offending property
 * (`statements[3].actor.mbox`), and the message starts with it, so a 400 body can show it as is.
 */
export class XapiInvalid extends Error {
  readonly path: string;

  constructor(path: string, reason: string) {
    super(path === '' ? reason : `${path}: ${reason}`);
    this.name = 'XapiInvalid';
    this.path = path;
  }
}

export function fail(path: string, reason: string): never {
  throw new XapiInvalid(path, reason);
}

/** Joins a property name onto a path: `''` + `actor` = `actor`, `a` + `b` = `a.b`. */
export function at(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

export function index(path: string, i: number): string {
  return `${path}[${i}]`;
}
