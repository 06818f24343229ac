import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BIN, runCli } from '../support/cli.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { freePort } from '../support/server.ts';

/** Helpers of the fault suite: real `learnhub` processes that a test can kill -9 and start again. */

const PATH = `${fileURLToPath(new URL('../../node_modules/.bin', import.meta.url))}:${process.env.PATH ?? ''}`;

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface HubProcess {
  readonly child: ChildProcess;
  /** Resolves with the exit code, or the signal's name, once the process is gone. */
  readonly exited: Promise<number | string | null>;
  output(): string;
  /** kill -9: no handler runs, nothing is flushed, connections are reset mid-request. */
  kill9(): Promise<number | string | null>;
  /** SIGTERM, the orderly stop. */
  stop(): Promise<number | string | null>;
}

/**
 * Starts `learnhub <command>` and waits until it says it is ready (`learnhub: ready at` for start and web,
 * `learnhub: worker running` for worker).
 */
export function spawnLearnhub(
  command: 'start' | 'web' | 'worker',
  env: Record<string, string>,
  timeoutMs = 60_000,
): Promise<HubProcess> {
  const child = spawn(BIN, [command], {
    env: { PATH, HOME: process.env.HOME ?? '/tmp', OUTBOUND_ALLOW_PRIVATE: 'true', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const exited = new Promise<number | string | null>((done) =>
    child.on('close', (code, signal) => done(code ?? signal)),
  );
  const ready = command === 'worker' ? 'learnhub: worker running' : 'learnhub: ready at';
  const hub: HubProcess = {
    child,
    exited,
    output: () => out,
    kill9: () => {
      child.kill('SIGKILL');
      return exited;
    },
    stop: () => {
      child.kill('SIGTERM');
      return exited;
    },
  };
  let started = false;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`learnhub ${command} did not become ready:\n${out}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      // Keep only the tail: a long run at LOG_LEVEL=warn can still say a lot during an outage.
      if (out.length > 200_000) out = out.slice(-100_000);
      if (!started && out.includes(ready)) {
        started = true;
        clearTimeout(timer);
        resolve(hub);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`learnhub ${command} exited (${code}) before it was ready:\n${out}`));
    });
  });
}

export interface FaultEnv {
  readonly database: TestDatabase;
  readonly env: Record<string, string>;
  readonly url: string;
  close(): Promise<void>;
}

/** A database of its own and the environment of a hub on a fixed free port (kept across restarts). */
export async function faultEnv(extra: Record<string, string> = {}): Promise<FaultEnv> {
  const database = await createTestDatabase();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'learnhub-fault-'));
  const port = await freePort();
  return {
    database,
    url: `http://127.0.0.1:${port}`,
    env: {
      DATABASE_URL: database.url,
      DATA_DIR: dataDir,
      PORT: String(port),
      SECRET_KEY: 'fault-suite-secret-key-0123456789abcdef',
      INBOUND_SMTP_PORT: '0',
      LOG_LEVEL: 'warn',
      RATE_LIMIT_PER_MINUTE: '0',
      ...extra,
    },
    async close() {
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface ProgramKey {
  readonly user_id: string;
  readonly api_key: string;
}

/** An Event Store program and its key, made with the CLI as an operator would. */
export async function createProgram(env: Record<string, string>, id: string): Promise<ProgramKey> {
  const result = await runCli(['programs', 'create', '--id', id, '--name', id, '--json'], env);
  if (result.code !== 0) throw new Error(`programs create: ${result.stderr}`);
  return JSON.parse(result.stdout) as ProgramKey;
}

export const basic = (k: ProgramKey) =>
  `Basic ${Buffer.from(`${k.user_id}:${k.api_key}`).toString('base64')}`;

/** Resolves when `check` returns true, polling every `everyMs`; rejects after `timeoutMs`. */
export async function until(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 30_000,
  everyMs = 50,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(everyMs);
  }
}
