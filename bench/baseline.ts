import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';

/**
 * The physical baselines' plumbing: bare processes (bench/hello-fastify.mjs, bench/bare-db.mjs) started next to
 * the hub, and COPY FROM STDIN for the batch-ingest floor.
 */
export interface BareProcess {
  readonly url: string;
  stop(): Promise<void>;
}

/** Starts `bench/<file>` on the project's Node; it prints `{"url": ...}` once listening. */
export async function startBare(file: string, env: Record<string, string> = {}): Promise<BareProcess> {
  const child: ChildProcess = spawn(
    process.execPath,
    [fileURLToPath(new URL(`./${file}`, import.meta.url))],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, ...env },
    },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n')[0];
      if (out.includes('\n') && line) resolve((JSON.parse(line) as { url: string }).url);
    });
    child.once('exit', (code) => reject(new Error(`${file} exited (${code}) before listening`)));
  });
  return {
    url,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/**
 * `COPY <table> FROM STDIN` of `text` (COPY text format) on a pg client, as a pg Submittable: pg has no COPY
 * of its own, and this is the few lines of the protocol it takes (pg-copy-streams does the same with streams).
 */
export function copyFrom(client: pg.Client, sql: string, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let failed: unknown;
    const submittable = {
      submit(connection: { query(text: string): void }) {
        connection.query(sql);
      },
      handleCopyInResponse(connection: { sendCopyFromChunk(b: Buffer): void; endCopyFrom(): void }) {
        connection.sendCopyFromChunk(Buffer.from(text));
        connection.endCopyFrom();
      },
      handleCommandComplete() {},
      handleError(error: unknown) {
        failed = error;
      },
      handleReadyForQuery() {
        if (failed) reject(failed);
        else resolve();
      },
    };
    (client as unknown as { query(s: unknown): void }).query(submittable);
  });
}

/** A value in COPY text format: backslash, tab, newline and carriage return escaped. */
export function copyValue(value: string | null): string {
  if (value === null) return '\\N';
  return value.replace(/[\\\t\n\r]/g, (c) =>
    c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r',
  );
}
