// Starting and stopping the helper processes, optionally pinned to a CPU core with taskset.
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';

/** True when `taskset` is on PATH (util-linux); pinning is skipped otherwise. */
export function hasTaskset() {
  try {
    execFileSync('sh', ['-c', 'command -v taskset'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Spawns `node <args>`, prefixed with `taskset -c <core>` when `core` is a number. taskset
 * execs node, so the child's pid is node's pid and every thread inherits the affinity.
 */
export function spawnNode({ args, core, stdio }) {
  if (typeof core === 'number') {
    return spawn('taskset', ['-c', String(core), process.execPath, ...args], { stdio });
  }
  return spawn(process.execPath, args, { stdio });
}

/**
 * Spawns a bench helper that prints one JSON line (`{"port":N}`) on stdout once listening;
 * resolves with the child and that port. Rejects if the child exits or stays silent for 10 s.
 */
export async function startListeningHelper({ script, args = [], core }) {
  const child = spawnNode({ args: [script, ...args], core, stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  const timeout = AbortSignal.timeout(10_000);
  try {
    const first = await Promise.race([
      once(lines, 'line', { signal: timeout }),
      once(child, 'exit', { signal: timeout }).then(([code]) => {
        throw new Error(`${script} exited with code ${code} before listening`);
      }),
    ]);
    const { port } = JSON.parse(first[0]);
    child.stdout.resume();
    return { child, port };
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
}

/** Stops a child: SIGTERM, then SIGKILL after 3 s. Resolves once it has exited. */
export async function stopChild(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
  await exited;
  clearTimeout(timer);
}

/** A loopback port that was free a moment ago (for servers that need it in a config file). */
export async function findFreePort() {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  server.close();
  await once(server, 'close');
  return port;
}
