import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../bin/learnhub.mjs', import.meta.url));
const PATH = `${fileURLToPath(new URL('../../node_modules/.bin', import.meta.url))}:${process.env.PATH ?? ''}`;

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `learnhub <args>` as a real child process, as a user would (through its #! line, so with the heap flags
 * it sets), with node_modules/.bin first on PATH so it runs on the project's Node, and only `env` added.
 */
export function runCli(args: string[], env: Record<string, string>, timeoutMs = 60_000): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(BIN, args, {
      env: { PATH, HOME: process.env.HOME ?? '/tmp', OUTBOUND_ALLOW_PRIVATE: 'true', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`learnhub ${args.join(' ')} timed out\n${stderr}`));
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

export interface SpawnedHub {
  readonly child: ChildProcess;
  readonly url: string;
  /** Sends a signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  output(): string;
}

/**
 * Starts `learnhub start` and waits for its "learnhub: ready at <url>" line on stderr; `from` runs another
 * checkout's command in its own directory (and with its own node_modules/.bin first on PATH).
 */
export function spawnHub(
  env: Record<string, string>,
  timeoutMs = 90_000,
  from: { bin: string; cwd: string } | undefined = undefined,
): Promise<SpawnedHub> {
  return new Promise((resolve, reject) => {
    const path = from ? `${from.cwd}/node_modules/.bin:${PATH}` : PATH;
    const child = spawn(from?.bin ?? BIN, ['start'], {
      cwd: from?.cwd,
      env: { PATH: path, HOME: process.env.HOME ?? '/tmp', OUTBOUND_ALLOW_PRIVATE: 'true', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const exited = new Promise<number | null>((done) => child.on('close', (code) => done(code)));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`hub did not become ready:\n${out}`));
    }, timeoutMs);
    let ready = false;
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const match = /learnhub: ready at (http:\/\/\S+)/.exec(out);
      if (match?.[1] && !ready) {
        ready = true;
        clearTimeout(timer);
        const url = match[1];
        resolve({
          child,
          url,
          output: () => out,
          stop: (signal = 'SIGTERM') => {
            child.kill(signal);
            return exited;
          },
        });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    exited.then((code) => {
      clearTimeout(timer);
      if (!ready) reject(new Error(`hub exited with ${code} before it was ready:\n${out}`));
    });
  });
}
