/**
 * The master key: `server.master_key`, else SWITCHYARD_MASTER_KEY, else one generated on first
 * start and kept in `<data dir>/master.key` (mode 0600). It is never printed or logged; start-up
 * says where the file is.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface MasterKey {
  key: string;
  /** Where it came from, for the start-up message (never the key itself). */
  source: string;
}

export function resolveMasterKey(options: { configured?: string; env: NodeJS.ProcessEnv; dataDir: string }): MasterKey {
  if (options.configured) return { key: options.configured, source: 'config server.master_key' };
  const fromEnv = options.env.SWITCHYARD_MASTER_KEY;
  if (fromEnv && fromEnv.length >= 16) return { key: fromEnv, source: 'environment SWITCHYARD_MASTER_KEY' };
  const file = join(options.dataDir, 'master.key');
  if (existsSync(file)) return { key: readFileSync(file, 'utf8').trim(), source: `file ${file}` };
  mkdirSync(options.dataDir, { recursive: true });
  const key = `sk-sy-master-${randomBytes(24).toString('base64url')}`;
  writeFileSync(file, `${key}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  return { key, source: `file ${file} (generated now)` };
}
