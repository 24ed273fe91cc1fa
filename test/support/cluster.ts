/**
 * Several real gateway processes (`node dist/main.js serve`) sharing one config's PostgreSQL
 * and Redis, for the scale-out tests. Each listens on its own ephemeral port.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { startCli, type RunningCli } from '../cli/run-cli.js';

export const CLUSTER_MASTER_KEY = 'sk-cluster-master-key-0123456789';

export interface Instance {
  cli: RunningCli;
  origin: string;
  pid: number;
}

export interface Cluster {
  instances: Instance[];
  configPath: string;
  /** Kills (SIGKILL) every instance still running. */
  close(): Promise<void>;
}

/** Writes the shared config and starts `count` instances of it. */
export async function startCluster(options: { dir: string; count: number; config: Record<string, unknown> }): Promise<Cluster> {
  const configPath = join(options.dir, 'switchyard.yaml');
  const config = { ...options.config, server: { master_key: CLUSTER_MASTER_KEY, log_level: 'warn', ...(options.config.server as object | undefined) } };
  writeFileSync(configPath, stringify(config));
  const instances = await Promise.all(Array.from({ length: options.count }, async () => {
    const cli = startCli(['serve', '--config', configPath, '--port', '0'], { cwd: options.dir, timeoutMs: 120_000 });
    const [, origin] = await cli.waitForStderr(/Switchyard listening on (http:\/\/127\.0\.0\.1:\d+)/, 20_000);
    return { cli, origin: origin as string, pid: cli.child.pid ?? -1 };
  }));
  return {
    instances,
    configPath,
    async close() {
      for (const { cli } of instances) {
        if (cli.child.exitCode === null && cli.child.signalCode === null) cli.child.kill('SIGKILL');
        await cli.exited;
      }
    },
  };
}
