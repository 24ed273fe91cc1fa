/** Runs the built CLI (`dist/main.js`) as a child process, for CLI tests. */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const CLI_PATH = fileURLToPath(new URL('../../dist/main.js', import.meta.url));

if (!existsSync(CLI_PATH)) throw new Error(`${CLI_PATH} is missing: run \`npm run build\` first (npm test does).`);

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd: string;
  /** The child's whole environment (nothing is inherited but PATH). */
  env?: Record<string, string>;
  timeoutMs?: number;
}

function childEnv(options: CliOptions): Record<string, string> {
  return { PATH: process.env.PATH ?? '', HOME: options.cwd, ...options.env };
}

/** Runs `switchyard <args>` to completion. */
export function runCli(args: string[], options: CliOptions): Promise<CliResult> {
  const child = spawn(process.execPath, [CLI_PATH, ...args], { cwd: options.cwd, env: childEnv(options), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => void (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => void (stderr += chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 10_000);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

export interface RunningCli {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the first stderr match of `pattern` (rejects if the child exits first or on timeout). */
  waitForStderr(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Resolves when the child has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `switchyard <args>` and leaves it running. */
export function startCli(args: string[], options: CliOptions): RunningCli {
  const child = spawn(process.execPath, [CLI_PATH, ...args], { cwd: options.cwd, env: childEnv(options), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const listeners = new Set<() => void>();
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => void (stdout += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
    for (const listener of listeners) listener();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      resolve({ code, signal });
      for (const listener of listeners) listener();
    });
  });
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    waitForStderr(pattern, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => finish(new Error(`timed out waiting for ${pattern}; stderr so far:\n${stderr}`)), timeoutMs);
        const check = (): void => {
          const match = stderr.match(pattern);
          if (match) return finish(undefined, match);
          if (child.exitCode !== null || child.signalCode !== null) finish(new Error(`exited before ${pattern}; stderr:\n${stderr}`));
        };
        function finish(error?: Error, match?: RegExpMatchArray): void {
          clearTimeout(timer);
          listeners.delete(check);
          if (error) reject(error);
          else resolve(match as RegExpMatchArray);
        }
        listeners.add(check);
        check();
      });
    },
  };
}
